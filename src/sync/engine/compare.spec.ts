import { KubeObject, refKey, refOf } from '../manifests/kube-object';
import { withTrackingId } from '../manifests/tracking';
import { Inventory } from '../plan/inventory';
import { adoptedObjects } from './compare';

const configMap = (name: string, annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'web', annotations },
});
const ref = (name: string) => ({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  namespace: 'web',
  name,
});
const liveOf = (objects: KubeObject[]) => new Map(objects.map((o) => [refKey(refOf(o)), o]));

describe(adoptedObjects.name, () => {
  it('lists desired objects found live with the app’s tracking id and not in the inventory', () => {
    const desired = [
      configMap('adopted', { 'argocd.argoproj.io/sync-wave': '2' }),
      configMap('recorded'),
      configMap('missing'),
      configMap('someone-elses'),
      configMap('untracked'),
      configMap('hook', { 'argocd.argoproj.io/hook': 'PreSync' }),
    ];
    const live = liveOf([
      withTrackingId(configMap('adopted'), 'web'),
      withTrackingId(configMap('recorded'), 'web'),
      withTrackingId(configMap('someone-elses'), 'other'),
      configMap('untracked'),
      withTrackingId(configMap('hook'), 'web'),
    ]);
    const inventory: Inventory = [{ ref: ref('recorded'), wave: 0, digest: 'd' }];
    // The entry takes its wave and options from Git, as an applied one would
    expect(adoptedObjects('web', desired, inventory, live)).toEqual([
      { ref: ref('adopted'), wave: 2 },
    ]);
  });

  it('is empty when every live object was applied', () => {
    const desired = [configMap('a')];
    expect(
      adoptedObjects(
        'web',
        desired,
        [{ ref: ref('a'), wave: 0 }],
        liveOf([withTrackingId(desired[0], 'web')]),
      ),
    ).toEqual([]);
  });
});
