/**
 * Every class of bad input to POST /api/v1/applicationsets/preview: 400 for
 * text that cannot be read (with its line), 422 for documents that break the
 * schema (every problem with its path and line), 422 for generation and
 * render errors (the error, the generator index, no applications). Nothing
 * is ever written (preview-kit checks every table on every call).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitMirrorCache } from '../../src/git';
import { startTestApp, TestApp } from '../support/app';
import { GitHttpServer } from '../support/git-http-server';
import { TestGitRepo } from '../support/git-repo';
import { appSet, preview, registerClusters, template } from './preview-kit';

const HEADER =
  'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: broken\nspec:\n';
const TEMPLATE = [
  '  template:',
  '    metadata:',
  "      name: '{{name}}'",
  '    spec:',
  '      project: default',
  '      source: {repoURL: https://git.example.com/apps.git}',
  '      destination: {name: prod, namespace: apps}',
  '',
].join('\n');

const LIST = '  generators: [{list: {elements: [{name: a}]}}]\n';

type Problem = [field: string, rule: string, line: number];

describe('POST /api/v1/applicationsets/preview: bad input', () => {
  let t: TestApp;
  let served: string;
  let server: GitHttpServer;
  let repo: TestGitRepo;

  beforeAll(async () => {
    t = await startTestApp();
    await registerClusters(t, [
      { name: 'prod', server: 'https://prod.example.com', labels: { env: 'prod' } },
    ]);
    served = await mkdtemp(path.join(os.tmpdir(), 'fleetplane-preview-errors-'));
    server = await GitHttpServer.start({ root: served });
    repo = await TestGitRepo.create({ parentDir: served, name: 'config' });
    await repo.commitFiles({
      'apps/a/k.yaml': '',
      'bad/scalar.yaml': 'password: hunter2\njust text',
      'bad/text.json': 'token hunter2 and more text',
    });
  });

  afterAll(async () => {
    await t?.close();
    await server?.stop();
    await rm(served, { recursive: true, force: true });
  });

  describe('400: the text cannot be read', () => {
    it.each<[string, string, string, Problem[]]>([
      [
        'YAML with an unclosed flow sequence',
        `${HEADER}  generators: [\n  - list: {}\n${TEMPLATE}`,
        'application/yaml',
        [['', 'syntax', 7]],
      ],
      [
        'YAML with a tab indentation',
        `${HEADER}  generators:\n\t- list: {}\n${TEMPLATE}`,
        'application/yaml',
        [['', 'syntax', 6]],
      ],
      [
        'YAML with a duplicate key',
        `${HEADER}  generators: []\n  generators: []\n${TEMPLATE}`,
        'application/yaml',
        [['spec.generators', 'duplicate-key', 7]],
      ],
      [
        'YAML nested thousands of levels deep',
        `${HEADER}  generators:\n  - list:\n      elements: ${'['.repeat(5000)}${']'.repeat(5000)}\n${TEMPLATE}`,
        'application/yaml',
        [['', 'nesting-limit', 8]],
      ],
      [
        'JSON with a missing value',
        '{\n  "apiVersion": "argoproj.io/v1alpha1",\n  "kind": ,\n  "spec": {}\n}',
        'application/json',
        [['', 'syntax', 3]],
      ],
      [
        'JSON with a duplicate key',
        '{\n  "apiVersion": "argoproj.io/v1alpha1",\n  "apiVersion": "v2"\n}',
        'application/json',
        [['apiVersion', 'duplicate-key', 3]],
      ],
    ])('%s, naming the line', async (_name, text, contentType, expected) => {
      const res = await preview(t, text, contentType);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'BadRequest' });
      // The parser may add follow-on problems; the first one is where the text breaks.
      expect(
        res.body.details
          .slice(0, expected.length)
          .map((p: { field: string; rule: string; line: number }) => [p.field, p.rule, p.line]),
      ).toEqual(expected);
    });

    it('an empty body', async () => {
      const res = await preview(t, '', 'application/yaml');
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([
        expect.objectContaining({ field: 'body', rule: 'required' }),
      ]);
    });
  });

  describe('422: the document breaks the schema', () => {
    it.each<[string, string, Problem[]]>([
      [
        'a selector operator that does not exist (the issue example)',
        [
          '  generators:',
          '  - list: {elements: [{name: a}]}',
          '  - clusters:',
          '      selector:',
          '        matchExpressions:',
          '        - {key: env, operator: Equals, values: [prod]}',
          '',
        ].join('\n'),
        [['spec.generators[1].clusters.selector.matchExpressions[0].operator', 'enum', 11]],
      ],
      [
        'an unknown generator kind',
        '  generators:\n  - lists: {elements: []}\n',
        [
          ['spec.generators[0]', 'generator-kind', 7],
          ['spec.generators[0].lists', 'unknown-field', 7],
        ],
      ],
      [
        'goTemplate: true (not supported yet)',
        '  goTemplate: true\n  generators: [{list: {elements: [{name: a}]}}]\n',
        [['spec.goTemplate', 'unsupported', 6]],
      ],
      [
        'a field that would silently change behaviour',
        '  generators: [{list: {elements: [{name: a}]}}]\n  strategy: {type: RollingSync, rollingSync: {steps: []}}\n',
        [
          ['spec.strategy.type', 'unsupported', 7],
          ['spec.strategy.rollingSync', 'unsupported', 7],
        ],
      ],
      [
        'a misspelt field',
        '  generators:\n  - clusters: {selecter: {matchLabels: {env: prod}}}\n',
        [['spec.generators[0].clusters.selecter', 'unknown-field', 7]],
      ],
    ])('%s, with its path and line', async (_name, spec, expected) => {
      const res = await preview(t, `${HEADER}${spec}${TEMPLATE}`);
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ statusCode: 422, code: 'Invalid' });
      expect(
        res.body.details.map((p: { field: string; rule: string; line: number }) => [
          p.field,
          p.rule,
          p.line,
        ]),
      ).toEqual(expected);
    });

    it('a templated project, with every other problem of the document at once', async () => {
      const text = [
        HEADER.trimEnd(),
        '  generators:',
        '  - list: {elements: [{name: a}]}',
        '  template:',
        '    metadata: {name: Not_Valid}',
        '    spec:',
        "      project: '{{name}}'",
        '      source: {repoURL: https://git.example.com/apps.git}',
        '      destination: {}',
        '',
      ].join('\n');
      const res = await preview(t, text);
      expect(res.status).toBe(422);
      expect(
        res.body.details.map((p: { field: string; rule: string; line: number }) => [
          p.field,
          p.rule,
          p.line,
        ]),
      ).toEqual([
        ['spec.template.metadata.name', 'object-name', 9],
        ['spec.template.spec.project', 'templated-project', 11],
        ['spec.template.spec.destination', 'destination', 13],
      ]);
      expect(res.body.message).toMatch(
        /^the ApplicationSet is invalid: line 9: spec\.template\.metadata\.name/,
      );
    });

    it('a JSON document, with lines in the text as sent', async () => {
      const doc = appSet(
        'json',
        [{ clusters: { selector: { matchLabels: { env: 'a/b' } } } }],
        template('{{name}}', { name: 'prod' }),
      );
      const text = JSON.stringify(doc, null, 2);
      const line = text.split('\n').findIndex((l) => l.includes('"a/b"')) + 1;
      const res = await preview(t, text, 'application/json');
      expect(res.status).toBe(422);
      expect(res.body.details).toEqual([
        expect.objectContaining({
          field: 'spec.generators[0].clusters.selector.matchLabels.env',
          rule: 'label-value',
          line,
        }),
      ]);
    });

    it.each<[string, string, string]>([
      [
        'another kind',
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: x}\n',
        'kind',
      ],
      [
        'two ApplicationSets in one body',
        `${HEADER}${LIST}${TEMPLATE}---\n${HEADER.replace('broken', 'other')}${LIST}${TEMPLATE}`,
        '',
      ],
    ])('%s', async (_name, text, field) => {
      const res = await preview(t, text);
      expect(res.status).toBe(422);
      expect(res.body.details).toEqual([expect.objectContaining({ field })]);
    });
  });

  describe('422: generation or rendering fails (the whole preview, with the generator index)', () => {
    const failing = (
      generators: unknown[],
      appTemplate: unknown = template('{{name}}', { name: 'prod' }),
    ) => appSet('failing', [{ list: { elements: [{ name: 'ok' }] } }, ...generators], appTemplate);

    it.each<[string, () => object, Record<string, unknown>]>([
      [
        'a matrix whose children disagree on a key',
        () =>
          failing([
            { matrix: { generators: [{ list: { elements: [{ name: 'x' }] } }, { clusters: {} }] } },
          ]),
        {
          generatorIndex: 1,
          generatorPath: 'spec.generators[1]',
          message:
            'spec.generators[1].matrix.generators: found duplicate key name with different value, a: x ,b: prod',
        },
      ],
      [
        'a merge child whose sets collide on the merge keys',
        () =>
          failing([
            {
              merge: {
                mergeKeys: ['cluster'],
                generators: [
                  { list: { elements: [{ cluster: 'a' }, { cluster: 'a' }] } },
                  { list: { elements: [] } },
                ],
              },
            },
          ]),
        {
          generatorIndex: 1,
          generatorPath: 'spec.generators[1]',
          message:
            'spec.generators[1].merge.generators[0]: the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique. Duplicate key was {"cluster":"a"}',
        },
      ],
      [
        'an unclosed tag in the template',
        () =>
          failing([], {
            ...template('{{name}}', { name: 'prod' }),
            metadata: { name: '{{name}}', annotations: { note: '{{name}} {{oops' } },
          }),
        {
          generatorIndex: 0,
          message:
            'spec.template.metadata.annotations.note: unclosed "{{" at offset 9: no "}}" follows it',
        },
      ],
      [
        'a revision the repository does not have',
        () =>
          failing([
            {
              git: { repoURL: repo.url, revision: 'no-such-branch', directories: [{ path: '*' }] },
            },
          ]),
        {
          generatorIndex: 1,
          cause: 'Upstream',
          message: expect.stringContaining('no-such-branch'),
        },
      ],
      [
        'a Git file that is a scalar, without quoting it',
        () => failing([{ git: { repoURL: repo.url, files: [{ path: 'bad/scalar.yaml' }] } }]),
        {
          generatorIndex: 1,
          message: expect.stringContaining("unable to process file 'bad/scalar.yaml'"),
        },
      ],
      [
        'a Git file that is plain text',
        () => failing([{ git: { repoURL: repo.url, files: [{ path: 'bad/text.json' }] } }]),
        {
          generatorIndex: 1,
          message: expect.stringContaining("unable to process file 'bad/text.json'"),
        },
      ],
    ])('%s', async (_name, doc, expected) => {
      const res = await preview(t, doc());
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        statusCode: 422,
        code: 'Invalid',
        applications: [],
        ...expected,
      });
      expect(JSON.stringify(res.body)).not.toContain('hunter2');
    });

    it('a repository that cannot be reached is an error, never an empty listing', async () => {
      // Given a repository that was readable
      const doc = appSet(
        'unreachable',
        [{ git: { repoURL: server.url('config'), directories: [{ path: 'apps/*' }] } }],
        template('{{path.basename}}', { name: 'prod' }),
      );
      expect((await preview(t, doc)).status).toBe(200);
      // When its server goes away and a webhook asks for a fresh fetch
      await server.stop();
      t.app.get(GitMirrorCache).invalidate(server.url('config'));
      try {
        // then the preview fails, naming the generator, with no applications
        const res = await preview(t, doc);
        expect(res.status).toBe(422);
        expect(res.body).toMatchObject({
          generatorIndex: 0,
          cause: 'Upstream',
          applications: [],
          message: expect.stringMatching(/git fetch of http:\/\/127\.0\.0\.1:\d+\/config failed/),
        });
      } finally {
        await server.restart();
      }
    });
  });
});
