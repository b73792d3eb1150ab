/**
 * A long sync shows its progress: while an earlier wave is still becoming
 * healthy, the Application's Running operation already lists the resources
 * applied so far (`syncResult.resources`), as Argo CD's does; the final
 * state replaces it when the sync ends. A sync whose last wave holds the
 * rollout ends once it is applied (Argo CD's asynchronous apply), and the
 * Application's health follows the rollout afterwards.
 */
import {
  AFTER_ROLLOUT,
  Fleet,
  startFleet,
  syncedHealthy,
  webAppSet,
  webManifests,
} from './sync-kit';

describe('sync: progress of a running sync', () => {
  let f: Fleet;

  beforeAll(async () => {
    // (a sync follows the rollout of its last wave for 1 s, not the default 10 s)
    f = await startFleet({ clusters: 1, env: { FLEETPLANE_SYNC_SETTLE_SECONDS: '1' } });
    // Rollouts on this cluster take 10 s to become ready
    f.sim.clusters[0].readinessDelayMs = 10_000;
  });
  afterAll(() => f?.close());

  it('lists the resources applied so far while the sync waits for a wave to be healthy', async () => {
    const head = await f.repo.commitFiles({ 'web/after.yaml': AFTER_ROLLOUT }, 'a second wave');
    await f.t.http().post('/api/v1/applicationsets').send(webAppSet('web', f.repo.url)).expect(201);
    // While the Deployment rolls out, the Running operation shows what was applied
    const running = await f.until(
      'web-sim-0',
      (app) =>
        app.status.operationState?.phase === 'Running' &&
        (app.status.operationState.syncResult?.resources.length ?? 0) > 0,
      'Running with resources applied',
      20_000,
    );
    expect(
      running.status.operationState?.syncResult?.resources
        .map((r) => `${r.kind} ${r.name} ${r.status}`)
        .sort(),
    ).toEqual([
      'ConfigMap web-settings Synced',
      'Deployment web Synced',
      'Namespace shop Synced',
      'Service web Synced',
    ]);
    // And the end of the sync replaces it with the outcome, the second wave applied
    const done = await f.until('web-sim-0', syncedHealthy(head), 'Synced and Healthy', 40_000);
    expect(done.status.operationState).toMatchObject({ phase: 'Succeeded' });
    expect(done.status.operationState?.syncResult?.resources.map((r) => r.name)).toContain(
      'after-rollout',
    );
  }, 60_000);

  it('ends a sync once its last wave is applied, and turns Healthy when the rollout does', async () => {
    // Given the second wave removed (its prune is a step of wave 1 after the Deployment's)
    const oneWave = await f.repo.commitFiles({ 'web/after.yaml': null }, 'one wave');
    await f.until(
      'web-sim-0',
      (app) => app.status.operationState?.syncResult?.revision === oneWave,
      'second wave pruned',
      20_000,
    );
    // When a commit changes the image
    const sha = await f.repo.commitFiles(webManifests('nginx:1.26'), 'new image');
    // Then the sync succeeds while the rollout is still Progressing
    const synced = await f.until(
      'web-sim-0',
      (app) =>
        app.status.operationState?.phase === 'Succeeded' &&
        app.status.operationState.syncResult?.revision === sha,
      'sync of the new image Succeeded',
      20_000,
    );
    expect(synced.status.health?.status).toBe('Progressing');
    expect(synced.status.sync).toMatchObject({ status: 'Synced', revision: sha });
    // And the Application turns Healthy once the rollout is done, without another sync
    const healthy = await f.until('web-sim-0', syncedHealthy(sha), 'Synced and Healthy', 40_000);
    expect(healthy.status.operationState?.startedAt).toBe(synced.status.operationState?.startedAt);
  }, 60_000);
});
