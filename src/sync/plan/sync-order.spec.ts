import { KubeObject } from '../manifests/kube-object';
import { orderSyncTasks, syncPhasesOf, syncWaveOf } from './sync-order';

function obj(
  apiVersion: string,
  kind: string,
  name: string,
  namespace?: string,
  annotations?: Record<string, string>,
  spec?: object,
): KubeObject {
  return {
    apiVersion,
    kind,
    metadata: {
      name,
      ...(namespace ? { namespace } : {}),
      ...(annotations ? { annotations } : {}),
    },
    ...(spec ? { spec } : {}),
  };
}
const wave = (n: string) => ({ 'argocd.argoproj.io/sync-wave': n });
const order = (objects: KubeObject[]) =>
  orderSyncTasks(objects).tasks.map(
    (t) =>
      `${t.phase}/${t.wave} ${t.ref.kind} ${t.ref.namespace ? `${t.ref.namespace}/` : ''}${t.ref.name}`,
  );

describe('syncWaveOf', () => {
  it.each<[Record<string, string> | undefined, object]>([
    [undefined, { wave: 0 }],
    [wave('5'), { wave: 5 }],
    [wave('-2'), { wave: -2 }],
    [wave(' 3 '), { wave: 3 }],
    [{ 'helm.sh/hook-weight': '-5' }, { wave: -5 }],
    [{ ...wave('1'), 'helm.sh/hook-weight': '-5' }, { wave: 1 }],
    [
      wave('one'),
      {
        problem: {
          field: "metadata.annotations['argocd.argoproj.io/sync-wave']",
          rule: 'integer',
          message: 'must be an integer such as "-1", "0" or "5"',
        },
      },
    ],
    [
      wave('1.5'),
      {
        problem: {
          field: "metadata.annotations['argocd.argoproj.io/sync-wave']",
          rule: 'integer',
          message: 'must be an integer such as "-1", "0" or "5"',
        },
      },
    ],
  ])('reads %j', (annotations, expected) => {
    expect(syncWaveOf(obj('v1', 'ConfigMap', 'c', 'n', annotations))).toEqual(expected);
  });
});

describe('syncPhasesOf', () => {
  it.each<[Record<string, string> | undefined, string[]]>([
    [undefined, ['Sync']],
    [{ 'argocd.argoproj.io/hook': 'PreSync' }, ['PreSync']],
    [{ 'argocd.argoproj.io/hook': 'PreSync,PostSync' }, ['PreSync', 'PostSync']],
    [{ 'argocd.argoproj.io/hook': 'SyncFail' }, ['SyncFail']],
    [{ 'argocd.argoproj.io/hook': 'Skip' }, []],
    [{ 'argocd.argoproj.io/hook': 'PostDelete' }, []],
    [{ 'helm.sh/hook': 'post-install' }, ['PostSync']],
  ])('%j', (annotations, expected) => {
    expect(syncPhasesOf(obj('batch/v1', 'Job', 'j', 'n', annotations))).toEqual(expected);
  });
});

describe('orderSyncTasks (B4: phase → wave → kind → name)', () => {
  it('orders by kind (namespaces first, custom resources last), then name', () => {
    expect(
      order([
        obj('example.com/v1', 'Widget', 'w', 'app'),
        obj('apps/v1', 'Deployment', 'web', 'app'),
        obj('v1', 'Service', 'web', 'app'),
        obj('v1', 'ConfigMap', 'b', 'app'),
        obj('v1', 'ConfigMap', 'a', 'app'),
        obj('v1', 'Namespace', 'app'),
        obj('networking.k8s.io/v1', 'Ingress', 'web', 'app'),
        obj('v1', 'ServiceAccount', 'sa', 'app'),
      ]),
    ).toEqual([
      'Sync/0 Namespace app',
      'Sync/0 ServiceAccount app/sa',
      'Sync/0 ConfigMap app/a',
      'Sync/0 ConfigMap app/b',
      'Sync/0 Service app/web',
      'Sync/0 Deployment app/web',
      'Sync/0 Ingress app/web',
      'Sync/0 Widget app/w',
    ]);
  });

  it('orders by phase before wave before kind', () => {
    expect(
      order([
        obj('v1', 'ConfigMap', 'late', 'n', wave('2')),
        obj('v1', 'ConfigMap', 'early', 'n', wave('-1')),
        obj('apps/v1', 'Deployment', 'web', 'n'),
        obj('batch/v1', 'Job', 'migrate', 'n', {
          'argocd.argoproj.io/hook': 'PreSync',
          'argocd.argoproj.io/sync-wave': '5',
        }),
        obj('batch/v1', 'Job', 'smoke', 'n', { 'argocd.argoproj.io/hook': 'PostSync' }),
        obj('batch/v1', 'Job', 'page', 'n', { 'argocd.argoproj.io/hook': 'SyncFail' }),
        obj('v1', 'ConfigMap', 'skipped', 'n', { 'argocd.argoproj.io/hook': 'Skip' }),
      ]),
    ).toEqual([
      'PreSync/5 Job n/migrate',
      'Sync/-1 ConfigMap n/early',
      'Sync/0 Deployment n/web',
      'Sync/2 ConfigMap n/late',
      'PostSync/0 Job n/smoke',
      'SyncFail/0 Job n/page',
    ]);
  });

  it('moves a Namespace before the first object in it, adopting its phase and wave', () => {
    expect(
      order([
        obj('v1', 'Namespace', 'app', undefined, wave('3')),
        obj('v1', 'ConfigMap', 'c', 'app', wave('1')),
        obj('batch/v1', 'Job', 'pre', 'app', { 'argocd.argoproj.io/hook': 'PreSync' }),
      ]),
    ).toEqual(['PreSync/0 Namespace app', 'PreSync/0 Job app/pre', 'Sync/1 ConfigMap app/c']);
  });

  it('moves a CRD before the first custom resource of its kind', () => {
    const crd = obj(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      'widgets.example.com',
      undefined,
      wave('5'),
      {
        group: 'example.com',
        names: { kind: 'Widget' },
      },
    );
    expect(
      order([
        crd,
        obj('example.com/v1', 'Widget', 'w', 'n', wave('-1')),
        obj('v1', 'ConfigMap', 'c', 'n'),
      ]),
    ).toEqual([
      'Sync/-1 CustomResourceDefinition widgets.example.com',
      'Sync/-1 Widget n/w',
      'Sync/0 ConfigMap n/c',
    ]);
  });

  it('breaks ties between same-named objects by namespace, then group', () => {
    expect(order([obj('v1', 'ConfigMap', 'c', 'b'), obj('v1', 'ConfigMap', 'c', 'a')])).toEqual([
      'Sync/0 ConfigMap a/c',
      'Sync/0 ConfigMap b/c',
    ]);
  });

  it('refuses an invalid wave, naming the object', () => {
    expect(orderSyncTasks([obj('v1', 'ConfigMap', 'c', 'n', wave('x'))])).toEqual({
      tasks: [],
      problems: [
        {
          field: "ConfigMap n/c: metadata.annotations['argocd.argoproj.io/sync-wave']",
          rule: 'integer',
          message: 'must be an integer such as "-1", "0" or "5"',
        },
      ],
    });
  });
});
