/**
 * Failures stay where they happen: a cluster that is down is retried with
 * backoff (its circuit opens, its connection status says so) while the rest
 * of the fleet syncs, and catches up once it is back; a rollout that never
 * becomes ready (`:fail` image) turns the Application Degraded (its sync,
 * as Argo CD's, succeeded: nothing failed to apply), without touching the
 * other clusters' health.
 */
import { eventually } from '../support/wait';
import { AppView, Fleet, startFleet, syncedHealthy, webManifests } from './sync-kit';

/** Six Applications per cluster (namespaces a–f), so one down cluster fails six times at once. */
function matrixAppSet(repoURL: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'web' },
    spec: {
      generators: [
        {
          matrix: {
            generators: [
              { clusters: { selector: { matchLabels: { fleet: 'yes' } } } },
              { list: { elements: ['a', 'b', 'c', 'd', 'e', 'f'].map((ns) => ({ ns })) } },
            ],
          },
        },
      ],
      template: {
        metadata: { name: 'web-{{name}}-{{ns}}' },
        spec: {
          project: 'default',
          source: { repoURL, targetRevision: 'main', path: 'web' },
          destination: { name: '{{name}}', namespace: '{{ns}}' },
          syncPolicy: { automated: { selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
        },
      },
    },
  };
}

const NAMESPACES = ['a', 'b', 'c', 'd', 'e', 'f'];

describe('sync: failures stay with their cluster', () => {
  let f: Fleet;

  beforeAll(async () => {
    f = await startFleet({ clusters: 3, perClusterListeners: true });
  });

  afterAll(async () => {
    await f?.close();
  });

  it('retries a cluster that is down with backoff while the others sync', async () => {
    // Given one of three clusters refusing connections
    const down = f.sim.cluster('sim-1');
    down.faults.down = true;
    // When the ApplicationSet deploys to all three
    await f.t.http().post('/api/v1/applicationsets').send(matrixAppSet(f.repo.url)).expect(201);
    // Then the healthy clusters become Synced and Healthy
    for (const cluster of ['sim-0', 'sim-2'])
      for (const ns of NAMESPACES) await f.until(`web-${cluster}-${ns}`, syncedHealthy(), 'synced');
    // and the down one reports why, with its circuit open and its connection marked Failed
    const failing = await f.until(
      'web-sim-1-a',
      (a) => a.status.sync?.status === 'Unknown',
      'Unknown',
    );
    expect(failing.status.conditions).toEqual([
      expect.objectContaining({
        type: 'ComparisonError',
        message: expect.stringMatching(/ECONNREFUSED|connect/),
      }),
    ]);
    const cluster = await eventually(
      async () => {
        const res = await f.t.http().get('/api/v1/clusters/sim-1');
        return res.body.connection?.status === 'Failed' ? res.body : null;
      },
      20_000,
      'sim-1 marked Failed',
    );
    expect(cluster.connection.message).toMatch(/^sync circuit open: /);
    // When it comes back, the probe after the open period syncs it
    down.faults.down = false;
    for (const ns of NAMESPACES)
      await f.until(`web-sim-1-${ns}`, syncedHealthy(), 'synced after recovery', 60_000);
    await eventually(
      async () => {
        const res = await f.t.http().get('/api/v1/clusters/sim-1');
        return res.body.connection?.status === 'Successful';
      },
      20_000,
      'sim-1 marked Successful',
    );
  }, 120_000);

  it('turns an Application Degraded when its rollout fails (:fail image)', async () => {
    const sha = await f.repo.commitFiles(webManifests('nginx:fail'), 'a broken image');
    const app: AppView = await f.until(
      'web-sim-0-a',
      (a) => a.status.health?.status === 'Degraded' && a.status.sync?.revision === sha,
      'Degraded',
    );
    // As in Argo CD, the sync itself succeeded (the rollout failed after it): no retry, no error
    expect(app.status.operationState).toMatchObject({
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      syncResult: { revision: sha },
    });
    expect(app.status.operationState?.retryCount ?? 0).toBe(0);
    expect(app.status.sync?.status).toBe('Synced');
    expect(app.status.conditions ?? []).toEqual([]);
    expect(app.status.resources).toContainEqual(
      expect.objectContaining({
        kind: 'Deployment',
        health: expect.objectContaining({ status: 'Degraded' }),
      }),
    );
  });
});
