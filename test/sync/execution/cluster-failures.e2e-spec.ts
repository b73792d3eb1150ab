/**
 * A cluster that is down, throttling or hanging, or that refuses a write,
 * fails only its own sync, with a classified failure within the deadline,
 * while another cluster syncs normally.
 */
import { KubeSyncExecutor } from '../../../src/sync/engine/sync-executor';
import { classifyFailure } from '../../../src/sync/retry/failure-classification';
import { SimCluster } from '../../kube-sim';
import {
  ExecutionHarness,
  application,
  passRequest,
  startHarness,
  syncClusterOf,
  under,
  webApp,
} from './execution-kit';

describe(`${KubeSyncExecutor.name} with failing clusters`, () => {
  let h: ExecutionHarness;
  let healthy: SimCluster;
  let failing: SimCluster;

  beforeAll(async () => {
    h = await startHarness({ clusters: 2, requestTimeoutMs: 1_500 });
    [healthy, failing] = h.sim.clusters;
    await h.repo.commitFiles(under('web', webApp()));
  });
  afterEach(() => failing.faults.clear());
  afterAll(() => h.close());

  const app = (cluster: SimCluster) =>
    application(
      `web-${cluster.name}`,
      { repoURL: h.repo.url, targetRevision: 'main', path: 'web' },
      { destination: { name: cluster.name, namespace: 'default' } },
    );

  async function syncBoth() {
    const [good, bad] = await Promise.all(
      [healthy, failing].map(async (cluster) => {
        const desired = await h.desired(app(cluster), cluster);
        return h.executor.sync(passRequest(app(cluster), cluster, desired));
      }),
    );
    return { good, bad };
  }

  it.each([
    ['down', { down: true }, ['network', 'timeout']],
    ['hanging', { hang: true }, ['timeout']],
  ])(
    'a cluster that is %s yields a transient failure while the other syncs',
    async (_name, faults, kinds) => {
      failing.faults.set(faults);
      const { good, bad } = await syncBoth();
      expect(good.phase).toBe('Succeeded');
      expect(bad.phase).toBe('Error');
      expect(kinds).toContain(bad.failure?.kind);
      expect(classifyFailure(bad.failure!, Date.now()).class).toBe('transient');
    },
  );

  it('a throttling cluster yields a 429 failure carrying Retry-After', async () => {
    failing.faults.set({ throttleRate: 1, retryAfterSeconds: 1 });
    const { good, bad } = await syncBoth();
    expect(good.phase).toBe('Succeeded');
    expect(bad).toMatchObject({
      phase: 'Error',
      failure: { kind: 'http', statusCode: 429, retryAfter: '1' },
    });
    expect(classifyFailure(bad.failure!, Date.now())).toMatchObject({
      class: 'transient',
      retryAfterMs: 1000,
    });
  });

  it('a refused write fails the pass with a terminal failure naming the object', async () => {
    failing.faults.set({ deny: [{ verbs: ['patch'], resources: ['configmaps'] }] });
    const desired = await h.desired(app(failing), failing);
    const result = await h.executor.sync(passRequest(app(failing), failing, desired));
    expect(result.phase).toBe('Failed');
    expect(result.failure).toMatchObject({ kind: 'http', statusCode: 403 });
    expect(classifyFailure(result.failure!, Date.now()).class).toBe('terminal');
    expect(result.resources).toContainEqual(
      expect.objectContaining({ kind: 'ConfigMap', status: 'SyncFailed' }),
    );
  });

  it('compare rejects with the failure of a cluster that cannot be read', async () => {
    failing.faults.set({ down: true });
    const desired = await h.desired(app(failing), failing);
    await expect(
      h.executor.compare(app(failing), syncClusterOf(failing), desired, []),
    ).rejects.toMatchObject({ failure: { kind: expect.stringMatching(/network|timeout/) } });
  });
});
