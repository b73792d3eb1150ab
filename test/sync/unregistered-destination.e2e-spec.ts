/**
 * An Application whose destination cluster is deleted: no worker holds it
 * any more, so the control plane shows it `Unknown` with an
 * `InvalidSpecError` naming the cluster (as Argo CD does), instead of
 * leaving its last `Synced`/`Healthy` as if the cluster were still there;
 * the other clusters' Applications are untouched, and registering the
 * cluster again brings it back to `Synced`. Deleted while its cluster is
 * gone, it waits with a `DeletionError` and is pruned once the cluster is back.
 * The second case continues the first (same fleet, same ApplicationSet).
 */
import { eventually } from '../support/wait';
import { Fleet, deploymentIn, register, startFleet, syncedHealthy } from './sync-kit';

/** A list generator names the clusters, so deleting one keeps its Application (never-delete-on-failure). */
function listAppSet(repoURL: string, clusters: string[]) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'listed' },
    spec: {
      generators: [{ list: { elements: clusters.map((cluster) => ({ cluster })) } }],
      template: {
        metadata: { name: 'listed-{{cluster}}' },
        spec: {
          project: 'default',
          source: { repoURL, targetRevision: 'main', path: 'web' },
          destination: { name: '{{cluster}}', namespace: 'shop' },
          syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] },
        },
      },
    },
  };
}

describe('an Application whose destination cluster is deleted', () => {
  let f: Fleet;

  beforeAll(async () => {
    f = await startFleet({ clusters: 2 });
  });
  afterAll(() => f.close());

  it('turns Unknown with an InvalidSpecError, and syncs again once the cluster is back', async () => {
    // Given an Application on each of two clusters, both Synced and Healthy
    const [kept, removed] = f.sim.clusters;
    await f.t
      .http()
      .post('/api/v1/applicationsets')
      .send(listAppSet(f.repo.url, [kept.name, removed.name]))
      .expect(201);
    await f.until(`listed-${kept.name}`, syncedHealthy(), 'synced');
    await f.until(`listed-${removed.name}`, syncedHealthy(), 'synced');

    // When one cluster is deleted from the registry
    await f.t.http().delete(`/api/v1/clusters/${removed.name}`).expect(204);

    // Then its Application says why it is no longer compared, and keeps its history
    const message = `destination cluster "${removed.name}" is not registered`;
    const orphan = await f.until(
      `listed-${removed.name}`,
      (app) => app.status.sync?.status === 'Unknown',
      'marked Unknown',
    );
    expect(orphan.status.health).toEqual({ status: 'Unknown', message });
    expect(orphan.status.sync?.message).toBe(message);
    expect(orphan.status.conditions).toEqual([
      expect.objectContaining({ type: 'InvalidSpecError', message }),
    ]);
    expect(orphan.status.history?.length).toBeGreaterThan(0);
    // And the other cluster's Application is untouched
    expect(syncedHealthy()(await f.app(`listed-${kept.name}`))).toBe(true);

    // When the cluster is registered again
    await register(f.t, removed);
    // Then its Application is compared and Synced again, without the condition
    const back = await f.until(`listed-${removed.name}`, syncedHealthy(), 'synced again');
    expect(back.status.conditions ?? []).toEqual([]);
  });

  it('waits to be deleted while its cluster is gone, and is pruned once the cluster is back', async () => {
    const [kept, removed] = f.sim.clusters;
    // Given the cluster deleted again
    await f.t.http().delete(`/api/v1/clusters/${removed.name}`).expect(204);
    await f.until(
      `listed-${removed.name}`,
      (app) => app.status.sync?.status === 'Unknown',
      'Unknown',
    );
    // When the ApplicationSet, and with it its Applications, is deleted
    await f.t.http().delete('/api/v1/applicationsets/listed').expect(202);
    // Then the Application on the registered cluster goes, with its resources
    await eventually(
      async () => (await f.t.http().get(`/api/v1/applications/listed-${kept.name}`)).status === 404,
      30_000,
      'kept cluster app deleted',
    );
    expect(kept.objects.get(deploymentIn('shop'))).toBeUndefined();
    // And the other says why it waits
    const waiting = await f.until(
      `listed-${removed.name}`,
      (app) => (app.status.conditions ?? []).some((c) => c.type === 'DeletionError'),
      'DeletionError',
    );
    expect(waiting.status.conditions?.find((c) => c.type === 'DeletionError')?.message).toBe(
      `destination cluster "${removed.name}" is not registered: its resources are pruned once it is registered again (DELETE with cascade=false removes the Application and leaves them)`,
    );
    expect(removed.objects.get(deploymentIn('shop'))).toBeDefined();
    // When the cluster is registered again, its resources are pruned and the Application removed
    await register(f.t, removed);
    await eventually(
      async () =>
        (await f.t.http().get(`/api/v1/applications/listed-${removed.name}`)).status === 404,
      30_000,
      'removed cluster app deleted',
    );
    expect(removed.objects.get(deploymentIn('shop'))).toBeUndefined();
  }, 120_000);
});
