/**
 * `DELETE /api/v1/applications/{name}` (Argo CD's `argocd app delete`):
 * with cascade, the cluster's worker prunes the resources before the row
 * goes; with `cascade=false` the row goes now and the resources stay, which
 * is also how an operator ends a deletion that waits for a cluster that will
 * not come back. An ApplicationSet that still generates the Application
 * creates it again, as Argo CD's does.
 */
import { eventually } from '../support/wait';
import { Fleet, deploymentIn, register, startFleet, syncedHealthy, webAppSet } from './sync-kit';

describe('DELETE /api/v1/applications/{name}', () => {
  let f: Fleet;

  beforeAll(async () => {
    f = await startFleet({ clusters: 2 });
    await f.t.http().post('/api/v1/applicationsets').send(webAppSet('web', f.repo.url)).expect(201);
    for (const cluster of f.sim.clusters) {
      await f.until(`web-${cluster.name}`, syncedHealthy(), 'synced');
    }
  });
  afterAll(() => f.close());

  const gone = (name: string) => async () =>
    (await f.t.http().get(`/api/v1/applications/${name}`)).status === 404;
  /** Waits for a new Application of that name (another uid), Synced and Healthy. */
  const recreated = (name: string, previousUid: string) =>
    f.until(
      name,
      (app) => app.metadata.uid !== previousUid && syncedHealthy()(app),
      'created again and synced',
    );

  it('refuses a bad or misspelt cascade with 400 naming it, and an unknown name with 404', async () => {
    const name = `web-${f.sim.clusters[0].name}`;
    const bad = await f.t.http().delete(`/api/v1/applications/${name}?cascade=maybe`).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'cascade' })]);
    // A misspelling must not mean the default (which prunes)
    const misspelt = await f.t
      .http()
      .delete(`/api/v1/applications/${name}?casade=false`)
      .expect(400);
    expect(misspelt.body.details).toEqual([expect.objectContaining({ field: 'casade' })]);
    await f.t.http().delete('/api/v1/applications/no-such-app').expect(404);
    expect(syncedHealthy()(await f.app(name))).toBe(true);
  });

  it('without cascade, removes the Application and leaves its resources on the cluster', async () => {
    const [cluster] = f.sim.clusters;
    const name = `web-${cluster.name}`;
    const before = await f.app(name);
    cluster.log.reset();
    const res = await f.t.http().delete(`/api/v1/applications/${name}?cascade=false`).expect(202);
    expect(res.body).toEqual({
      application: name,
      deleting: false,
      message: 'deleted; its resources were left on the cluster',
    });
    // Then its ApplicationSet creates it again: a new Application, which finds its objects in place
    const again = await recreated(name, before.metadata.uid);
    expect(again.status.resources?.map((r) => r.kind).sort()).toEqual([
      'ConfigMap',
      'Deployment',
      'Service',
    ]);
    expect(cluster.log.count({ verb: 'delete' })).toBe(0);
    expect(cluster.objects.get(deploymentIn('shop'))).toBeDefined();

    // And, having found its objects in place with its tracking id, it owns them: deleted with
    // cascade, it prunes them
    const cascade = await f.t.http().delete(`/api/v1/applications/${name}`).expect(202);
    expect(cascade.body.deleting).toBe(true);
    await eventually(
      async () => cluster.log.count({ verb: 'delete', resource: 'deployments' }) === 1,
      30_000,
      'adopted Deployment pruned',
    );
    await recreated(name, again.metadata.uid);
  });

  it('with cascade (the default), prunes its resources before it goes', async () => {
    const [, cluster] = f.sim.clusters;
    const name = `web-${cluster.name}`;
    const before = await f.app(name);
    cluster.log.reset();
    const res = await f.t.http().delete(`/api/v1/applications/${name}`).expect(202);
    expect(res.body).toEqual({
      application: name,
      deleting: true,
      message: 'deletion requested: its resources are pruned, then it is removed',
    });
    await eventually(
      async () => cluster.log.count({ verb: 'delete', resource: 'deployments' }) === 1,
      30_000,
      'Deployment pruned',
    );
    expect(cluster.log.count({ verb: 'delete', resource: 'services' })).toBe(1);
    expect(cluster.log.count({ verb: 'delete', resource: 'configmaps' })).toBe(1);
    // And its ApplicationSet, which still generates it, creates it again
    await recreated(name, before.metadata.uid);
    expect(cluster.objects.get(deploymentIn('shop'))).toBeDefined();
  });

  it('without cascade, ends a deletion that waits for a cluster that will not come back', async () => {
    const [kept, removed] = f.sim.clusters;
    // Given a deletion waiting for its cluster, which was removed from the registry
    await f.t.http().delete(`/api/v1/clusters/${removed.name}`).expect(204);
    await f.t.http().delete('/api/v1/applicationsets/web').expect(202);
    await eventually(gone(`web-${kept.name}`), 30_000, 'the other Application deleted');
    expect(kept.objects.get(deploymentIn('shop'))).toBeUndefined();
    await f.until(
      `web-${removed.name}`,
      (app) => (app.status.conditions ?? []).some((c) => c.type === 'DeletionError'),
      'DeletionError',
    );
    const waiting = await f.t.http().delete(`/api/v1/applications/web-${removed.name}`).expect(202);
    expect(waiting.body.deleting).toBe(true);
    expect(waiting.body.message).toContain('not a registered cluster');

    // When the operator gives up pruning
    const res = await f.t
      .http()
      .delete(`/api/v1/applications/web-${removed.name}?cascade=false`)
      .expect(202);
    expect(res.body.deleting).toBe(false);

    // Then the Application and its ApplicationSet are gone
    expect(await gone(`web-${removed.name}`)()).toBe(true);
    await eventually(
      async () => (await f.t.http().get('/api/v1/applicationsets/web')).status === 404,
      30_000,
      'ApplicationSet removed',
    );
    // And the cluster, registered again, keeps the resources: nothing is left to prune them
    removed.log.reset();
    await register(f.t, removed);
    // (a worker takes a registered cluster's Applications within a second; give it two)
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(removed.log.count({ verb: 'delete' })).toBe(0);
    expect(removed.objects.get(deploymentIn('shop'))).toBeDefined();
  }, 120_000);
});
