/**
 * POST /api/v1/applicationsets/preview, end to end: clusters registered over
 * REST in real Postgres, real Git repositories read through the mirror cache
 * as file:// and over smart HTTP. Every preview call also proves that no row
 * of any table changed (preview-kit).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { startTestApp, TestApp } from '../support/app';
import { GitHttpServer } from '../support/git-http-server';
import { TestGitRepo } from '../support/git-repo';
import {
  appSet,
  ClusterRegistration,
  names,
  preview,
  registerClusters,
  template,
} from './preview-kit';

const FINALIZER = 'resources-finalizer.argocd.argoproj.io';

const CLUSTERS: ClusterRegistration[] = [
  {
    name: 'prod-eu-1',
    server: 'https://prod-eu-1.example.com:6443',
    labels: { env: 'prod', region: 'eu', 'topology.kubernetes.io/zone': 'eu-1a' },
    annotations: { 'owner.example.com/team': 'payments' },
    project: 'payments',
  },
  {
    name: 'prod-us-1',
    server: 'https://prod-us-1.example.com',
    labels: { env: 'prod', region: 'us' },
  },
  {
    name: 'Staging_EU/2',
    server: 'https://staging.example.com',
    labels: { env: 'staging', region: 'eu' },
  },
  { name: 'dev-1', server: 'https://dev-1.example.com', labels: { env: 'dev', canary: 'true' } },
  { name: 'bare', server: 'https://bare.example.com' },
];

/** The Application the cluster template renders for one cluster. */
function clusterApp(name: string, normalized: string) {
  return {
    metadata: { name: `${normalized}-guestbook`, namespace: 'argocd', finalizers: [FINALIZER] },
    spec: {
      project: 'default',
      source: { repoURL: 'https://git.example.com/apps.git', targetRevision: 'main', path: 'app' },
      destination: { namespace: 'apps', name },
    },
  };
}

