import { ManifestError, formatManifestProblem } from './manifest-problem';
import {
  ParsedManifests,
  parseManifestFile,
  parseManifestFiles,
  parseRenderedOutput,
} from './parse-manifests';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
const none: ParsedManifests = { objects: [], problems: [], skipped: [] };

describe('parseManifestFile', () => {
  it.each<[string, string, string, ParsedManifests]>([
    ['an empty file', 'a.yaml', '', none],
    ['comments and empty documents', 'a.yaml', '# nothing\n---\n---\n# still nothing\n', none],
    [
      'a multi-document file, skipping empty documents',
      'a.yaml',
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\n',
      {
        objects: [
          { object: cm('one'), origin: { file: 'a.yaml', document: 1, line: 2 } },
          { object: cm('two'), origin: { file: 'a.yaml', document: 3, line: 8 } },
        ],
        problems: [],
        skipped: [],
      },
    ],
    [
      'YAML 1.1 scalars as Kubernetes tooling reads them, timestamps and sexagesimals left as strings',
      'a.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nspec: {a: yes, b: off, c: 0777, d: 8080:80, e: 2024-01-01, f: "yes"}\n',
      {
        objects: [
          {
            object: {
              ...cm('x'),
              spec: { a: true, b: false, c: 511, d: '8080:80', e: '2024-01-01', f: 'yes' },
            },
            origin: { file: 'a.yaml', document: 1, line: 1 },
          },
        ],
        problems: [],
        skipped: [],
      },
    ],
    [
      'a List, expanded into its items',
      'list.yaml',
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n',
      {
        objects: [
          { object: cm('a'), origin: { file: 'list.yaml', document: 1, line: 1, item: 0 } },
          { object: cm('b'), origin: { file: 'list.yaml', document: 1, line: 1, item: 1 } },
        ],
        problems: [],
        skipped: [],
      },
    ],
    [
      'a List with null items',
      'list.yaml',
      'apiVersion: v1\nkind: ConfigMapList\nitems: null\n',
      none,
    ],
    [
      'a JSON file holding one object',
      'cm.json',
      JSON.stringify(cm('j')),
      {
        objects: [{ object: cm('j'), origin: { file: 'cm.json', document: 1, line: 1 } }],
        problems: [],
        skipped: [],
      },
    ],
    [
      'a JSON List',
      'list.json',
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [cm('j')] }),
      {
        objects: [
          { object: cm('j'), origin: { file: 'list.json', document: 1, line: 1, item: 0 } },
        ],
        problems: [],
        skipped: [],
      },
    ],
    [
      'a YAML file that is not a manifest (a CI config)',
      '.github/ci.yaml',
      'on: push\njobs:\n  build:\n    runs-on: ubuntu\n',
      {
        objects: [],
        problems: [],
        skipped: [{ file: '.github/ci.yaml', reason: 'not-a-manifest' }],
      },
    ],
    [
      'a file marked with the skip directive',
      'values.yaml',
      '# +argocd:skip-file-rendering\napiVersion: v1\nkind: ConfigMap\n',
      {
        objects: [],
        problems: [],
        skipped: [{ file: 'values.yaml', reason: 'skip-file-rendering' }],
      },
    ],
  ])('reads %s', (_name, file, content, expected) => {
    expect(parseManifestFile(file, content, 'directory')).toEqual(expected);
  });

  it.each<[string, string, string, string[]]>([
    [
      'broken YAML that looks like a manifest',
      'a.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "x\n',
      ['a.yaml, document 1, line 5: a closing quote or bracket is missing'],
    ],
    [
      'a duplicate key',
      'a.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n',
      ['a.yaml, document 1, line 5: a mapping has the same key twice'],
    ],
    [
      'missing identity fields in the second document',
      'a.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\nkind: ConfigMap\nmetadata: {}\n',
      [
        'a.yaml, document 2, line 5: apiVersion: is required and must be a non-empty string',
        'a.yaml, document 2, line 5: metadata.name: is required and must be a non-empty string',
      ],
    ],
    [
      'a document that is not a mapping, next to a manifest',
      'a.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\n- a\n- b\n',
      ['a.yaml, document 2, line 5: must be a mapping with apiVersion, kind and metadata'],
    ],
    [
      'an unquoted number as an annotation value',
      'a.yaml',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    argocd.argoproj.io/sync-wave: 1\n',
      [
        "a.yaml, document 1, line 1: metadata.annotations['argocd.argoproj.io/sync-wave']: must be a string; quote the value in YAML",
      ],
    ],
    [
      'a List item without a kind',
      'a.yaml',
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  metadata: {name: a}\n',
      ['a.yaml, document 1, line 1, item 0: kind: is required and must be a non-empty string'],
    ],
    [
      'invalid JSON',
      'cm.json',
      '{\n  "apiVersion": "v1",\n  "kind": }\n',
      ['cm.json, document 1, line 3: the text is not valid JSON'],
    ],
    [
      'a JSON array',
      'cm.json',
      '[]',
      ['cm.json, document 1, line 1: must be a mapping with apiVersion, kind and metadata'],
    ],
    [
      'a JSON file that is not a manifest (JSON is never skipped, as in Argo)',
      'config.json',
      '{"debug": true}',
      [
        'config.json, document 1, line 1: apiVersion: is required and must be a non-empty string',
        'config.json, document 1, line 1: kind: is required and must be a non-empty string',
        'config.json, document 1, line 1: metadata: is required and must be an object',
      ],
    ],
  ])('refuses %s, naming the place', (_name, file, content, messages) => {
    const parsed = parseManifestFile(file, content, 'directory');
    expect(parsed.objects).toEqual([]);
    expect(parsed.problems.map(formatManifestProblem)).toEqual(messages);
  });

  it('never quotes file content in a problem (a Secret may be malformed)', () => {
    const secret =
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  password: "hunter2\n';
    const parsed = parseManifestFile('secret.yaml', secret, 'directory');
    expect(parsed.problems).toHaveLength(1);
    expect(JSON.stringify(parsed.problems)).not.toContain('hunter2');
  });

  it('refuses alias bombs instead of expanding them', () => {
    const bomb = [
      'a: &a [x,x,x,x,x,x,x,x,x,x]',
      ...'bcdefgh'
        .split('')
        .map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(',')}]`),
    ].join('\n');
    const parsed = parseManifestFile(
      'bomb.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n${bomb}\n`,
      'rendered',
    );
    expect(parsed.problems.map((p) => p.message)).toEqual([
      'aliases are used too often or wrongly',
    ]);
  });
});

