/**
 * A long sync shows its progress: while a rollout is still becoming
 * healthy, the Application's Running operation already lists the resources
 * applied so far (`syncResult.resources`), as Argo CD's does; the final
 * state replaces it when the sync ends.
 */
import { Fleet, startFleet, syncedHealthy, webAppSet } from './sync-kit';

describe('sync: progress of a running sync', () => {
  let f: Fleet;

  beforeAll(async () => {
    f = await startFleet({ clusters: 1 });
    // Rollouts on this cluster take 10 s to become ready
    f.sim.clusters[0].readinessDelayMs = 10_000;
  });
  afterAll(() => f?.close());

  it('lists the resources applied so far while the sync waits for health', async () => {
    const head = await f.repo.head();
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
        .map((r) => `${r.kind} ${r.status}`)
        .sort(),
    ).toEqual(['ConfigMap Synced', 'Deployment Synced', 'Namespace Synced', 'Service Synced']);
    // And the end of the sync replaces it with the outcome
    const done = await f.until('web-sim-0', syncedHealthy(head), 'Synced and Healthy', 40_000);
    expect(done.status.operationState).toMatchObject({ phase: 'Succeeded' });
  });
});