describe('POST /api/v1/applicationsets/preview', () => {
  let t: TestApp;
  let served: string;
  let server: GitHttpServer;
  let repo: TestGitRepo;
  let head: string;

  beforeAll(async () => {
    // Given five registered clusters
    t = await startTestApp();
    await registerClusters(t, CLUSTERS);
    // and a Git repository with application directories and config files, served as file:// and over HTTP
    served = await mkdtemp(path.join(os.tmpdir(), 'fleetplane-preview-'));
    server = await GitHttpServer.start({ root: served });
    repo = await TestGitRepo.create({ parentDir: served, name: 'platform' });
    await repo.write({
      'README.md': '# platform\n',
      'apps/guestbook/kustomization.yaml': 'resources: []\n',
      'apps/Billing_API/kustomization.yaml': 'resources: []\n',
      'apps/legacy/kustomization.yaml': 'resources: []\n',
      'apps/.hidden/kustomization.yaml': 'resources: []\n',
      '.github/workflows/ci.yaml': 'on: push\n',
      'envs/prod/config.json':
        '{\n\t"cluster": {\n\t\t"name": "prod-eu-1",\n\t\t"replicas": 1234567\n\t}\n}\n',
      'envs/staging/config.yaml':
        '- cluster: {name: staging-a, replicas: 2}\n- cluster: {name: staging-b, replicas: 1.5}\n',
      'envs/empty/config.json': '',
      'envs/none/config.json': '[]\n',
    });
    head = await repo.commit('platform layout');
  });

  afterAll(async () => {
    await t?.close();
    await server?.stop();
    await rm(served, { recursive: true, force: true });
  });

  describe('list generator', () => {
    const doc = appSet(
      'list',
      [
        {
          list: {
            elements: [
              {
                cluster: 'prod-eu-1',
                url: 'https://prod-eu-1.example.com:6443',
                'values.tier': 'gold',
              },
              { cluster: 'dev-1', url: 'https://dev-1.example.com', values: { tier: 'bronze' } },
            ],
          },
        },
      ],
      {
        metadata: { name: '{{cluster}}-web', labels: { tier: '{{values.tier}}' } },
        spec: {
          project: 'default',
          source: { repoURL: 'https://git.example.com/web.git', path: 'web', targetRevision: 'v1' },
          destination: { server: '{{url}}', namespace: 'web' },
        },
      },
    );
    const expected = {
      applications: [
        {
          metadata: {
            name: 'prod-eu-1-web',
            namespace: 'argocd',
            labels: { tier: 'gold' },
            finalizers: [FINALIZER],
          },
          spec: {
            project: 'default',
            source: {
              repoURL: 'https://git.example.com/web.git',
              path: 'web',
              targetRevision: 'v1',
            },
            destination: { server: 'https://prod-eu-1.example.com:6443', namespace: 'web' },
          },
          params: {
            cluster: 'prod-eu-1',
            url: 'https://prod-eu-1.example.com:6443',
            'values.tier': 'gold',
          },
          problems: [],
        },
        {
          metadata: {
            name: 'dev-1-web',
            namespace: 'argocd',
            labels: { tier: 'bronze' },
            finalizers: [FINALIZER],
          },
          spec: {
            project: 'default',
            source: {
              repoURL: 'https://git.example.com/web.git',
              path: 'web',
              targetRevision: 'v1',
            },
            destination: { server: 'https://dev-1.example.com', namespace: 'web' },
          },
          params: { cluster: 'dev-1', url: 'https://dev-1.example.com', 'values.tier': 'bronze' },
          problems: [],
        },
      ],
      warnings: [],
      plan: { create: ['dev-1-web', 'prod-eu-1-web'], update: [], delete: [], unchanged: 0 },
    };

    it.each<[string, object | string, string]>([
      ['a JSON object', doc, 'application/json'],
      ['YAML', stringify(doc), 'application/yaml'],
      ['YAML sent as text/plain', stringify(doc), 'text/plain'],
      ['tab-indented JSON text', JSON.stringify(doc, null, '\t'), 'application/json'],
    ])('answers 200 with the whole preview for %s', async (_name, body, contentType) => {
      const res = await preview(t, body, contentType);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(expected);
    });
  });

  describe('cluster generator', () => {
    it('gives the parameters Argo CD gives, values rendered against the cluster itself', async () => {
      // When the cluster generator selects prod-eu-1, with values that read its labels and each other
      const res = await preview(
        t,
        appSet(
          'params',
          [
            {
              clusters: {
                selector: { matchLabels: { 'topology.kubernetes.io/zone': 'eu-1a' } },
                values: {
                  revision: '{{metadata.labels.env}}-{{ project }}',
                  chained: '{{values.revision}}',
                },
              },
            },
          ],
          template('{{nameNormalized}}-guestbook', { name: '{{name}}' }),
        ),
      );
      // then params are Argo's flat keys, and a value cannot reference another value
      expect(res.status).toBe(200);
      expect(res.body.applications).toEqual([
        {
          ...clusterApp('prod-eu-1', 'prod-eu-1'),
          params: {
            name: 'prod-eu-1',
            nameNormalized: 'prod-eu-1',
            server: 'https://prod-eu-1.example.com:6443',
            project: 'payments',
            'metadata.labels.env': 'prod',
            'metadata.labels.region': 'eu',
            'metadata.labels.topology.kubernetes.io/zone': 'eu-1a',
            'metadata.annotations.owner.example.com/team': 'payments',
            'values.revision': 'prod-payments',
            'values.chained': '{{values.revision}}',
          },
          problems: [],
        },
      ]);
      expect(res.body.warnings).toEqual([
        {
          generatorIndex: 0,
          field: 'spec.generators[0].clusters.values.chained',
          message: '{{values.revision}} left as is: no parameter named "values.revision"',
        },
      ]);
    });

    it('normalizes free-form cluster names and leaves project empty when unset', async () => {
      const res = await preview(
        t,
        appSet(
          'normalized',
          [{ clusters: { selector: { matchLabels: { env: 'staging' } } } }],
          template('{{nameNormalized}}-guestbook', { name: '{{name}}' }),
        ),
      );
      expect(res.status).toBe(200);
      expect(res.body.applications).toEqual([
        {
          ...clusterApp('Staging_EU/2', 'staging-eu-2'),
          params: {
            name: 'Staging_EU/2',
            nameNormalized: 'staging-eu-2',
            server: 'https://staging.example.com',
            project: '',
            'metadata.labels.env': 'staging',
            'metadata.labels.region': 'eu',
          },
          problems: [],
        },
      ]);
    });

    it.each<[string, object | undefined, string[]]>([
      [
        'no selector: every cluster, in byte-wise name order',
        undefined,
        ['Staging_EU/2', 'bare', 'dev-1', 'prod-eu-1', 'prod-us-1'],
      ],
      ['matchLabels', { matchLabels: { env: 'prod' } }, ['prod-eu-1', 'prod-us-1']],
      ['matchLabels on a label no cluster has', { matchLabels: { tier: 'gold' } }, []],
      [
        'In',
        { matchExpressions: [{ key: 'region', operator: 'In', values: ['eu'] }] },
        ['Staging_EU/2', 'prod-eu-1'],
      ],
      [
        'In on a label most clusters lack',
        { matchExpressions: [{ key: 'canary', operator: 'In', values: ['true'] }] },
        ['dev-1'],
      ],
      [
        'NotIn keeps clusters without the label',
        { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
        ['Staging_EU/2', 'bare', 'dev-1'],
      ],
      [
        'Exists',
        { matchExpressions: [{ key: 'region', operator: 'Exists' }] },
        ['Staging_EU/2', 'prod-eu-1', 'prod-us-1'],
      ],
      ['DoesNotExist', { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, ['bare']],
      [
        'matchLabels and matchExpressions together (ANDed)',
        {
          matchLabels: { env: 'prod' },
          matchExpressions: [{ key: 'region', operator: 'NotIn', values: ['eu'] }],
        },
        ['prod-us-1'],
      ],
    ])('selects with %s', async (_name, selector, expected) => {
      const res = await preview(
        t,
        appSet(
          'selectors',
          [{ clusters: selector ? { selector } : {} }],
          template('{{nameNormalized}}-guestbook', { name: '{{name}}' }),
        ),
      );
      expect(res.status).toBe(200);
      expect(res.body.applications.map((a: { params: { name: string } }) => a.params.name)).toEqual(
        expected,
      );
      expect(
        res.body.applications.every((a: { problems: unknown[] }) => a.problems.length === 0),
      ).toBe(true);
    });

    it('returns one set holding every cluster with flatList, as natural JSON', async () => {
      const res = await preview(
        t,
        appSet(
          'flat',
          [{ clusters: { flatList: true, selector: { matchLabels: { region: 'us' } } } }],
          template('fleet', { name: 'prod-us-1' }),
        ),
      );
      expect(res.status).toBe(200);
      expect(res.body.applications.map((a: { params: unknown }) => a.params)).toEqual([
        {
          clusters: [
            {
              name: 'prod-us-1',
              nameNormalized: 'prod-us-1',
              server: 'https://prod-us-1.example.com',
              project: '',
              'metadata.labels.env': 'prod',
              'metadata.labels.region': 'us',
            },
          ],
        },
      ]);
    });
  });

  describe('Git generators', () => {
    const gitDirectories = (repoURL: string) =>
      appSet(
        'dirs',
        [
          {
            git: {
              repoURL,
              revision: 'main',
              directories: [
                { path: 'apps/legacy', exclude: true },
                { path: 'apps/*' },
                { path: '.github/*' },
              ],
              values: { ns: '{{path.basenameNormalized}}-ns' },
            },
          },
        ],
        {
          metadata: { name: '{{path.basenameNormalized}}' },
          spec: {
            project: 'default',
            source: { repoURL, targetRevision: head, path: '{{path}}' },
            destination: { name: 'prod-eu-1', namespace: '{{values.ns}}' },
          },
        },
      );
    const dirParams = (dir: string, normalized: string) => ({
      path: `apps/${dir}`,
      'path.basename': dir,
      'path.basenameNormalized': normalized,
      'path[0]': 'apps',
      'path[1]': dir,
      'values.ns': `${normalized}-ns`,
    });

    it.each<[string, () => string]>([
      ['file://', () => repo.url],
      ['smart HTTP', () => server.url('platform')],
    ])(
      'lists directories over %s: hidden ones never, excluded ones not, in walk order',
      async (_name, url) => {
        const res = await preview(t, gitDirectories(url()));
        expect(res.status).toBe(200);
        expect(res.body.applications).toEqual(
          [
            ['Billing_API', 'billing-api'],
            ['guestbook', 'guestbook'],
          ].map(([dir, normalized]) => ({
            metadata: { name: normalized, namespace: 'argocd', finalizers: [FINALIZER] },
            spec: {
              project: 'default',
              source: { repoURL: url(), targetRevision: head, path: `apps/${dir}` },
              destination: { name: 'prod-eu-1', namespace: `${normalized}-ns` },
            },
            params: dirParams(dir, normalized),
            problems: [],
          })),
        );
        expect(res.body.warnings).toEqual([]);
      },
    );

    it('reads Git files: JSON with tabs, Go number formatting, lists, empty files', async () => {
      const res = await preview(
        t,
        appSet(
          'files',
          [
            {
              git: {
                repoURL: repo.url,
                files: [{ path: 'envs/*/config.*' }],
                pathParamPrefix: 'env',
              },
            },
          ],
          template('{{env.path.basename}}-{{cluster.name}}', { name: 'prod-eu-1' }),
        ),
      );
      expect(res.status).toBe(200);
      const pathParams = (dir: string, file: string) => ({
        'env.path': `envs/${dir}`,
        'env.path.basename': dir,
        'env.path.filename': file,
        'env.path.basenameNormalized': dir,
        'env.path.filenameNormalized': file,
        'env.path[0]': 'envs',
        'env.path[1]': dir,
      });
      // Files in byte-wise path order; `[]` gives no set, an empty file one set of path params only.
      expect(res.body.applications.map((a: { params: unknown }) => a.params)).toEqual([
        pathParams('empty', 'config.json'),
        {
          'cluster.name': 'prod-eu-1',
          'cluster.replicas': '1.234567e+06',
          ...pathParams('prod', 'config.json'),
        },
        {
          'cluster.name': 'staging-a',
          'cluster.replicas': '2',
          ...pathParams('staging', 'config.yaml'),
        },
        {
          'cluster.name': 'staging-b',
          'cluster.replicas': '1.5',
          ...pathParams('staging', 'config.yaml'),
        },
      ]);
      expect(names(res)).toEqual([
        'empty-{{cluster.name}}',
        'prod-prod-eu-1',
        'staging-staging-a',
        'staging-staging-b',
      ]);
      // The unresolved tag is reported, and the name it leaves is a problem of that Application only.
      expect(res.body.warnings).toEqual([
        {
          generatorIndex: 0,
          field: 'spec.template.metadata.name',
          message: '{{cluster.name}} left as is: no parameter named "cluster.name"',
        },
      ]);
      expect(res.body.applications[0].problems).toEqual([
        expect.objectContaining({ field: 'metadata.name', rule: 'object-name' }),
      ]);
      expect(
        res.body.applications.slice(1).map((a: { problems: unknown[] }) => a.problems),
      ).toEqual([[], [], []]);
    });
  });

  describe('matrix and merge', () => {
    it('matrix: Git directories × clusters, the second child interpolated per set of the first', async () => {
      const res = await preview(
        t,
        appSet(
          'matrix',
          [
            {
              matrix: {
                generators: [
                  {
                    git: {
                      repoURL: server.url('platform'),
                      directories: [{ path: 'apps/*' }, { path: 'apps/legacy', exclude: true }],
                    },
                  },
                  {
                    clusters: {
                      selector: { matchLabels: { env: 'prod' } },
                      values: { app: '{{path.basename}}' },
                    },
                  },
                ],
              },
            },
          ],
          template('{{path.basenameNormalized}}-{{nameNormalized}}', { name: '{{name}}' }),
        ),
      );
      expect(res.status).toBe(200);
      expect(names(res)).toEqual([
        'billing-api-prod-eu-1',
        'billing-api-prod-us-1',
        'guestbook-prod-eu-1',
        'guestbook-prod-us-1',
      ]);
      expect(res.body.applications[1].params).toEqual({
        path: 'apps/Billing_API',
        'path.basename': 'Billing_API',
        'path.basenameNormalized': 'billing-api',
        'path[0]': 'apps',
        'path[1]': 'Billing_API',
        name: 'prod-us-1',
        nameNormalized: 'prod-us-1',
        server: 'https://prod-us-1.example.com',
        project: '',
        'metadata.labels.env': 'prod',
        'metadata.labels.region': 'us',
        'values.app': 'Billing_API',
      });
    });

    it('merge: cluster parameters overridden by list elements that share the merge key', async () => {
      const res = await preview(
        t,
        appSet(
          'merge',
          [
            {
              merge: {
                mergeKeys: ['server'],
                generators: [
                  {
                    clusters: {
                      selector: { matchLabels: { env: 'prod' } },
                      values: { replicas: '1' },
                    },
                  },
                  {
                    list: {
                      elements: [
                        { server: 'https://prod-us-1.example.com', 'values.replicas': '3' },
                        { server: 'https://nowhere', 'values.replicas': '9' },
                      ],
                    },
                  },
                ],
              },
            },
          ],
          {
            ...template('{{nameNormalized}}-guestbook', { name: '{{name}}' }),
            metadata: {
              name: '{{nameNormalized}}-guestbook',
              annotations: { replicas: '{{values.replicas}}' },
            },
          },
        ),
      );
      expect(res.status).toBe(200);
      expect(
        res.body.applications.map((a: { metadata: { name: string; annotations: object } }) => [
          a.metadata.name,
          a.metadata.annotations,
        ]),
      ).toEqual([
        ['prod-eu-1-guestbook', { replicas: '1' }],
        ['prod-us-1-guestbook', { replicas: '3' }],
      ]);
    });
  });

  describe('per-Application problems', () => {
    it('reports each bad Application without hiding the good ones (applicationset#356)', async () => {
      // Given elements that render an invalid name, a duplicate name and an unregistered cluster
      const res = await preview(
        t,
        appSet(
          'problems',
          [
            {
              list: {
                elements: [
                  { app: 'good', cluster: 'prod-eu-1' },
                  { app: 'Bad_Name', cluster: 'prod-eu-1' },
                  { app: 'twin', cluster: 'prod-eu-1' },
                  { app: 'twin', cluster: 'dev-1' },
                  { app: 'lost', cluster: 'not-registered' },
                ],
              },
            },
          ],
          template('{{app}}', { name: '{{cluster}}' }),
        ),
      );
      // then every Application is shown, each with its own problems
      expect(res.status).toBe(200);
      expect(
        res.body.applications.map(
          (a: { metadata: { name: string }; problems: { field: string; rule: string }[] }) => [
            a.metadata.name,
            a.problems.map((p) => [p.field, p.rule]),
          ],
        ),
      ).toEqual([
        ['good', []],
        ['Bad_Name', [['metadata.name', 'object-name']]],
        ['twin', [['metadata.name', 'duplicate-name']]],
        ['twin', [['metadata.name', 'duplicate-name']]],
        ['lost', [['spec.destination.name', 'cluster-not-registered']]],
      ]);
      expect(res.body.applications[4].problems[0].message).toBe(
        'there are no clusters with this name: not-registered',
      );
      // and the plan creates only the valid one
      expect(res.body.plan).toEqual({ create: ['good'], update: [], delete: [], unchanged: 0 });
    });

    it('checks destinations by server too', async () => {
      const res = await preview(
        t,
        appSet(
          'servers',
          [
            {
              list: {
                elements: [
                  { app: 'known', url: 'https://dev-1.example.com/' },
                  { app: 'unknown', url: 'https://10.9.9.9' },
                ],
              },
            },
          ],
          template('{{app}}', { server: '{{url}}' }),
        ),
      );
      expect(res.status).toBe(200);
      expect(
        res.body.applications.map((a: { problems: { rule: string }[] }) =>
          a.problems.map((p) => p.rule),
        ),
      ).toEqual([[], ['cluster-not-registered']]);
    });
  });

  it('is deterministic: the same request gives byte-equal answers', async () => {
    const doc = appSet(
      'deterministic',
      [
        { clusters: { values: { a: '{{name}}' } } },
        { git: { repoURL: repo.url, directories: [{ path: 'apps/*' }] } },
      ],
      template('{{nameNormalized}}{{path.basenameNormalized}}', { name: 'prod-eu-1' }),
    );
    const first = await preview(t, doc);
    const second = await preview(t, stringify(doc));
    expect(first.status).toBe(200);
    expect(JSON.stringify(second.body)).toBe(JSON.stringify(first.body));
  });
});
