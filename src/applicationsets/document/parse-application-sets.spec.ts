import { DomainErrorCode } from '../../common/domain-error';
import { documentProblemsError } from './document-problem';
import { parseApplicationSets } from './parse-application-sets';

const TEMPLATE = `  template:
    metadata: {name: '{{cluster}}'}
    spec:
      project: default
      source: {repoURL: https://example.com/r.git}
      destination: {name: in-cluster}
`;

/** A valid ApplicationSet named `name`, whose spec ends with `extra` (line 14 and on). */
function appSet(name: string, extra = ''): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: ${name}
spec:
  generators:
  - list: {elements: [{cluster: a}]}
${TEMPLATE}${extra.replace(/^(?=.)/gm, '  ')}`;
}

type Expected = [field: string, rule: string, line: number | undefined][];

function problemsOf(text: string): Expected {
  return parseApplicationSets(text).problems.map((p) => [p.field, p.rule, p.line]);
}

describe(parseApplicationSets.name, () => {
  it.each<[string, string, Expected]>([
    [
      'goTemplate and its options',
      "goTemplate: true\ngoTemplateOptions: ['missingkey=error']\n",
      [
        ['spec.goTemplate', 'unsupported', 14],
        ['spec.goTemplateOptions', 'unsupported', 15],
      ],
    ],
    ['a templatePatch', "templatePatch: 'spec: {}'\n", [['spec.templatePatch', 'unsupported', 14]]],
    [
      'a RollingSync strategy',
      'strategy:\n  type: RollingSync\n  rollingSync: {steps: []}\n',
      [
        ['spec.strategy.type', 'unsupported', 15],
        ['spec.strategy.rollingSync', 'unsupported', 16],
      ],
    ],
    [
      'a reverse deletion order',
      'strategy: {type: AllAtOnce, deletionOrder: Reverse}\n',
      [['spec.strategy.deletionOrder', 'unsupported', 14]],
    ],
    [
      'a sync policy of the wrong values',
      'syncPolicy: {applicationsSync: create-or-update, preserveResourcesOnDeletion: "yes"}\n',
      [
        ['spec.syncPolicy.applicationsSync', 'enum', 14],
        ['spec.syncPolicy.preserveResourcesOnDeletion', 'type', 14],
      ],
    ],
    [
      'preserved keys that are not qualified names',
      "preservedFields: {labels: ['a b'], annotations: [ok.example.com/x]}\n",
      [['spec.preservedFields.labels[0]', 'label-key', 14]],
    ],
    [
      'unreadable jq and bad JSON pointers in ignoreApplicationDifferences',
      "ignoreApplicationDifferences:\n- jsonPointers: [spec/source, /spec/a~2]\n  jqPathExpressions: ['.spec', '.spec | keys']\n",
      [
        ['spec.ignoreApplicationDifferences[0].jsonPointers[0]', 'json-pointer', 15],
        ['spec.ignoreApplicationDifferences[0].jsonPointers[1]', 'json-pointer', 15],
        ['spec.ignoreApplicationDifferences[0].jqPathExpressions[1]', 'jq-path', 16],
      ],
    ],
    ['a misspelt spec field', 'generator: []\n', [['spec.generator', 'unknown-field', 14]]],
    [
      'an unquoted YAML 1.1 boolean',
      'syncPolicy: {preserveResourcesOnDeletion: yes}\n',
      [
        ['spec.syncPolicy.preserveResourcesOnDeletion', 'yaml-1.1-ambiguous', 14],
        ['spec.syncPolicy.preserveResourcesOnDeletion', 'type', 14],
      ],
    ],
  ])('refuses %s', (_, extra, expected) => {
    expect(problemsOf(appSet('demo', extra))).toEqual(expected);
  });

  it.each<[string, string, Expected]>([
    [
      'another apiVersion',
      appSet('demo').replace('v1alpha1', 'v1beta1'),
      [['apiVersion', 'enum', 1]],
    ],
    [
      'a missing kind',
      appSet('demo').replace('kind: ApplicationSet\n', ''),
      [['kind', 'required', 1]],
    ],
    [
      'an invalid name and namespace',
      appSet('Demo_1').replace('  name: Demo_1\n', '  name: Demo_1\n  namespace: Argo.CD\n'),
      [
        ['metadata.name', 'object-name', 4],
        ['metadata.namespace', 'namespace-name', 5],
      ],
    ],
    [
      'metadata the API server would refuse',
      appSet('demo').replace(
        '  name: demo\n',
        "  generateName: demo-\n  labels: {env: 'a b'}\n  annotations: {'x y': z}\n",
      ),
      [
        ['metadata.name', 'required', 3],
        ['metadata.generateName', 'unsupported', 4],
        ['metadata.labels.env', 'label-value', 5],
        ["metadata.annotations['x y']", 'annotation-key', 6],
      ],
    ],
    [
      'an unknown top-level field',
      `${appSet('demo')}specs: {}\n`,
      [['specs', 'unknown-field', 14]],
    ],
    ['a document that is a list', '- a\n- b\n', [['', 'type', 1]]],
    [
      'a document of another kind',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
      [['kind', 'kind', 2]],
    ],
  ])('refuses %s', (_, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });

  it('says why goTemplate is refused', () => {
    expect(parseApplicationSets(appSet('demo', 'goTemplate: true\n')).problems[0].message).toBe(
      "goTemplate: true is not supported yet; Fleetplane renders Argo's default flat templates with Handlebars",
    );
  });

  it('warns about fields that change nothing', () => {
    const text = appSet('demo', 'applyNestedSelectors: true\ngoTemplate: false\n').replace(
      '  name: demo\n',
      '  name: demo\n  uid: 1234\n',
    );
    const result = parseApplicationSets(`${text}status: {conditions: []}\n`);
    expect(result.problems).toEqual([]);
    expect(result.warnings.map((w) => [w.field, w.rule, w.line])).toEqual([
      ['metadata.uid', 'ignored', 5],
      ['spec.applyNestedSelectors', 'ignored', 15],
      ['status', 'ignored', 17],
    ]);
  });

  it('applies the valid documents of a stream and reports each other one with its source', () => {
    const text = [
      appSet('first'),
      appSet('second', 'goTemplate: true\n'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n',
      appSet('third'),
      'broken: [\n',
    ].join('---\n');
    const result = parseApplicationSets(text, { source: 'apps/sets.yaml' });
    expect(
      result.documents.map((d) => [
        d.applicationSet.metadata.name,
        d.documentIndex,
        d.line,
        d.source,
      ]),
    ).toEqual([
      ['first', 0, 1, 'apps/sets.yaml'],
      ['third', 3, 34, 'apps/sets.yaml'],
    ]);
    expect(
      result.problems.map((p) => [p.documentIndex, p.field, p.rule, p.line, p.source]),
    ).toEqual([
      [1, 'spec.goTemplate', 'unsupported', 28, 'apps/sets.yaml'],
      [2, 'kind', 'kind', 31, 'apps/sets.yaml'],
      [4, '', 'syntax', 49, 'apps/sets.yaml'],
    ]);
    expect(result.rejected).toEqual([
      { documentIndex: 1, name: 'second', line: 15, source: 'apps/sets.yaml' },
      { documentIndex: 4, line: 49, source: 'apps/sets.yaml' },
    ]);
  });

  it('skips other kinds, and documents that are no objects, when asked to', () => {
    const text = ['replicaCount: 3\n', '- a\n', appSet('only'), 'kind: Deployment\n'].join('---\n');
    const result = parseApplicationSets(text, { ignoreOtherKinds: true });
    expect(result.problems).toEqual([]);
    expect(result.documents.map((d) => d.applicationSet.metadata.name)).toEqual(['only']);
  });

  it('refuses two documents with the same name, keeping the names for the caller', () => {
    const result = parseApplicationSets([appSet('same'), appSet('same')].join('---\n'));
    expect(result.documents).toEqual([]);
    expect(result.problems.map((p) => [p.documentIndex, p.field, p.rule, p.line])).toEqual([
      [0, 'metadata.name', 'duplicate-name', 4],
      [1, 'metadata.name', 'duplicate-name', 18],
    ]);
    expect(result.rejected.map((r) => r.name)).toEqual(['same', 'same']);
  });

  it('reads JSON, with lines for nested paths', () => {
    const json = JSON.stringify(
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'ApplicationSet',
        metadata: { name: 'demo' },
        spec: {
          generators: [{ clusters: { selector: { matchLabels: { env: 'a/b' } } } }],
          template: {
            metadata: { name: '{{name}}' },
            spec: {
              project: 'default',
              source: { repoURL: 'https://example.com/r.git' },
              destination: { server: '{{server}}' },
            },
          },
        },
      },
      null,
      2,
    );
    expect(parseApplicationSets(json).problems).toEqual([
      {
        field: 'spec.generators[0].clusters.selector.matchLabels.env',
        rule: 'label-value',
        message: expect.stringContaining('a valid label value'),
        line: 13,
        column: 15,
        documentIndex: 0,
      },
    ]);
  });
});

describe(documentProblemsError.name, () => {
  it('maps unreadable text to BadRequest (400) and schema problems to Invalid (422)', () => {
    const syntax = documentProblemsError(parseApplicationSets('a: [\n').problems);
    const schema = documentProblemsError(
      parseApplicationSets(appSet('demo', 'goTemplate: true\n')).problems,
    );
    expect([syntax.code, schema.code]).toEqual([
      DomainErrorCode.BadRequest,
      DomainErrorCode.Invalid,
    ]);
    expect(schema.details).toHaveLength(1);
    expect(schema.message).toBe(
      "the ApplicationSet is invalid: line 14: spec.goTemplate: goTemplate: true is not supported yet; Fleetplane renders Argo's default flat templates with Handlebars",
    );
  });
});
