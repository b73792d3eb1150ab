/**
 * Automated sync without prune and self-heal: a file deleted from Git and a
 * kubectl edit on the cluster are reported (OutOfSync, with the resource that
 * requires pruning and the differing field in the diff) and nothing is
 * written to the cluster.
 */
import { eventually } from '../support/wait';
import {
  Fleet,
  configMapIn,
  editImage,
  imageOn,
  startFleet,
  syncedHealthy,
  webAppSet,
} from './sync-kit';

describe('sync: automated without prune or self-heal only reports', () => {
  let f: Fleet;
  const name = 'plain-sim-0';

  beforeAll(async () => {
    f = await startFleet({
      clusters: 1,
      env: { FLEETPLANE_SYNC_COMPARE_INTERVAL_SECONDS: '2' },
    });
    await f.t
      .http()
      .post('/api/v1/applicationsets')
      .send(
        webAppSet('plain', f.repo.url, {
          automated: {},
          syncOptions: ['CreateNamespace=true'],
        }),
      )
      .expect(201);
    await f.until(name, syncedHealthy(), 'Synced and Healthy');
  });

  afterAll(async () => {
    await f?.close();
  });

  it('keeps an object whose file was deleted and shows it requires pruning', async () => {
    const [cluster] = f.sim.clusters;
    const sha = await f.repo.commitFiles({ 'web/config.yaml': null }, 'drop the ConfigMap');
    const app = await f.until(
      name,
      (a) => a.status.sync?.status === 'OutOfSync' && a.status.sync?.revision === sha,
      'OutOfSync at the new commit',
    );
    expect(app.status.resources).toContainEqual(
      expect.objectContaining({ kind: 'ConfigMap', name: 'web-settings', requiresPruning: true }),
    );
    expect(cluster.objects.get(configMapIn('shop'))).toBeDefined();
  });

  it('reports a kubectl edit with the differing field, without reverting it', async () => {
    const [cluster] = f.sim.clusters;
    cluster.log.reset();
    editImage(cluster, 'nginx:hacked');
    const app = await f.until(
      name,
      (a) =>
        a.status.resources?.some((r) => r.kind === 'Deployment' && r.status === 'OutOfSync') ===
        true,
      'the Deployment OutOfSync',
    );
    expect(app.status.sync?.status).toBe('OutOfSync');
    const diff = await f.t.http().get(`/api/v1/applications/${name}/diff`).expect(200);
    const deployment = diff.body.items.find((i: { kind: string }) => i.kind === 'Deployment');
    expect(deployment).toMatchObject({
      status: 'OutOfSync',
      differences: [
        {
          path: 'spec.template.spec.containers[name=web].image',
          desired: 'nginx:1.25',
          live: 'nginx:hacked',
        },
      ],
    });
    // Compared again and again, and still nothing written
    await eventually(
      async () => cluster.log.counters().list + cluster.log.counters().get > 3,
      10_000,
    );
    expect(cluster.log.counters().patch).toBe(0);
    expect(imageOn(cluster)).toBe('nginx:hacked');
  });
});
