/**
 * The sync engine end to end: an ApplicationSet over three kube-sim
 * clusters (registered over REST) deploys a Deployment, a Service and a
 * ConfigMap from a real Git repository to each, and the fleet follows Git:
 * a new image, a deleted file (pruned), drift (self-healed), and an
 * unchanged Application that sends no write.
 */
import { eventually } from '../support/wait';
import {
  CONFIG_MAP,
  Fleet,
  editImage,
  imageOn,
  startFleet,
  syncedHealthy,
  webAppSet,
  webManifests,
} from './sync-kit';

describe('sync: an ApplicationSet over three clusters', () => {
  let f: Fleet;
  const names = ['web-sim-0', 'web-sim-1', 'web-sim-2'];

  beforeAll(async () => {
    // Compared every 2 s, so the no-write check below covers many passes.
    f = await startFleet({ clusters: 3, env: { FLEETPLANE_SYNC_COMPARE_INTERVAL_SECONDS: '2' } });
  });

  afterAll(async () => {
    await f?.close();
  });

  it('deploys to every cluster and all become Synced and Healthy', async () => {
    // Given three registered clusters and manifests in Git
    const head = await f.repo.head();
    // When an ApplicationSet targets them with automated sync
    await f.t.http().post('/api/v1/applicationsets').send(webAppSet('web', f.repo.url)).expect(201);
    // Then each Application becomes Synced and Healthy at the commit
    for (const name of names) {
      const app = await f.until(name, syncedHealthy(head), 'Synced and Healthy');
      expect(app.status.operationState).toMatchObject({
        phase: 'Succeeded',
        operation: { revision: head, initiatedBy: { automated: true } },
      });
      expect(app.status.history).toEqual([expect.objectContaining({ id: 0, revision: head })]);
      expect(app.status.resources?.map((r) => `${r.kind}/${r.name}`).sort()).toEqual([
        'ConfigMap/web-settings',
        'Deployment/web',
        'Service/web',
      ]);
    }
    for (const cluster of f.sim.clusters) expect(imageOn(cluster)).toBe('nginx:1.25');
  });

  it('follows a commit that changes the image on every cluster', async () => {
    const sha = await f.repo.commitFiles(webManifests('nginx:1.27'), 'new image');
    for (const name of names) await f.until(name, syncedHealthy(sha), `synced to ${sha}`);
    for (const cluster of f.sim.clusters) expect(imageOn(cluster)).toBe('nginx:1.27');
  });

  it('prunes an object whose file was deleted', async () => {
    const sha = await f.repo.commitFiles({ 'web/config.yaml': null }, 'drop the ConfigMap');
    for (const name of names) await f.until(name, syncedHealthy(sha), `synced to ${sha}`);
    for (const cluster of f.sim.clusters) expect(cluster.objects.get(CONFIG_MAP)).toBeUndefined();
  });

  it('sends no write to a cluster when nothing changed', async () => {
    // Given Applications that are Synced, and the request counters of every cluster at zero
    for (const name of names) await f.until(name, syncedHealthy(), 'Synced and Healthy');
    for (const cluster of f.sim.clusters) cluster.log.reset();
    // When they are compared again and again (every 2 s)
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    // Then the clusters were read but never written to
    for (const cluster of f.sim.clusters) {
      const counters = cluster.log.counters();
      expect(counters.get + counters.list).toBeGreaterThan(0);
      expect({
        cluster: cluster.name,
        patch: counters.patch,
        create: counters.create,
        update: counters.update,
        delete: counters.delete,
      }).toEqual({
        cluster: cluster.name,
        patch: 0,
        create: 0,
        update: 0,
        delete: 0,
      });
    }
  });

  it('reverts a kubectl edit on one cluster with self-heal', async () => {
    const [edited, other] = f.sim.clusters;
    const before = imageOn(edited);
    other.log.reset();
    // When someone sets another image on one cluster
    editImage(edited, 'nginx:hacked');
    // Then self-heal puts the Git image back, and only that cluster is written to
    await eventually(async () => imageOn(edited) === before, 15_000, 'the edit reverted');
    const app = await f.until('web-sim-0', syncedHealthy(), 'Synced again');
    expect(app.status.operationState?.operation.initiatedBy.automated).toBe(true);
    expect(other.log.counters().patch).toBe(0);
  });
});
