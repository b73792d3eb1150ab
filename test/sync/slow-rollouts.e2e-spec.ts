/**
 * Slow rollouts do not hold up the other Applications of their cluster: a
 * pass that has waited a while for a wave to become healthy lends its slots,
 * so with one pass per cluster allowed, several Applications are still
 * mid-sync at once, and the replica reports those passes as waiting.
 */
import { AFTER_ROLLOUT, AppView, Fleet, startFleet, syncedHealthy } from './sync-kit';
import { eventually } from '../support/wait';

const TEAMS = ['team-a', 'team-b', 'team-c'];

describe('sync: slow rollouts', () => {
  let f: Fleet;

  beforeAll(async () => {
    // One pass at a time on the cluster, and rollouts that take 4 s to become ready
    f = await startFleet({
      clusters: 1,
      env: { FLEETPLANE_SYNC_CLUSTER_APPS: '1', FLEETPLANE_SYNC_SETTLE_SECONDS: '1' },
    });
    f.sim.clusters[0].readinessDelayMs = 4_000;
  });
  afterAll(() => f?.close());

  it('syncs other Applications of the cluster while one waits for its rollout', async () => {
    // Given three Applications on one cluster whose first wave rolls out slowly
    const head = await f.repo.commitFiles({ 'web/after.yaml': AFTER_ROLLOUT }, 'a second wave');
    await f.t
      .http()
      .post('/api/v1/applicationsets')
      .send(teamsAppSet(f.repo.url, f.sim.clusters[0].name))
      .expect(201);
    // When they sync, more than one is mid-sync at a time although the cluster runs one pass
    const running = await eventually(
      async () => {
        const views = await Promise.all(
          TEAMS.map((team) => f.app(`web-${team}`).catch(() => null)),
        );
        const names = views
          .filter((view): view is AppView => view?.status.operationState?.phase === 'Running')
          .map((view) => view.metadata.name);
        return names.length >= 2 ? names : null;
      },
      30_000,
      'two Applications Running at once',
    );
    expect(running.length).toBeGreaterThanOrEqual(2);
    // and the replica reports passes waiting with their slots lent
    await eventually(
      async () => {
        const metrics = (await f.t.http().get('/metrics').expect(200)).text;
        return /^fleetplane_sync_passes\{state="waiting"\} [1-9]/m.test(metrics) ? true : null;
      },
      30_000,
      'a waiting pass in the metrics',
    );
    // Then every one ends Synced and Healthy with its second wave applied
    for (const team of TEAMS) {
      const done = await f.until(`web-${team}`, syncedHealthy(head), 'Synced and Healthy', 60_000);
      expect(done.status.operationState?.syncResult?.resources.map((r) => r.name)).toContain(
        'after-rollout',
      );
    }
  }, 120_000);
});

/** The web app of the test repository, once per team namespace on `cluster`. */
function teamsAppSet(repoURL: string, cluster: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'web' },
    spec: {
      generators: [{ list: { elements: TEAMS.map((team) => ({ team })) } }],
      template: {
        metadata: { name: 'web-{{team}}' },
        spec: {
          project: 'default',
          source: { repoURL, targetRevision: 'main', path: 'web' },
          destination: { name: cluster, namespace: '{{team}}' },
          syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] },
        },
      },
    },
  };
}
