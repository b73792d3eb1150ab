/**
 * The live cache against kube-sim: once the drift watch listed a kind, the
 * executor compares without reading the cluster, an out-of-band edit reaches
 * the next comparison through the watch, a sync's health wait ends on watch
 * events without polling, its own writes are seen by the next comparison at
 * once, a kind whose watch is lost is read from the cluster again, and the
 * first comparisons on a cluster wait for the watch's lists instead of each
 * reading the cluster (but never for a kind the cluster does not serve).
 */
import { KubeDriftWatcher } from '../../../src/sync/engine/drift-watcher';
import { DesiredState, DriftWatchHandle } from '../../../src/sync/engine/engine.types';
import { LiveCache } from '../../../src/sync/engine/live-cache';
import { DEFAULT_EXECUTION_SETTINGS } from '../../../src/sync/engine/pass-context';
import { KubeSyncExecutor } from '../../../src/sync/engine/sync-executor';
import { refOf } from '../../../src/sync/manifests/kube-object';
import { Inventory } from '../../../src/sync/plan/inventory';
import { SimCluster } from '../../kube-sim';
import { eventually } from '../../support/wait';
import {
  ExecutionHarness,
  application,
  passRequest,
  startHarness,
  syncClusterOf,
  under,
  webApp,
} from './execution-kit';

