/**
 * What a cluster was asked: the request log (bounded, newest kept, with
 * verb, resource, patch type, field manager, dry run and the status
 * answered) and exact per-verb counters, filterable and resettable, so a test
 * can assert "an unchanged app causes no PATCH".
 */
import { KubernetesObject, Watch } from '@kubernetes/client-node';
import { eventually } from '../support/wait';
import { KubeSim, SimCluster } from './index';
import { Named, PatchStrategy, apiError, kubeConfigFor, objectClient } from './testing/client-node';
import { rawRequest } from './testing/raw-http';

describe('kube-sim request log and counters', () => {
  let sim: KubeSim;
  let cluster: SimCluster;
  let api: ReturnType<typeof objectClient>;

  const cm = (
    name: string,
    data: Record<string, string>,
  ): Named<{ data: Record<string, string> }> => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default' },
    data,
  });
  const apply = (object: KubernetesObject, dryRun?: string) =>
    api.patch(object, undefined, dryRun, 'fleetplane', true, PatchStrategy.ServerSideApply);

  /** A tiny "sync": apply only what differs from the live object, as a careful engine would. */
  async function sync(desired: ReturnType<typeof cm>): Promise<void> {
    const live = (await api.read(desired).catch(() => undefined)) as typeof desired | undefined;
    if (JSON.stringify(live?.data) !== JSON.stringify(desired.data)) await apply(desired);
  }

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 1, requestLogLimit: 50 });
    cluster = sim.cluster('sim-0');
    api = objectClient(cluster);
  });
  afterAll(() => sim.stop());
  beforeEach(() => cluster.log.reset());

  it('counts requests per verb, discovery as nonResource', async () => {
    await api.create(cm('counted', { a: '1' }));
    await api.read(cm('counted', {}));
    await api.list('v1', 'ConfigMap', 'default');
    await apply(cm('counted', { a: '2' }));
    await api.replace({
      ...(await api.read(cm('counted', {}))),
      data: { a: '3' },
    } as KubernetesObject);
    await api.delete(cm('counted', {}));
    expect(cluster.log.counters()).toEqual({
      get: 2,
      list: 1,
      watch: 0,
      create: 1,
      update: 1,
      patch: 1,
      delete: 1,
      deletecollection: 0,
      // client-node's generic client resolves the resource through /api/v1 once, then caches it
      nonResource: expect.any(Number),
    });
    expect(cluster.log.counters().nonResource).toBeGreaterThanOrEqual(1);
  });

  it('makes "an unchanged app causes no PATCH" assertable', async () => {
    const desired = cm('steady', { k: 'v' });
    await sync(desired);
    expect(cluster.log.counters().patch).toBe(1);
    cluster.log.reset();
    await sync(desired);
    await sync(desired);
    expect(cluster.log.counters()).toEqual(expect.objectContaining({ get: 2, patch: 0 }));
    expect(cluster.log.find({ verb: 'patch' })).toEqual([]);
  });

  it('records each request with its verb, target, patch type, manager, dry run and answer', async () => {
    await apply(cm('logged', { a: '1' }), 'All');
    await apiError(api.read(cm('absent', {})));
    const [dry] = cluster.log.find({ verb: 'patch', name: 'logged' });
    expect(dry).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      method: 'PATCH',
      path: '/api/v1/namespaces/default/configmaps/logged',
      query: expect.stringContaining('fieldManager=fleetplane'),
      verb: 'patch',
      group: '',
      resource: 'configmaps',
      subresource: undefined,
      namespace: 'default',
      name: 'logged',
      patchType: 'apply',
      fieldManager: 'fleetplane',
      dryRun: true,
      userAgent: expect.any(String),
      status: 201,
    });
    expect(cluster.log.find({ verb: 'get', name: 'absent' })).toEqual([
      expect.objectContaining({ status: 404, resource: 'configmaps' }),
    ]);
    expect(cluster.log.find({ resource: 'configmaps', status: 201 })).toHaveLength(1);
    expect(cluster.log.count({ patchType: 'apply', dryRun: true })).toBe(1);
    expect(cluster.log.count((r) => r.path.endsWith('/absent') && r.status === 404)).toBe(1);
    expect(cluster.log.count()).toBe(cluster.log.entries().length);
  });

  it('logs refused and failed requests too (401, injected 500)', async () => {
    await rawRequest(cluster, '/api/v1/namespaces/default/secrets', { token: '' });
    cluster.faults.set({ errorRate: 1 });
    try {
      await rawRequest(cluster, '/api/v1/namespaces/default/secrets');
    } finally {
      cluster.faults.clear();
    }
    expect(cluster.log.find({ resource: 'secrets' }).map((e) => e.status)).toEqual([401, 500]);
    expect(cluster.log.counters().list).toBe(2);
  });

  it('keeps the newest entries up to the limit while the counters count everything', async () => {
    for (let i = 0; i < 60; i++)
      await rawRequest(cluster, `/api/v1/namespaces/default/configmaps/n-${i}`);
    const entries = cluster.log.entries();
    expect(entries).toHaveLength(50);
    expect(entries[0].name).toBe('n-10');
    expect(entries[49].name).toBe('n-59');
    expect(cluster.log.counters().get).toBe(60);
  });

  it('logs a watch while it is open', async () => {
    const controller = await new Watch(kubeConfigFor(cluster)).watch(
      '/api/v1/namespaces/default/configmaps',
      {},
      () => undefined,
      () => undefined,
    );
    try {
      await eventually(
        async () => cluster.log.counters().watch === 1,
        10_000,
        'the watch to be logged',
      );
      expect(cluster.log.find({ verb: 'watch' })).toEqual([
        expect.objectContaining({ method: 'GET', resource: 'configmaps', query: 'watch=true' }),
      ]);
    } finally {
      controller.abort();
    }
  });

  it('reset clears entries and counters', async () => {
    await api.list('v1', 'ConfigMap', 'default');
    cluster.log.reset();
    expect(cluster.log.entries()).toEqual([]);
    expect(Object.values(cluster.log.counters()).every((n) => n === 0)).toBe(true);
  });
});
