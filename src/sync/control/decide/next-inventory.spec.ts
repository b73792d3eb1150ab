import { KubeObject } from '../../manifests/kube-object';
import { Inventory } from '../../plan/inventory';
import { ResourceResult } from '../../status/status.types';
import { nextInventory, withAdopted } from './next-inventory';

const cm = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'web' },
});
const entry = (name: string) => ({
  ref: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'web', name },
  wave: 0,
});
const result = (name: string, status: ResourceResult['status']): ResourceResult => ({
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  namespace: 'web',
  name,
  status,
  message: '',
  syncPhase: 'Sync',
});

describe(nextInventory.name, () => {
  const previous: Inventory = [entry('a'), entry('old')];
  const desired = [cm('a'), cm('b'), cm('c')];

  it('records what a successful sync applied', () => {
    expect(
      nextInventory(
        previous,
        { phase: 'Succeeded', dryRun: false, inventory: [entry('a'), entry('b')], resources: [] },
        desired,
      ),
    ).toEqual([entry('a'), entry('b')]);
  });

  it('keeps everything and adds what a failed sync applied', () => {
    expect(
      nextInventory(
        previous,
        {
          phase: 'Failed',
          dryRun: false,
          inventory: [],
          resources: [result('b', 'Synced'), result('c', 'SyncFailed')],
        },
        desired,
      ),
    ).toEqual([entry('a'), entry('b'), entry('old')]);
  });

  it('never changes it on a dry run', () => {
    expect(
      nextInventory(
        previous,
        { phase: 'Succeeded', dryRun: true, inventory: [entry('b')], resources: [] },
        desired,
      ),
    ).toBe(previous);
  });
});

describe(withAdopted.name, () => {
  it('is the same inventory when nothing was adopted', () => {
    const inventory: Inventory = [entry('a')];
    expect(withAdopted(inventory, [])).toBe(inventory);
  });

  it('adds the adopted objects in order and keeps the recorded entries as they are', () => {
    const recorded = { ...entry('b'), digest: 'd-b' };
    expect(withAdopted([recorded], [entry('c'), entry('a'), { ...entry('b'), wave: 3 }])).toEqual([
      entry('a'),
      recorded,
      entry('c'),
    ]);
  });
});