describe('live cache (drift watch → executor)', () => {
  let h: ExecutionHarness;
  let cluster: SimCluster;
  let cache: LiveCache;
  let executor: KubeSyncExecutor;
  let watch: DriftWatchHandle | undefined;

  beforeAll(async () => {
    h = await startHarness({ clusters: 2, readinessDelayMs: 300 });
    cluster = h.sim.clusters[0];
    cache = new LiveCache({ authoritativeEveryMs: 600_000, maxBytes: 16 * 1024 * 1024 });
    executor = new KubeSyncExecutor(
      h.pool,
      {
        ...DEFAULT_EXECUTION_SETTINGS,
        healthTimeoutMs: 120_000,
        waveDelayMs: 0,
        // Beyond the test's own timeout: a health wait that does not end on the watch event fails it.
        pollMinMs: 60_000,
        pollMaxMs: 60_000,
      },
      h.managedKinds,
      cache,
    );
  });
  afterAll(async () => {
    watch?.stop();
    await h.close();
  });

  const app = application(
    'cached',
    { repoURL: '', targetRevision: 'main', path: 'cached' },
    { destination: { name: 'sim-1', namespace: 'default' } },
  );
  const appHere = () => ({
    ...app,
    spec: {
      ...app.spec,
      source: { ...app.spec.source!, repoURL: h.repo.url },
      destination: { name: cluster.name, namespace: 'default' },
    },
  });
  const compare = (desired: DesiredState, inventory: Inventory) =>
    executor.compare(appHere(), syncClusterOf(cluster), desired, inventory);
  const reads = () =>
    cluster.log.find((entry) => entry.verb === 'list' || entry.verb === 'get').length;

  it('compares from the watch, sees edits and rollouts through it, and waits for a wave to be healthy on its events', async () => {
    // Given an Application synced once, by an executor without the cache (which polls health),
    // teaching the watch its kinds
    await h.repo.commitFiles(under('cached', webApp('nginx:1.25')));
    let desired = await h.desired(appHere(), cluster);
    const first = await h.executor.sync(passRequest(appHere(), cluster, desired));
    expect(first.phase).toBe('Succeeded');
    // And a drift watch that has listed those kinds
    watch = new KubeDriftWatcher(h.pool, h.managedKinds, { minBackoffMs: 100 }, cache).watch(
      syncClusterOf(cluster),
      () => undefined,
    );
    await eventually(
      async () => cache.read(cluster.name, 'cached', desired.objects.map(refOf)) !== undefined,
      10_000,
      'kinds listed',
    );

    // When the Application is compared again
    cluster.log.reset();
    const compared = await compare(desired, first.inventory);
    // Then it is Synced, and Healthy once the watch saw the rollout end, the cluster not read
    expect(compared.syncStatus).toBe('Synced');
    await eventually(
      async () => (await compare(desired, first.inventory)).health.status === 'Healthy',
      10_000,
      'rollout seen through the watch',
    );
    expect(reads()).toBe(0);

    // When someone edits the ConfigMap behind Fleetplane's back
    cluster.objects.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'web-settings' },
      { data: { greeting: 'edited' } },
    );
    // Then the next comparisons see it through the watch
    await eventually(
      async () => (await compare(desired, first.inventory)).syncStatus === 'OutOfSync',
      10_000,
      'edit seen',
    );
    expect(reads()).toBe(0);

    // When a new image is synced, with the ConfigMap in a later wave than the Deployment
    const files = webApp('nginx:1.27');
    files['config.yaml'] = files['config.yaml'].replace(
      '  name: web-settings\n',
      '  name: web-settings\n  annotations: {argocd.argoproj.io/sync-wave: "1"}\n',
    );
    await h.repo.commitFiles(under('cached', files));
    desired = await h.desired(appHere(), cluster);
    cluster.log.reset();
    const second = await executor.sync(
      passRequest(appHere(), cluster, desired, { inventory: first.inventory }),
    );
    // Then it succeeds, the wave of the Deployment having ended once it was ready (on the event:
    // a poll would come after a minute), reading nothing
    expect(second.phase).toBe('Succeeded');
    expect(reads()).toBe(0);
    expect(cluster.log.find({ verb: 'patch' }).map((entry) => entry.resource)).toEqual([
      'deployments',
      'configmaps',
    ]);
    // And the comparison right after it sees its own writes
    const after = await compare(desired, second.inventory);
    expect(after.syncStatus).toBe('Synced');
    expect(after.health.status).toBe('Healthy');
  });

  it('reads the cluster again for a kind whose watch was lost', async () => {
    const desired = await h.desired(appHere(), cluster);
    cache.lostKind(cluster.name, '', 'ConfigMap');
    cluster.log.reset();
    await compare(desired, []);
    expect(cluster.log.find({ verb: 'list', resource: 'configmaps' }).length).toBeGreaterThan(0);
  });

  it("waits for the watch's lists on a fresh cluster instead of reading it once per Application", async () => {
    // Given a cluster no Application was compared on yet, and its drift watch (no kinds known)
    const fresh = h.sim.clusters[1];
    const freshCache = new LiveCache({ authoritativeEveryMs: 600_000, maxBytes: 16 * 1024 * 1024 });
    const freshExecutor = new KubeSyncExecutor(
      h.pool,
      DEFAULT_EXECUTION_SETTINGS,
      h.managedKinds,
      freshCache,
    );
    const freshWatch = new KubeDriftWatcher(
      h.pool,
      h.managedKinds,
      { minBackoffMs: 100 },
      freshCache,
    ).watch(syncClusterOf(fresh), () => undefined);
    try {
      await h.repo.commitFiles(under('fresh', webApp('nginx:1.25')));
      const apps = Array.from({ length: 12 }, (_, i) => {
        const destination = { name: fresh.name, namespace: `team-${i}` };
        return application(
          `fresh-${i}`,
          { repoURL: h.repo.url, targetRevision: 'main', path: 'fresh' },
          { destination },
        );
      });
      const desired = await Promise.all(apps.map((app) => h.desired(app, fresh)));
      fresh.log.reset();

      // When twelve Applications are compared at once, before the watch has listed anything
      const compared = await Promise.all(
        apps.map((app, i) => freshExecutor.compare(app, syncClusterOf(fresh), desired[i], [])),
      );

      // Then each finds its three objects missing
      for (const comparison of compared) {
        expect(comparison.syncStatus).toBe('OutOfSync');
        expect(comparison.resources.map((r) => r.status)).toEqual([
          'OutOfSync',
          'OutOfSync',
          'OutOfSync',
        ]);
      }
      // And the cluster was listed once per kind, by the watch, across all namespaces
      const lists = fresh.log.find({ verb: 'list' });
      expect(lists.map((entry) => entry.resource).sort()).toEqual([
        'configmaps',
        'deployments',
        'services',
      ]);
      expect(lists.every((entry) => entry.namespace === undefined || entry.namespace === '')).toBe(
        true,
      );
      expect(fresh.log.find({ verb: 'get' })).toHaveLength(0);
    } finally {
      freshWatch.stop();
    }
  });

  it('leaves no read waiting for a kind the cluster does not serve', async () => {
    // Given the drift watch of a cluster, done listing its Namespaces
    const fresh = h.sim.clusters[1];
    const freshCache = new LiveCache({ authoritativeEveryMs: 600_000, maxBytes: 16 * 1024 * 1024 });
    const widget = { group: 'example.com', version: 'v1', kind: 'Widget' };
    const freshWatch = new KubeDriftWatcher(
      h.pool,
      h.managedKinds,
      { minBackoffMs: 100 },
      freshCache,
    ).watch(syncClusterOf(fresh), () => undefined, {
      kinds: [{ group: '', version: 'v1', kind: 'Namespace' }],
    });
    try {
      await eventually(
        async () => freshCache.stats.objects > 0 && freshCache.stats.listing === 0,
        10_000,
        'namespaces listed',
      );
      // When it is asked to watch a kind no CRD serves
      freshWatch.watchKinds!([widget]);
      // Then reads of that kind may wait only until the watch finds it is not served
      expect(freshCache.stats.listing).toBe(1);
      await eventually(async () => freshCache.stats.listing === 0, 10_000, 'listing given up');
      await expect(freshCache.listed(fresh.name, [widget], 60_000)).resolves.toBe(false);
    } finally {
      freshWatch.stop();
    }
  });

  it('leaves no read waiting for the lists of a watch that cannot start', async () => {
    // Given the drift watch of a cluster whose address the client refuses
    const freshCache = new LiveCache({ authoritativeEveryMs: 600_000, maxBytes: 16 * 1024 * 1024 });
    const broken = {
      name: 'broken',
      access: { server: 'not a url', insecureSkipTLSVerify: false },
    };
    const brokenWatch = new KubeDriftWatcher(h.pool, h.managedKinds, {}, freshCache).watch(
      broken,
      () => undefined,
    );
    try {
      // When it is asked to watch a kind before its client is ready
      brokenWatch.watchKinds!([{ group: '', version: 'v1', kind: 'ConfigMap' }]);
      expect(freshCache.stats.listing).toBe(1);
      // Then the mark goes once the client fails, and reads go to the cluster
      await eventually(async () => freshCache.stats.listing === 0, 10_000, 'listing given up');
    } finally {
      brokenWatch.stop();
    }
  });
});
