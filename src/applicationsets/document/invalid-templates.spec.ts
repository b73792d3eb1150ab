/**
 * Invalid Application templates (`spec.template` and generator-level
 * `template`): each case names every problem as [path, rule, line]. Template
 * snippets start at line 9 of the document.
 */
import { parseApplicationSets } from './parse-application-sets';

const HEADER = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: template-cases
spec:
  generators:
  - list: {elements: [{cluster: a}]}
  template:
`;

/** A document whose `spec.template` is `snippet`; snippet line n is document line 8 + n. */
function withTemplate(snippet: string): string {
  return HEADER + snippet.replace(/^(?=.)/gm, '    ');
}

/** A valid template whose `spec` ends with `extra` (lines 14 and on). */
function withSpec(extra: string): string {
  return withTemplate(
    [
      "metadata: {name: '{{cluster}}'}",
      'spec:',
      '  project: default',
      '  destination: {name: in-cluster, namespace: apps}',
      '  source: {repoURL: https://example.com/r.git}',
      extra.replace(/^(?=.)/gm, '  '),
    ].join('\n'),
  );
}

type Expected = [field: string, rule: string, line: number][];

/** Asserts that `text` is refused with exactly the `expected` problems. */
const expectRefused = (text: string, expected: Expected) => {
  const { documents, problems } = parseApplicationSets(text);
  expect([documents, problems.map((p) => [p.field, p.rule, p.line])]).toEqual([[], expected]);
};

const T = 'spec.template';
const S = 'spec.template.spec';

describe('invalid templates', () => {
  it.each<[string, string, Expected]>([
    ['a missing template', '', [['spec.template', 'required', 8]]],
    [
      'a template without name, project, destination or source',
      'metadata: {}\nspec: {}\n',
      [
        [`${T}.metadata.name`, 'required', 9],
        [`${S}.project`, 'required', 10],
        [`${S}.destination`, 'required', 10],
        [`${S}.source`, 'required', 10],
      ],
    ],
    [
      'a templated project (Part C1)',
      "metadata: {name: x}\nspec:\n  project: '{{cluster}}'\n  destination: {server: https://k}\n  source: {repoURL: r}\n",
      [[`${S}.project`, 'templated-project', 11]],
    ],
    [
      'an empty project and a literal invalid name',
      "metadata: {name: Not_Valid}\nspec:\n  project: ''\n  destination: {server: https://k}\n  source: {repoURL: r}\n",
      [
        [`${T}.metadata.name`, 'object-name', 9],
        [`${S}.project`, 'required', 11],
      ],
    ],
    [
      'a destination with both name and server, and a bad literal namespace',
      'metadata: {name: x}\nspec:\n  project: p\n  destination: {name: a, server: https://k, namespace: Apps}\n  source: {repoURL: r}\n',
      [
        [`${S}.destination`, 'destination', 12],
        [`${S}.destination.namespace`, 'namespace-name', 12],
      ],
    ],
    [
      'a destination with neither name nor server',
      'metadata: {name: x}\nspec:\n  project: p\n  destination: {namespace: apps}\n  source: {repoURL: r}\n',
      [[`${S}.destination`, 'destination', 12]],
    ],
    [
      'both source and sources, a source without repoURL',
      'metadata: {name: x}\nspec:\n  project: p\n  destination: {server: https://k}\n  source: {path: a}\n  sources: [{repoURL: r}]\n',
      [
        [`${S}`, 'source', 10],
        [`${S}.source.repoURL`, 'required', 13],
      ],
    ],
    [
      'an empty sources list',
      'metadata: {name: x}\nspec:\n  project: p\n  destination: {server: https://k}\n  sources: []\n',
      [[`${S}.sources`, 'required', 13]],
    ],
    [
      'a misspelt destination field',
      'metadata: {name: x}\nspec:\n  project: p\n  destinaton: {server: https://k}\n  source: {repoURL: r}\n',
      [
        [`${S}.destination`, 'required', 10],
        [`${S}.destinaton`, 'unknown-field', 12],
      ],
    ],
    [
      'label and annotation keys that are invalid once literal',
      "metadata:\n  name: x\n  labels: {'-bad': a, '{{key}}': v, env: '{{cluster}}', tier: 'a b'}\n  annotations: {'a/b/c': x}\nspec:\n  project: p\n  destination: {server: https://k}\n  source: {repoURL: r}\n",
      [
        [`${T}.metadata.labels['-bad']`, 'label-key', 11],
        [`${T}.metadata.labels.tier`, 'label-value', 11],
        [`${T}.metadata.annotations['a/b/c']`, 'annotation-key', 12],
      ],
    ],
    [
      'a misspelt Helm option and a bad Kustomize replica',
      [
        'metadata: {name: x}',
        'spec:',
        '  project: p',
        '  destination: {server: https://k}',
        '  source:',
        '    repoURL: r',
        '    helm: {valueFile: [a.yaml]}',
        '    kustomize: {replicas: [{name: web, count: {n: 1}}]}',
      ].join('\n'),
      [
        [`${S}.source.helm.valueFile`, 'unknown-field', 15],
        [`${S}.source.kustomize.replicas[0].count`, 'type', 16],
      ],
    ],
  ])('refuses %s', (_, snippet, expected) => {
    expectRefused(withTemplate(snippet), expected);
  });

  it.each<[string, string, Expected]>([
    [
      'automated switches of the wrong type',
      'syncPolicy:\n  automated: {prune: "true", selfHeal: 1}\n',
      [
        [`${S}.syncPolicy.automated.prune`, 'type', 15],
        [`${S}.syncPolicy.automated.selfHeal`, 'type', 15],
      ],
    ],
    [
      'unknown or misspelt sync options (B4)',
      "syncPolicy:\n  syncOptions:\n  - CreateNamespace=True\n  - CreateNameSpace=true\n  - PruneLast\n  - 'Prune={{prune}}'\n",
      [
        [`${S}.syncPolicy.syncOptions[0]`, 'sync-option', 16],
        [`${S}.syncPolicy.syncOptions[1]`, 'sync-option', 17],
        [`${S}.syncPolicy.syncOptions[2]`, 'sync-option', 18],
      ],
    ],
    [
      'a retry policy of the wrong shape (B1)',
      "syncPolicy:\n  retry:\n    limit: '3'\n    backoff: {duration: 5 minutes, factor: 0, maxDuration: 3m}\n",
      [
        [`${S}.syncPolicy.retry.limit`, 'type', 16],
        [`${S}.syncPolicy.retry.backoff.duration`, 'duration', 17],
        [`${S}.syncPolicy.retry.backoff.factor`, 'minimum', 17],
      ],
    ],
    [
      'sourceHydrator and a negative revisionHistoryLimit',
      'sourceHydrator: {}\nrevisionHistoryLimit: -1\n',
      [
        [`${S}.sourceHydrator`, 'unsupported', 14],
        [`${S}.revisionHistoryLimit`, 'minimum', 15],
      ],
    ],
    [
      'ignoreDifferences without kind and info without value',
      'ignoreDifferences: [{jsonPointers: [/spec/replicas]}]\ninfo: [{name: docs}]\n',
      [
        [`${S}.ignoreDifferences[0].kind`, 'required', 14],
        [`${S}.info[0].value`, 'required', 15],
      ],
    ],
  ])('refuses %s', (_, snippet, expected) => {
    expectRefused(withSpec(snippet), expected);
  });

  it('accepts templated strings everywhere strings are allowed', () => {
    const result = parseApplicationSets(
      withSpec(
        [
          'syncPolicy:',
          '  automated: {prune: true, selfHeal: false, allowEmpty: false, enabled: true}',
          "  syncOptions: [CreateNamespace=true, 'Prune={{prune}}', PrunePropagationPolicy=orphan]",
          "  retry: {limit: -1, refresh: true, backoff: {duration: '5', factor: 2, maxDuration: 1h30m}}",
          "  managedNamespaceMetadata: {labels: {team: '{{team}}'}}",
          'revisionHistoryLimit: 3',
          "info: [{name: owner, value: '{{team}}'}]",
        ].join('\n'),
      ),
    );
    expect(result.problems).toEqual([]);
  });

  it('checks generator-level templates as partial, refusing a templated project', () => {
    const text = `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: demo}
spec:
  generators:
  - list:
      elements: [{cluster: a}]
      template:
        metadata: {labels: {tier: '{{tier}}'}}
        spec:
          project: '{{project}}'
          source: {path: 'apps/{{cluster}}'}
          destination: {namespace: x}
  template:
    metadata: {name: '{{cluster}}'}
    spec:
      project: default
      source: {repoURL: https://example.com/r.git}
      destination: {name: '{{cluster}}'}
`;
    expectRefused(text, [
      ['spec.generators[0].list.template.spec.project', 'templated-project', 11],
    ]);
  });
});
