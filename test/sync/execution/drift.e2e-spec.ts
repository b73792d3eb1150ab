/**
 * The drift watcher against kube-sim: after a sync taught it which kinds
 * the Application uses, an out-of-band edit or deletion is reported as drift
 * with the Application's name, while Fleetplane's own writes are not, and
 * controllers' status updates only when they change the object's health.
 */
import { KubeDriftWatcher } from '../../../src/sync/engine/drift-watcher';
import { DriftEvent, DriftWatchHandle } from '../../../src/sync/engine/engine.types';
import { SimCluster } from '../../kube-sim';
import { eventually } from '../../support/wait';
import {
  ExecutionHarness,
  application,
  passRequest,
  startHarness,
  syncClusterOf,
  under,
} from './execution-kit';

const deployment = (name: string, image: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers:\n        - name: web\n          image: ${image}\n`;

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

describe(KubeDriftWatcher.name, () => {
  let h: ExecutionHarness;
  let cluster: SimCluster;
  let sut: KubeDriftWatcher;

  beforeAll(async () => {
    h = await startHarness({ clusters: 1 });
    cluster = h.sim.clusters[0];
    sut = new KubeDriftWatcher(h.pool, h.managedKinds, { minBackoffMs: 100 });
  });
  afterAll(() => h.close());

  const appFor = (name: string) =>
    application(
      name,
      { repoURL: h.repo.url, targetRevision: 'main', path: name },
      { destination: { name: cluster.name, namespace: 'default' } },
    );
  const ref = (name: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'default',
    name,
  });

  /** Starts the cluster's drift watch and waits until it watches `resource`; the caller stops it. */
  async function startWatch(
    resource: string,
  ): Promise<{ events: DriftEvent[]; handle: DriftWatchHandle }> {
    const events: DriftEvent[] = [];
    cluster.log.reset();
    const handle = sut.watch(syncClusterOf(cluster), (event) => events.push(event));
    try {
      await eventually(
        async () => cluster.log.find({ verb: 'watch', resource }).length > 0,
        10_000,
        'watch opened',
      );
    } catch (error) {
      handle.stop();
      throw error;
    }
    return { events, handle };
  }

  it('reports out-of-band edits and deletions, not Fleetplane writes', async () => {
    // Given two Applications synced to the cluster, one ConfigMap each
    await h.repo.commitFiles({
      ...under('drifty', { 'cm.yaml': configMap('drifty', 'git') }),
      ...under('marker', { 'cm.yaml': configMap('marker', 'git') }),
    });
    const results = [];
    for (const name of ['drifty', 'marker']) {
      const desired = await h.desired(appFor(name), cluster);
      results.push(await h.executor.sync(passRequest(appFor(name), cluster, desired)));
    }
    expect(results.map((r) => r.phase)).toEqual(['Succeeded', 'Succeeded']);
    // And a drift watch on the cluster, which learnt the ConfigMap kind from those syncs
    const { events, handle } = await startWatch('configmaps');
    try {
      // When someone edits one ConfigMap
      cluster.objects.patch(ref('drifty'), { data: { value: 'edited' } });
      // Then its Application is reported
      await eventually(
        async () => events.some((e) => e.appName === 'drifty'),
        10_000,
        'edit reported',
      );
      expect(events).toContainEqual({
        clusterName: cluster.name,
        appName: 'drifty',
        reason: 'drift',
      });
      // When Fleetplane reverts it, and afterwards someone edits the marker
      events.length = 0;
      const desired = await h.desired(appFor('drifty'), cluster);
      const revert = await h.executor.sync(
        passRequest(appFor('drifty'), cluster, desired, { inventory: results[0].inventory }),
      );
      expect(revert.phase).toBe('Succeeded');
      cluster.objects.patch(ref('marker'), { data: { value: 'edited' } });
      // Then, by the time the marker's edit arrived (events of one kind arrive in order), the revert was not reported
      await eventually(
        async () => events.some((e) => e.appName === 'marker'),
        10_000,
        'marker reported',
      );
      expect(events.filter((e) => e.appName === 'drifty')).toEqual([]);
      // When someone deletes the ConfigMap
      cluster.objects.delete(ref('drifty'));
      await eventually(
        async () => events.some((e) => e.appName === 'drifty'),
        10_000,
        'deletion reported',
      );
    } finally {
      handle.stop();
    }
  });

  it('reports a rollout ending as a health change, Fleetplane applies not at all, and an edit of the spec as drift', async () => {
    // Given a Deployment synced to the cluster, whose status the controller keeps writing
    const deployRef = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'default',
      name: 'web',
    };
    await h.repo.commitFiles({
      ...under('web', { 'deploy.yaml': deployment('web', 'nginx:1.25') }),
      ...under('pointer', { 'cm.yaml': configMap('pointer', 'git') }),
    });
    let inventory = (
      await h.executor.sync(
        passRequest(appFor('web'), cluster, await h.desired(appFor('web'), cluster)),
      )
    ).inventory;
    await h.executor.sync(
      passRequest(appFor('pointer'), cluster, await h.desired(appFor('pointer'), cluster)),
    );
    const { events, handle } = await startWatch('deployments');
    try {
      // When Git changes the image twice and Fleetplane applies each (the controller updating
      // status after each apply, through the status subresource)
      for (const image of ['nginx:1.26', 'nginx:1.27']) {
        // (managedFields times have whole seconds: an apply within the second of the last one,
        // owning the same fields, cannot be told from another manager's write, and is reported)
        await new Promise((resolve) => setTimeout(resolve, 1_100));
        await h.repo.commitFiles(under('web', { 'deploy.yaml': deployment('web', image) }));
        const result = await h.executor.sync(
          passRequest(appFor('web'), cluster, await h.desired(appFor('web'), cluster), {
            inventory,
          }),
        );
        expect(result.phase).toBe('Succeeded');
        inventory = result.inventory;
      }
      cluster.objects.patch(ref('pointer'), { data: { value: 'edited' } });
      // Then, by the time the later edit arrived, the Deployment's rollouts ending were reported
      // as health changes (the passes ended once applied), and nothing as drift
      await eventually(
        async () => events.some((e) => e.appName === 'pointer'),
        10_000,
        'pointer reported',
      );
      expect(events).toContainEqual({
        clusterName: cluster.name,
        appName: 'web',
        reason: 'health',
        object: {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace: 'default',
          name: 'web',
        },
        health: 'Healthy',
      });
      expect(events.filter((e) => e.appName === 'web' && e.reason === 'drift')).toEqual([]);
      // When someone changes its spec, it is reported as drift
      cluster.objects.patch(deployRef, { spec: { replicas: 3 } });
      await eventually(
        async () => events.some((e) => e.appName === 'web' && e.reason === 'drift'),
        10_000,
        'spec edit reported',
      );
    } finally {
      handle.stop();
    }
  });
});
