import { KubeObject, ObjectRef, refKey } from '../manifests/kube-object';
import { withTrackingId } from '../manifests/tracking';
import { Inventory, InventoryEntry, inventoryOf } from './inventory';
import { PrunePlan, PrunePolicy, planPrune } from './prune';

const ref = (kind: string, name: string, group = '', namespace = 'n'): ObjectRef => ({
  group,
  version: 'v1',
  kind,
  namespace,
  name,
});
const entry = (r: ObjectRef, wave = 0, extra: Partial<InventoryEntry> = {}): InventoryEntry => ({
  ref: r,
  wave,
  ...extra,
});
const a = ref('ConfigMap', 'a');
const b = ref('ConfigMap', 'b');
const c = ref('ConfigMap', 'c');
const d = ref('Deployment', 'd', 'apps');
const on: PrunePolicy = { appName: 'app', prune: true, allowEmpty: false };

describe('inventoryOf', () => {
  it('records ref, wave and prune options, sorted, without hooks', () => {
    const objects: KubeObject[] = [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'b',
          namespace: 'n',
          annotations: {
            'argocd.argoproj.io/sync-wave': '2',
            'argocd.argoproj.io/sync-options': 'Prune=false,PruneLast=true',
          },
        },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' } },
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: 'hook',
          namespace: 'n',
          annotations: { 'argocd.argoproj.io/hook': 'PreSync' },
        },
      },
    ];
    expect(inventoryOf(objects)).toEqual([
      entry(a),
      entry(b, 2, { prune: 'false', pruneLast: true }),
    ]);
  });
});

describe('planPrune', () => {
  const previous: Inventory = [entry(a), entry(b, 1), entry(c, 5), entry(d, -1)];
  it.each<[string, Inventory, ObjectRef[], PrunePolicy, PrunePlan]>([
    ['nothing stale', previous, [a, b, c, d], on, { steps: [], skipped: [], requiresPruning: [] }],
    [
      'prune disabled: kept, but the Application is OutOfSync',
      previous,
      [a, d],
      { ...on, prune: false },
      {
        steps: [],
        skipped: [
          { ref: b, reason: 'prune-disabled' },
          { ref: c, reason: 'prune-disabled' },
        ],
        requiresPruning: [b, c],
      },
    ],
    [
      'reverse wave order: waves {-1, 1, 5} are mirrored to {5, 1, -1}',
      previous,
      [a],
      on,
      {
        steps: [
          { wave: -1, refs: [c] },
          { wave: 1, refs: [b] },
          { wave: 5, refs: [d] },
        ],
        skipped: [],
        requiresPruning: [b, c, d],
      },
    ],
    [
      'Prune=false keeps the object, Prune=confirm waits for confirmation',
      [entry(a), entry(b, 0, { prune: 'false' }), entry(c, 0, { prune: 'confirm' })],
      [a],
      on,
      {
        steps: [],
        skipped: [
          { ref: b, reason: 'prune-false' },
          { ref: c, reason: 'awaiting-confirmation' },
        ],
        requiresPruning: [b, c],
      },
    ],
    [
      'a confirmed prune deletes Prune=confirm objects',
      [entry(a), entry(c, 0, { prune: 'confirm' })],
      [a],
      { ...on, pruneConfirmed: true },
      { steps: [{ wave: 0, refs: [c] }], skipped: [], requiresPruning: [c] },
    ],
    [
      'PruneLast goes after the last sync wave',
      [entry(a, 7), entry(b, 0, { pruneLast: true }), entry(c)],
      [a],
      { ...on, lastSyncWave: 7 },
      {
        steps: [
          { wave: 0, refs: [c] },
          { wave: 8, refs: [b] },
        ],
        skipped: [],
        requiresPruning: [b, c],
      },
    ],
    [
      'app-level PruneLast moves every deletion last',
      [entry(a), entry(b, 3), entry(c, -2)],
      [a],
      { ...on, pruneLast: true },
      { steps: [{ wave: 4, refs: [b, c] }], skipped: [], requiresPruning: [b, c] },
    ],
    [
      'the wipe-out guard: everything would be pruned',
      previous,
      [],
      on,
      {
        steps: [],
        skipped: [],
        requiresPruning: [a, b, c, d],
        refusal:
          'auto-sync will wipe out all resources; set allowEmpty to allow an Application with no resources',
      },
    ],
    [
      'allowEmpty lets an Application be emptied',
      [entry(a)],
      [],
      { ...on, allowEmpty: true },
      { steps: [{ wave: 0, refs: [a] }], skipped: [], requiresPruning: [a] },
    ],
    [
      'an empty Application with nothing to prune is not refused',
      [],
      [],
      on,
      { steps: [], skipped: [], requiresPruning: [] },
    ],
  ])('%s', (_name, inventory, desired, policy, expected) => {
    expect(planPrune(inventory, desired, policy)).toEqual(expected);
  });

  it('reads the live objects: gone ones are skipped, copies tracked elsewhere are never deleted, live annotations win', () => {
    const live = (
      r: ObjectRef,
      app: string,
      annotations: Record<string, string> = {},
    ): KubeObject =>
      withTrackingId(
        {
          apiVersion: r.group ? `${r.group}/v1` : 'v1',
          kind: r.kind,
          metadata: { name: r.name, namespace: r.namespace, annotations },
        },
        app,
      );
    const liveObjects = new Map<string, KubeObject>([
      [refKey(b), live(b, 'other-app')],
      [refKey(c), live(c, 'app', { 'argocd.argoproj.io/sync-options': 'Prune=false' })],
      [refKey(d), live(d, 'app', { 'argocd.argoproj.io/sync-wave': '9' })],
    ]);
    expect(
      planPrune(
        [entry(a), entry(b), entry(c), entry(d)],
        [],
        { ...on, allowEmpty: true },
        liveObjects,
      ),
    ).toEqual({
      steps: [{ wave: 9, refs: [d] }],
      skipped: [
        { ref: a, reason: 'already-deleted' },
        { ref: b, reason: 'not-tracked' },
        { ref: c, reason: 'prune-false' },
      ],
      requiresPruning: [c, d],
    });
  });
});
