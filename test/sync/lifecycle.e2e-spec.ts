/**
 * Applications come and go with their ApplicationSet, and the sync engine
 * follows at once: a changed template (another path) is synced without
 * waiting for a poll, and deleting the ApplicationSet prunes every resource
 * of its Applications (they carry the resources finalizer) before their
 * rows go.
 */
import { eventually } from '../support/wait';
import {
  Fleet,
  configMapIn,
  deploymentIn,
  imageOn,
  startFleet,
  syncedHealthy,
  webAppSet,
  webManifests,
} from './sync-kit';

describe('sync: Applications created, changed and deleted by their ApplicationSet', () => {
  let f: Fleet;
  const names = ['web-sim-0', 'web-sim-1'];

  beforeAll(async () => {
    f = await startFleet({ clusters: 2 });
    const other = Object.fromEntries(
      Object.entries(webManifests('nginx:other')).map(([file, body]) => [
        file.replace(/^web\//, 'other/'),
        body,
      ]),
    );
    await f.repo.commitFiles(other, 'another path');
    await f.t.http().post('/api/v1/applicationsets').send(webAppSet('web', f.repo.url)).expect(201);
    for (const name of names) await f.until(name, syncedHealthy(), 'Synced and Healthy');
  });

  afterAll(async () => {
    await f?.close();
  });

  it('syncs a changed template at once', async () => {
    const doc = webAppSet('web', f.repo.url);
    doc.spec.template.spec.source.path = 'other';
    await f.t.http().put('/api/v1/applicationsets/web').send(doc).expect(200);
    for (const cluster of f.sim.clusters) {
      await eventually(
        async () => imageOn(cluster) === 'nginx:other',
        15_000,
        'the new path deployed',
      );
    }
  });

  it('prunes the resources of deleted Applications, then removes them', async () => {
    for (const cluster of f.sim.clusters) {
      expect(cluster.objects.get(deploymentIn('shop'))).toBeDefined();
    }
    await f.t.http().delete('/api/v1/applicationsets/web').expect(202);
    await eventually(
      async () => {
        const res = await f.t.http().get('/api/v1/applications');
        return res.body.items.length === 0;
      },
      30_000,
      'the Applications removed',
    );
    for (const cluster of f.sim.clusters) {
      expect(cluster.objects.get(deploymentIn('shop'))).toBeUndefined();
      expect(cluster.objects.get(configMapIn('shop'))).toBeUndefined();
    }
  });
});