describe('parseRenderedOutput', () => {
  it('treats non-manifest YAML in renderer output as an error, not a skip', () => {
    const parsed = parseRenderedOutput('foo: bar\n', 'kustomize build');
    expect(parsed.problems.map(formatManifestProblem)).toEqual([
      'kustomize build, document 1, line 1: apiVersion: is required and must be a non-empty string',
      'kustomize build, document 1, line 1: kind: is required and must be a non-empty string',
      'kustomize build, document 1, line 1: metadata: is required and must be an object',
    ]);
  });

  it('ignores the skip directive: it is for directory sources only', () => {
    const parsed = parseRenderedOutput(
      '# +argocd:skip-file-rendering\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
      'helm template',
    );
    expect(parsed.objects.map((o) => o.object)).toEqual([cm('a')]);
  });
});

describe('parseManifestFiles', () => {
  it('reads files in path order and returns nothing at all when one file is bad', () => {
    const good = {
      'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
      'a.json': JSON.stringify(cm('a')),
    };
    expect(parseManifestFiles(good).objects.map((o) => o.origin.file)).toEqual([
      'a.json',
      'b.yaml',
    ]);
    const parsed = parseManifestFiles({
      ...good,
      'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n',
    });
    expect(parsed).toEqual({
      objects: [],
      problems: [
        {
          file: 'c.yaml',
          document: 1,
          line: 1,
          field: 'metadata.name',
          rule: 'required',
          message: 'is required and must be a non-empty string',
        },
      ],
      skipped: [],
    });
    const error = new ManifestError(parsed.problems);
    expect(error.message).toBe(
      'invalid manifests: c.yaml, document 1, line 1: metadata.name: is required and must be a non-empty string',
    );
    expect(error.details).toEqual(parsed.problems);
  });
});

describe('deeply nested manifests', () => {
  // A few kilobytes of brackets once aborted the whole process inside the YAML parser.
  it.each([
    [
      'YAML flow collections',
      'deep.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: ${'['.repeat(5000)}`,
    ],
    [
      'YAML block sequences',
      'deep.yaml',
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\nitems:\n${'- '.repeat(3000)}x\n`,
    ],
    ['JSON', 'deep.json', `${'['.repeat(3000)}${']'.repeat(3000)}`],
  ])('refuses %s nested past the limit with a problem, not a crash', (_, file, content) => {
    const parsed = parseManifestFile(file, content, 'directory');
    expect(parsed.objects).toEqual([]);
    expect(parsed.problems).toEqual([
      expect.objectContaining({
        file,
        document: 1,
        line: expect.any(Number),
        rule: expect.stringMatching(/nesting-depth|yaml-syntax/),
        message: expect.stringMatching(/nests deeper than 128 levels/),
      }),
    ]);
  });
});
