/**
 * Server-side apply through @kubernetes/client-node, as a real API server
 * does it: `fieldManager` required, ownership recorded per manager in
 * managedFields, a conflicting field a 409 with the real Status and causes,
 * `force=true` taking ownership, shared ownership of equal values, fields a
 * manager stops applying removed when nobody else owns them, and an
 * unchanged apply that writes nothing.
 */
import { KubernetesObject, V1ConfigMap } from '@kubernetes/client-node';
import { KubeSim, SimCluster } from './index';
import { PatchStrategy, apiError, objectClient } from './testing/client-node';

type ConfigMap = V1ConfigMap & KubernetesObject;

describe('kube-sim server-side apply (client-node)', () => {
  let sim: KubeSim;
  let cluster: SimCluster;
  let api: ReturnType<typeof objectClient>;
  const namespace = 'ssa';

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 1, readinessDelayMs: 0 });
    cluster = sim.cluster('sim-0');
    api = objectClient(cluster);
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  });
  afterAll(() => sim.stop());

  const config = (name: string, data: Record<string, string>): ConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace },
    data,
  });
  const apply = (object: KubernetesObject, manager: string | undefined, force = false) =>
    api.patch(
      object,
      undefined,
      undefined,
      manager,
      force || undefined,
      PatchStrategy.ServerSideApply,
    ) as Promise<ConfigMap>;
  const owned = (object: ConfigMap, manager: string) =>
    object.metadata?.managedFields?.find((entry) => entry.manager === manager)?.fieldsV1;

  it('requires a fieldManager', async () => {
    expect(await apiError(apply(config('unmanaged', { a: '1' }), undefined))).toEqual({
      code: 422,
      body: expect.objectContaining({
        reason: 'Invalid',
        message:
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        details: expect.objectContaining({
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value: is required for apply patch',
              field: 'fieldManager',
            },
          ],
        }),
      }),
    });
  });

  it('creates on first apply and records the manager as an Apply owner', async () => {
    const created = await apply(config('first', { a: '1', b: '2' }), 'team-a');
    expect(created.data).toEqual({ a: '1', b: '2' });
    expect(created.metadata?.managedFields).toEqual([
      expect.objectContaining({
        manager: 'team-a',
        operation: 'Apply',
        apiVersion: 'v1',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} } },
      }),
    ]);
  });

  it('an unchanged apply writes nothing: same resourceVersion, no watch event', async () => {
    const before = await apply(config('steady', { a: '1' }), 'team-a');
    const events: string[] = [];
    const unsubscribe = cluster.ctx.store.subscribe((event) => events.push(event.type));
    try {
      cluster.log.reset();
      const again = await apply(config('steady', { a: '1' }), 'team-a');
      expect(again.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
      expect(again.metadata?.managedFields).toEqual(before.metadata?.managedFields);
      expect(events).toEqual([]);
      expect(cluster.log.counters()).toEqual(expect.objectContaining({ patch: 1, update: 0 }));
    } finally {
      unsubscribe();
    }
  });

  it('a field owned by another manager is a 409 Conflict with the real Status and causes', async () => {
    await apply(config('contested', { shared: 'a', mine: 'x' }), 'team-a');
    const conflict = await apiError(apply(config('contested', { shared: 'b' }), 'team-b'));
    expect(conflict).toEqual({
      code: 409,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Apply failed with 1 conflict: conflict with "team-a": .data.shared',
        reason: 'Conflict',
        details: {
          causes: [
            {
              reason: 'FieldManagerConflict',
              message: 'conflict with "team-a"',
              field: '.data.shared',
            },
          ],
        },
        code: 409,
      },
    });
    const twoFields = await apiError(
      apply(config('contested', { shared: 'b', mine: 'y' }), 'team-b'),
    );
    expect(twoFields.body.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "team-a":\n- .data.mine\n- .data.shared',
    );
  });

  it('a conflict with an updater names its API version', async () => {
    await apply(config('edited', { k: 'applied' }), 'team-a');
    cluster.objects.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'edited', namespace },
      { data: { k: 'edited by hand' } },
    );
    const conflict = await apiError(apply(config('edited', { k: 'applied again' }), 'team-a'));
    expect(conflict.body.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.k',
    );
  });

  it('force=true takes ownership of the conflicting fields', async () => {
    const forced = await apply(config('contested', { shared: 'b' }), 'team-b', true);
    expect(forced.data).toEqual({ shared: 'b', mine: 'x' });
    expect(owned(forced, 'team-b')).toEqual({ 'f:data': { 'f:shared': {} } });
    expect(owned(forced, 'team-a')).toEqual({ 'f:data': { 'f:mine': {} } });
  });

  it('removes fields a manager stops applying when no one else owns them', async () => {
    await apply(config('shrinking', { keep: '1', drop: '2' }), 'team-a');
    const shrunk = await apply(config('shrinking', { keep: '1' }), 'team-a');
    expect(shrunk.data).toEqual({ keep: '1' });
    expect(owned(shrunk, 'team-a')).toEqual({ 'f:data': { 'f:keep': {} } });
  });

  it('keeps a field another manager co-owns (same value), and removes it once both stop', async () => {
    await apply(config('co-owned', { both: 'same', a: '1' }), 'team-a');
    const shared = await apply(config('co-owned', { both: 'same' }), 'team-b');
    expect(owned(shared, 'team-a')).toEqual({ 'f:data': { 'f:a': {}, 'f:both': {} } });
    expect(owned(shared, 'team-b')).toEqual({ 'f:data': { 'f:both': {} } });

    const aStopped = await apply(config('co-owned', { a: '1' }), 'team-a');
    expect(aStopped.data).toEqual({ both: 'same', a: '1' });
    const bStopped = await apply(config('co-owned', {}), 'team-b');
    expect(bStopped.data).toEqual({ a: '1' });
  });

  it('merges the containers of a Deployment by name between managers', async () => {
    const deployment = (containers: { name: string; image: string }[]) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers } },
      },
    });
    await apply(deployment([{ name: 'app', image: 'app:1' }]), 'team-a');
    const both = (await apply(
      deployment([{ name: 'proxy', image: 'proxy:1' }]),
      'team-b',
    )) as unknown as { spec: { template: { spec: { containers: { name: string }[] } } } };
    expect(both.spec.template.spec.containers.map((c) => c.name).sort()).toEqual(['app', 'proxy']);
    const conflict = await apiError(apply(deployment([{ name: 'app', image: 'app:2' }]), 'team-b'));
    expect(conflict.body.message).toBe(
      'Apply failed with 1 conflict: conflict with "team-a": .spec.template.spec.containers[name="app"].image',
    );
  });

  it('dryRun=All answers with the result and stores nothing', async () => {
    const dry = (await api.patch(
      config('dry-apply', { a: '1' }),
      undefined,
      'All',
      'team-a',
      undefined,
      PatchStrategy.ServerSideApply,
    )) as ConfigMap;
    expect(dry.data).toEqual({ a: '1' });
    expect(
      cluster.objects.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'dry-apply', namespace }),
    ).toBeUndefined();
  });

  it('an apply into a namespace that does not exist is a 404 naming the namespace', async () => {
    const elsewhere = {
      ...config('lost', { a: '1' }),
      metadata: { name: 'lost', namespace: 'nowhere' },
    };
    expect(await apiError(apply(elsewhere, 'team-a'))).toEqual({
      code: 404,
      body: expect.objectContaining({
        reason: 'NotFound',
        message: 'namespaces "nowhere" not found',
        details: { name: 'nowhere', kind: 'namespaces' },
      }),
    });
  });
});
