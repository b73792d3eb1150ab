/**
 * Invalid `spec.generators`: each case names every problem it must produce
 * as [path, rule, line]. Generator snippets start at line 7 of the document.
 */
import { parseApplicationSets } from './parse-application-sets';

const HEADER = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: generator-cases
spec:
  generators:
`;
const TEMPLATE = `  template:
    metadata:
      name: '{{cluster}}'
    spec:
      project: default
      source:
        repoURL: https://example.com/repo.git
      destination:
        name: in-cluster
`;

/** A document whose generators are `snippet`; snippet line n is document line 6 + n. */
function withGenerators(snippet: string): string {
  const body = snippet.endsWith('\n') ? snippet : `${snippet}\n`;
  return HEADER + body.replace(/^(?=.)/gm, '  ') + TEMPLATE;
}

type Expected = [field: string, rule: string, line: number][];

/** Asserts that `text` is refused with exactly the `expected` problems. */
const expectRefused = (text: string, expected: Expected) => {
  const { documents, problems } = parseApplicationSets(text);
  expect([documents, problems.map((p) => [p.field, p.rule, p.line])]).toEqual([[], expected]);
};

const G = 'spec.generators';

describe('invalid generators', () => {
  it.each<[string, string, Expected]>([
    [
      'an unknown generator kind',
      '- lists:\n    elements: []\n',
      [
        [`${G}[0]`, 'generator-kind', 7],
        [`${G}[0].lists`, 'unknown-field', 7],
      ],
    ],
    [
      'the scmProvider generator',
      '- scmProvider: {}\n',
      [[`${G}[0].scmProvider`, 'unsupported', 7]],
    ],
    [
      'the pullRequest generator',
      '- pullRequest: {}\n',
      [[`${G}[0].pullRequest`, 'unsupported', 7]],
    ],
    [
      'the clusterDecisionResource generator',
      '- clusterDecisionResource: {configMapRef: x}\n',
      [[`${G}[0].clusterDecisionResource`, 'unsupported', 7]],
    ],
    ['the plugin generator', '- plugin: {}\n', [[`${G}[0].plugin`, 'unsupported', 7]]],
    [
      'an entry with only a selector',
      '- selector:\n    matchLabels: {a: b}\n',
      [[`${G}[0]`, 'generator-kind', 7]],
    ],
    ['an entry that is not an object', '- list\n', [[`${G}[0]`, 'type', 7]]],
    [
      'list elements that are not strings (§1.2)',
      [
        '- list:',
        '    elements:',
        '    - cluster: a',
        '      replicas: 3',
        '      enabled: true',
        '      nothing: null',
        '      nested: {a: b}',
        '    - values: {a: 1}',
        '    - just-a-string',
      ].join('\n'),
      [
        [`${G}[0].list.elements[0].replicas`, 'type', 10],
        [`${G}[0].list.elements[0].enabled`, 'type', 11],
        [`${G}[0].list.elements[0].nothing`, 'type', 12],
        [`${G}[0].list.elements[0].nested`, 'type', 13],
        [`${G}[0].list.elements[1].values.a`, 'type', 14],
        [`${G}[0].list.elements[2]`, 'type', 15],
      ],
    ],
    [
      'list elementsYaml that is not a string',
      '- list:\n    elementsYaml: [a]\n',
      [[`${G}[0].list.elementsYaml`, 'type', 8]],
    ],
    [
      'a cluster selector with a bad operator (the issue example)',
      [
        '- list:',
        '    elements: [{cluster: a}]',
        '- clusters:',
        '    selector:',
        '      matchExpressions:',
        '      - key: env',
        '        operator: Equals',
        '        values: [prod]',
      ].join('\n'),
      [[`${G}[1].clusters.selector.matchExpressions[0].operator`, 'enum', 13]],
    ],
    [
      'cluster selector values: In without values, invalid label value, bad key',
      [
        '- clusters:',
        '    selector:',
        '      matchLabels:',
        "        env: 'a/b'",
        '        -bad: x',
        '      matchExpressions:',
        '      - {key: tier, operator: In}',
      ].join('\n'),
      [
        [`${G}[0].clusters.selector.matchLabels.env`, 'label-value', 10],
        [`${G}[0].clusters.selector.matchLabels['-bad']`, 'label-key', 11],
        [`${G}[0].clusters.selector.matchExpressions[0].values`, 'required', 13],
      ],
    ],
    [
      'a templated selector value outside the second child of a matrix',
      "- clusters:\n    selector:\n      matchLabels:\n        env: '{{path.basename}}'\n",
      [[`${G}[0].clusters.selector.matchLabels.env`, 'label-value', 10]],
    ],
    [
      'cluster values and flatList of the wrong type',
      '- clusters:\n    values:\n      replicas: 3\n    flatList: "true"\n',
      [
        [`${G}[0].clusters.values.replicas`, 'type', 9],
        [`${G}[0].clusters.flatList`, 'type', 10],
      ],
    ],
    [
      'a misspelt cluster field',
      '- clusters:\n    selecter: {}\n',
      [[`${G}[0].clusters.selecter`, 'unknown-field', 8]],
    ],
    [
      'git without repoURL, directories or files',
      '- git:\n    revision: main\n',
      [
        [`${G}[0].git.repoURL`, 'required', 7],
        [`${G}[0].git`, 'git-empty', 7],
      ],
    ],
    [
      'git path entries and requeue of the wrong shape',
      [
        '- git:',
        '    repoURL: https://example.com/r.git',
        '    directories:',
        '    - exclude: "true"',
        '    - path: apps/*',
        '      excludes: true',
        '    requeueAfterSeconds: -1',
      ].join('\n'),
      [
        [`${G}[0].git.directories[0].path`, 'required', 10],
        [`${G}[0].git.directories[0].exclude`, 'type', 10],
        [`${G}[0].git.directories[1].excludes`, 'unknown-field', 12],
        [`${G}[0].git.requeueAfterSeconds`, 'minimum', 13],
      ],
    ],
    [
      'a git repoURL with a scheme git never fetches, and a revision expression',
      "- git:\n    repoURL: 'ext::sh -c touch% /tmp/x'\n    revision: main~1\n    files: [{path: a.json}]\n- git:\n    repoURL: 'git://git.example.com/r.git'\n    files: [{path: a.json}]\n",
      [
        [`${G}[0].git.repoURL`, 'repo-url-characters', 8],
        [`${G}[0].git.revision`, 'git-revision', 9],
        [`${G}[1].git.repoURL`, 'repo-url-scheme', 12],
      ],
    ],
    [
      'a git repoURL with a token in it',
      '- git:\n    repoURL: https://user:s3cret@git.example.com/r.git\n    files: [{path: a.json}]\n',
      [[`${G}[0].git.repoURL`, 'repo-url-credentials', 8]],
    ],
    [
      'git requeueAfterSeconds as a duration string',
      "- git:\n    repoURL: https://git.example.com/r.git\n    files: [{path: a.json}]\n    requeueAfterSeconds: '3m'\n",
      [[`${G}[0].git.requeueAfterSeconds`, 'type', 10]],
    ],
    [
      'a post-selector key that is not a qualified name (§1.8)',
      "- list:\n    elements: [{cluster: a}]\n  selector:\n    matchLabels:\n      'path[0]': apps\n",
      [[`${G}[0].selector.matchLabels['path[0]']`, 'label-key', 11]],
    ],
    [
      'a matrix with one child',
      '- matrix:\n    generators:\n    - list: {elements: []}\n',
      [[`${G}[0].matrix.generators`, 'matrix-children', 8]],
    ],
    [
      'a matrix with three children',
      '- matrix:\n    generators:\n    - list: {elements: []}\n    - list: {elements: []}\n    - list: {elements: []}\n',
      [[`${G}[0].matrix.generators`, 'matrix-children', 8]],
    ],
    [
      'a matrix child with two generators',
      '- matrix:\n    generators:\n    - list: {elements: []}\n      clusters: {}\n    - clusters: {}\n',
      [[`${G}[0].matrix.generators[0]`, 'generator-kind', 9]],
    ],
    [
      'a matrix child with no generator',
      '- matrix:\n    generators:\n    - {}\n    - clusters: {}\n',
      [[`${G}[0].matrix.generators[0]`, 'generator-kind', 9]],
    ],
    [
      'a matrix without generators',
      '- matrix: {}\n',
      [[`${G}[0].matrix.generators`, 'required', 7]],
    ],
    [
      'a merge with one child and no merge keys',
      '- merge:\n    generators:\n    - clusters: {}\n',
      [
        [`${G}[0].merge.mergeKeys`, 'merge-keys', 7],
        [`${G}[0].merge.generators`, 'merge-children', 8],
      ],
    ],
    [
      'a merge with an empty mergeKeys list',
      '- merge:\n    mergeKeys: []\n    generators:\n    - clusters: {}\n    - clusters: {}\n',
      [[`${G}[0].merge.mergeKeys`, 'merge-keys', 8]],
    ],
    [
      'a third level of matrix/merge',
      [
        '- matrix:',
        '    generators:',
        '    - clusters: {}',
        '    - merge:',
        '        mergeKeys: [name]',
        '        generators:',
        '        - clusters: {}',
        '        - matrix:',
        '            generators: [{clusters: {}}, {clusters: {}}]',
      ].join('\n'),
      [[`${G}[0].matrix.generators[1].merge.generators[1].matrix`, 'nesting-depth', 14]],
    ],
    [
      'an unsupported generator inside a matrix',
      '- matrix:\n    generators:\n    - clusters: {}\n    - scmProvider: {github: {organization: x}}\n',
      [[`${G}[0].matrix.generators[1].scmProvider`, 'unsupported', 10]],
    ],
  ])('refuses %s', (_, snippet, expected) => {
    expectRefused(withGenerators(snippet), expected);
  });

  it('keeps Argo CD messages users search for', () => {
    const messages = (snippet: string) =>
      parseApplicationSets(withGenerators(snippet)).problems.map((p) => p.message);
    expect(messages('- matrix:\n    generators: [{clusters: {}}]\n')).toEqual([
      'found less than two generators, Matrix support only two',
    ]);
    expect(messages('- merge:\n    mergeKeys: [a]\n    generators: [{clusters: {}}]\n')).toEqual([
      'found less than two generators, Merge requires two or more',
    ]);
    expect(messages('- git:\n    repoURL: https://git.example.com/r.git\n')).toEqual([
      'ApplicationSet is empty: a git generator needs directories or files',
    ]);
  });

  it.each<[string, string]>([
    [
      'several kinds in one top-level entry (§1.1)',
      '- list: {elements: [{cluster: a}]}\n  clusters: {}\n',
    ],
    [
      'a templated selector value in the second child of a matrix',
      "- matrix:\n    generators:\n    - list: {elements: [{env: prod}]}\n    - clusters:\n        selector:\n          matchExpressions:\n          - {key: env, operator: In, values: ['{{env}}']}\n",
    ],
    [
      'a nested matrix whose second child is interpolated by the outer matrix',
      "- matrix:\n    generators:\n    - list: {elements: [{env: prod}]}\n    - merge:\n        mergeKeys: [name]\n        generators:\n        - clusters: {selector: {matchLabels: {env: '{{env}}'}}}\n        - list: {elements: [{name: x}]}\n",
    ],
    [
      'a post-selector value that is no label value (§1.8)',
      "- list: {elements: [{url: 'https://a/b'}]}\n  selector: {matchLabels: {url: 'https://a/b'}}\n",
    ],
    [
      'list elements with dotted keys and values maps',
      "- list:\n    elements:\n    - {cluster: a, values.redis: 'true', values: {tier: gold}}\n",
    ],
  ])('accepts %s', (_, snippet) => {
    const result = parseApplicationSets(withGenerators(snippet));
    expect(result.problems).toEqual([]);
    expect(result.documents).toHaveLength(1);
  });

  it('warns, and does not silently drop, what Argo CD ignores', () => {
    const result = parseApplicationSets(
      withGenerators(
        [
          '- matrix:',
          '    generators:',
          '    - clusters:',
          '        template: {metadata: {name: x}}',
          '    - git:',
          '        repoURL: https://git.example.com/r.git',
          '        directories: [{path: /apps/*}]',
          '        files: [{path: a.json}]',
          '- clusters:',
          '    flatList: true',
        ].join('\n'),
      ),
    );
    expect(result.problems).toEqual([]);
    expect(result.warnings.map((w) => [w.field, w.rule, w.line])).toEqual([
      [`${G}[0].matrix.generators[0].clusters.template`, 'ignored', 10],
      [`${G}[0].matrix.generators[1].git.directories[0].path`, 'never-matches', 13],
      [`${G}[0].matrix.generators[1].git.files`, 'ignored', 14],
      [`${G}[1].clusters.flatList`, 'flat-list', 16],
    ]);
  });
});
