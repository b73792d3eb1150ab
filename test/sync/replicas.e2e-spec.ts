/**
 * Two replicas on one database share the clusters: each takes its fair
 * share of the leases, never the same cluster as the other, and both sync
 * their Applications; when one stops, the other takes every cluster over
 * and keeps syncing.
 */
import { SyncRuntime } from '../../src/sync/control/runtime/sync-runtime.service';
import { KubeSim } from '../kube-sim';
import { startTestApp, TestApp } from '../support/app';
import { TestGitRepo } from '../support/git-repo';
import { eventually } from '../support/wait';
import { FAST_SYNC_ENV, register, webAppSet, webManifests } from './sync-kit';

jest.setTimeout(120_000);

describe('sync: two replicas', () => {
  let sim: KubeSim;
  let repo: TestGitRepo;
  let a: TestApp;
  let b: TestApp | undefined;
  const env = { ...FAST_SYNC_ENV, FLEETPLANE_SYNC_LEASE_SECONDS: '3' };

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 4, readinessDelayMs: 20 });
    repo = await TestGitRepo.create();
    await repo.commitFiles(webManifests(), 'web app');
    a = await startTestApp({ env });
    // Both replicas decrypt the same credentials: they share the key, as replicas must.
    b = await startTestApp({
      db: a.db,
      env: { ...env, FLEETPLANE_ENCRYPTION_KEY: a.config.encryptionKey!.toString('base64') },
    });
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await sim?.stop();
    await repo?.cleanup();
  });

  const held = (t: TestApp) => t.app.get(SyncRuntime).heldClusters();

  it('share the clusters without overlap and both sync', async () => {
    for (const cluster of sim.clusters) await register(a, cluster);
    await a.http().post('/api/v1/applicationsets').send(webAppSet('web', repo.url)).expect(201);
    await eventually(
      async () => held(a).length === 2 && held(b!).length === 2,
      30_000,
      'two clusters each',
    );
    expect([...held(a), ...held(b!)].sort()).toEqual(['sim-0', 'sim-1', 'sim-2', 'sim-3']);
    for (const cluster of sim.clusters) {
      await eventually(
        async () => {
          const res = await a.http().get(`/api/v1/applications/web-${cluster.name}`);
          return (
            res.body.status?.sync?.status === 'Synced' &&
            res.body.status?.health?.status === 'Healthy'
          );
        },
        30_000,
        `web-${cluster.name} Synced`,
      );
    }
  });

  it('hand every cluster to the replica that stays', async () => {
    const [cluster] = sim.clusters;
    await b!.close();
    b = undefined;
    await eventually(async () => held(a).length === 4, 30_000, 'all four on the first replica');
    // and it keeps them in sync: an out-of-band edit is reverted by self-heal
    cluster.objects.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'web-settings' },
      { data: { greeting: 'edited' } },
    );
    await eventually(
      async () =>
        (
          cluster.objects.get({
            apiVersion: 'v1',
            kind: 'ConfigMap',
            namespace: 'shop',
            name: 'web-settings',
          }) as {
            data?: { greeting?: string };
          }
        )?.data?.greeting === 'hello',
      30_000,
      'the edit reverted',
    );
  });
});
