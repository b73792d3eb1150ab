import { FieldProblem } from '../../common/field-problem';
import { Application, ApplicationSpec, ObjectMeta } from '../../argo/application.types';
import {
  RegisteredCluster,
  validateGeneratedApplications,
} from './validate-generated-applications';

const CLUSTERS: RegisteredCluster[] = [
  { name: 'prod-eu', server: 'https://prod-eu.example.com:6443' },
  { name: 'in-cluster', server: 'https://kubernetes.default.svc/' },
];

function app(
  name: string,
  spec: Partial<ApplicationSpec> = {},
  metadata: Partial<ObjectMeta> = {},
): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, ...metadata },
    spec: {
      project: 'default',
      source: { repoURL: 'https://example.com/r.git', path: 'apps' },
      destination: { name: 'prod-eu', namespace: 'apps' },
      ...spec,
    },
  };
}

type Expected = [field: string, rule: string][];

function rulesOf(problems: FieldProblem[][]): Expected[] {
  return problems.map((list) => list.map((p) => [p.field, p.rule]));
}

describe(validateGeneratedApplications.name, () => {
  it.each<[string, Application, Expected]>([
    ['a valid Application', app('guestbook-prod-eu'), []],
    [
      'a destination by server, trailing slash aside',
      app('a', { destination: { server: 'https://kubernetes.default.svc' } }),
      [],
    ],
    ['an empty name', app(''), [['metadata.name', 'required']]],
    ['an invalid name', app('Guestbook_Prod'), [['metadata.name', 'object-name']]],
    ['a name left templated', app('{{cluster}}-app'), [['metadata.name', 'object-name']]],
    ['a name over 253 characters', app('a'.repeat(254)), [['metadata.name', 'object-name']]],
    ['an empty project', app('a', { project: ' ' }), [['spec.project', 'required']]],
    [
      'both name and server',
      app('a', { destination: { name: 'prod-eu', server: 'https://prod-eu.example.com:6443' } }),
      [['spec.destination', 'destination']],
    ],
    [
      'no cluster',
      app('a', { destination: { namespace: 'x' } }),
      [['spec.destination', 'destination']],
    ],
    [
      'an unregistered cluster name',
      app('a', { destination: { name: 'staging' } }),
      [['spec.destination.name', 'cluster-not-registered']],
    ],
    [
      'an unregistered server',
      app('a', { destination: { server: 'https://other:6443' } }),
      [['spec.destination.server', 'cluster-not-registered']],
    ],
    [
      'an invalid destination namespace',
      app('a', { destination: { name: 'prod-eu', namespace: 'Apps.Prod' } }),
      [['spec.destination.namespace', 'namespace-name']],
    ],
    ['no source', app('a', { source: undefined }), [['spec.source', 'required']]],
    [
      'both source and sources',
      app('a', { sources: [{ repoURL: 'https://example.com/r.git' }] }),
      [['spec', 'source']],
    ],
    [
      'sources with an empty repoURL',
      app('a', { source: undefined, sources: [{ repoURL: 'r' }, { repoURL: '' }] }),
      [['spec.sources[1].repoURL', 'required']],
    ],
    [
      'sources with a repeated ref and a value file of an unknown ref',
      app('a', {
        source: undefined,
        sources: [
          { repoURL: 'r', path: 'chart', helm: { valueFiles: ['$vals/prod.yaml'] } },
          { repoURL: 'v', ref: 'values' },
          { repoURL: 'w', ref: 'values' },
        ],
      }),
      [
        ['spec.sources[2].ref', 'unique'],
        ['spec.sources[0].helm.valueFiles[0]', 'ref'],
      ],
    ],
    [
      'labels and annotations rendered into invalid ones',
      app('a', {}, { labels: { env: 'eu/west' }, annotations: { 'bad key': 'x' } }),
      [
        ['metadata.labels.env', 'label-value'],
        ["metadata.annotations['bad key']", 'annotation-key'],
      ],
    ],
    [
      'a sync option rendered into an unknown value',
      app('a', { syncPolicy: { syncOptions: ['CreateNamespace=true', 'Prune={{prune}}'] } }),
      [['spec.syncPolicy.syncOptions[1]', 'sync-option']],
    ],
    [
      'ignoreDifferences paths Fleetplane cannot follow',
      app('a', {
        ignoreDifferences: [
          {
            kind: 'Deployment',
            jsonPointers: ['/spec/replicas'],
            jqPathExpressions: ['.spec | keys'],
          },
          { kind: 'Deployment', managedFieldsManagers: ['kube-controller-manager', ''] },
        ],
      }),
      [
        ['spec.ignoreDifferences[0].jqPathExpressions[0]', 'jq-path'],
        ['spec.ignoreDifferences[1].managedFieldsManagers[1]', 'non-empty'],
      ],
    ],
  ])('%s', (_, application, expected) => {
    expect(rulesOf(validateGeneratedApplications([application], CLUSTERS))).toEqual([expected]);
  });

  it('reports a duplicate name on every Application that has it, and only on those', () => {
    const problems = validateGeneratedApplications(
      [app('web'), app('api'), app('web'), app(''), app(''), app('web')],
      CLUSTERS,
    );
    expect(rulesOf(problems)).toEqual([
      [['metadata.name', 'duplicate-name']],
      [],
      [['metadata.name', 'duplicate-name']],
      [['metadata.name', 'required']],
      [['metadata.name', 'required']],
      [['metadata.name', 'duplicate-name']],
    ]);
    expect(problems[0][0].message).toBe(
      'contains applications with duplicate name: web; none of them is created or updated, and an existing Application of that name is kept',
    );
  });

  it('keeps one problem from hiding the others (applicationset#356)', () => {
    const problems = validateGeneratedApplications(
      [
        app('ok-1'),
        app('Bad Name', { project: '', destination: { name: 'nowhere', namespace: '-x' } }),
        app('ok-2'),
      ],
      CLUSTERS,
    );
    expect(rulesOf(problems)).toEqual([
      [],
      [
        ['metadata.name', 'object-name'],
        ['spec.project', 'required'],
        ['spec.destination.name', 'cluster-not-registered'],
        ['spec.destination.namespace', 'namespace-name'],
      ],
      [],
    ]);
  });

  it('names the missing cluster as Argo CD does', () => {
    const [[problem]] = validateGeneratedApplications(
      [app('a', { destination: { name: 'staging' } })],
      [],
    );
    expect(problem).toEqual({
      field: 'spec.destination.name',
      rule: 'cluster-not-registered',
      message: 'there are no clusters with this name: staging',
    });
  });
});
