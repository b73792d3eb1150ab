/**
 * Relabel reacts at once: a cluster register, relabel or delete event
 * re-evaluates only the ApplicationSets whose cluster generators (at any
 * depth of matrix/merge) select the cluster's old or new labels, and the
 * result is applied without waiting for any timer. Periodic resync and Git
 * polling are switched off, so only the event can explain a change.
 */
import { ApplicationSetReconciler } from '../../src/applicationsets/reconcile/applicationset-reconciler';
import { ClusterEventBus } from '../../src/clusters/cluster-event-bus';
import { startTestApp, TestApp } from '../support/app';
import { eventually } from '../support/wait';
import {
  DEADLINE_MS,
  appNames,
  clusterAppSet,
  registerClusters,
  waitForApps,
} from './lifecycle-kit';

describe('relabel', () => {
  let t: TestApp;
  /** ApplicationSet ids reconciled since the last reset, in order. */
  let reconciled: string[] = [];
  const ids = new Map<string, string>();

  const relabel = (cluster: string, labels: Record<string, string | null>) =>
    t.http().patch(`/api/v1/clusters/${cluster}`).send({ labels }).expect(200);
  const destinationOf = async (app: string) =>
    (await t.http().get(`/api/v1/applications/${app}`).expect(200)).body.spec.destination.name;

  beforeAll(async () => {
    t = await startTestApp({
      env: { FLEETPLANE_RESYNC_SECONDS: '0', FLEETPLANE_GIT_POLL_SECONDS: '3600' },
    });
    const reconciler = t.app.get(ApplicationSetReconciler);
    const original = reconciler.reconcile.bind(reconciler);
    jest.spyOn(reconciler, 'reconcile').mockImplementation(async (id, now) => {
      reconciled.push(id);
      return original(id, now);
    });
    await registerClusters(t, {
      a: { env: 'prod', team: 'web' },
      b: { env: 'dev', team: 'web' },
      c: { env: 'dev', team: 'data' },
    });
    const docs = [
      clusterAppSet('web', { env: 'prod' }),
      // The single "primary" Application follows the cluster labelled primary.
      {
        ...clusterAppSet('primary', { role: 'primary' }),
        spec: {
          ...clusterAppSet('primary', { role: 'primary' }).spec,
          template: {
            metadata: { name: 'primary' },
            spec: {
              project: 'default',
              source: { repoURL: 'https://git.example.com/apps.git', path: 'primary' },
              destination: { name: '{{name}}', namespace: 'apps' },
            },
          },
        },
      },
      // A cluster generator nested in a matrix: still targeted by its selector.
      {
        ...clusterAppSet('nested', {}),
        spec: {
          ...clusterAppSet('nested', {}).spec,
          generators: [
            {
              matrix: {
                generators: [
                  { clusters: { selector: { matchLabels: { team: 'data' } } } },
                  { list: { elements: [{ component: 'etl' }] } },
                ],
              },
            },
          ],
          template: {
            metadata: { name: 'nested-{{name}}-{{component}}' },
            spec: {
              project: 'default',
              source: { repoURL: 'https://git.example.com/apps.git', path: '{{component}}' },
              destination: { name: '{{name}}', namespace: 'apps' },
            },
          },
        },
      },
      // Reads no labels that any relabel below touches.
      clusterAppSet('unrelated', { tier: 'gold' }),
    ];
    for (const doc of docs) {
      const res = await t.http().post('/api/v1/applicationsets').send(doc).expect(201);
      ids.set(res.body.metadata.name, res.body.metadata.uid);
    }
    await waitForApps(t, 'web', ['web-a']);
    await waitForApps(t, 'nested', ['nested-c-etl']);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('moves Applications between clusters when labels move, both ways', async () => {
    // When a's env leaves prod and b's enters it,
    await relabel('a', { env: 'dev' });
    await relabel('b', { env: 'prod' });
    // then web follows: b gets an Application, a loses its own.
    await waitForApps(t, 'web', ['web-b']);
    // And back again.
    await relabel('b', { env: 'dev' });
    await relabel('a', { env: 'prod' });
    await waitForApps(t, 'web', ['web-a']);
  });

  it('moves one Application to another cluster, never deleting it while two clusters match', async () => {
    await relabel('a', { role: 'primary' });
    await waitForApps(t, 'primary', ['primary']);
    expect(await destinationOf('primary')).toBe('a');

    // While both a and b are primary the name is generated twice: nothing changes (semantics §3).
    await relabel('b', { role: 'primary' });
    const duplicate = await eventually(async () => {
      const body = (await t.http().get('/api/v1/applicationsets/primary')).body;
      return body.status.skippedApplications?.length ? body : null;
    }, DEADLINE_MS);
    expect(duplicate.status.skippedApplications[0].problems).toContainEqual(
      expect.objectContaining({ rule: 'duplicate-name' }),
    );
    expect(await destinationOf('primary')).toBe('a');

    // When a stops being primary, the Application moves to b,
    await relabel('a', { role: null });
    await eventually(async () => (await destinationOf('primary')) === 'b', DEADLINE_MS, 'to b');
    // and back.
    await relabel('a', { role: 'primary' });
    await relabel('b', { role: null });
    await eventually(async () => (await destinationOf('primary')) === 'a', DEADLINE_MS, 'to a');
    expect(await appNames(t, 'primary')).toEqual(['primary']);
  });

  it('re-evaluates only the ApplicationSets whose selectors match the old or new labels', async () => {
    await eventually(async () => {
      // Let earlier events settle before counting.
      const before = reconciled.length;
      await new Promise((r) => setTimeout(r, 300));
      return reconciled.length === before;
    }, DEADLINE_MS);
    reconciled = [];

    // When c leaves team data (the nested matrix selector) for team web,
    await relabel('c', { team: 'web' });
    await waitForApps(t, 'nested', []);

    // then the nested ApplicationSet ran, and those selecting env, role or tier did not.
    const names = new Map([...ids].map(([name, id]) => [id, name]));
    const ran = new Set(reconciled.map((id) => names.get(id)));
    expect(ran.has('nested')).toBe(true);
    expect(ran.has('unrelated')).toBe(false);
    expect(ran.has('web')).toBe(false);
    expect(ran.has('primary')).toBe(false);
  });

  it('coalesces a burst of relabels and applies the last one', async () => {
    // When twenty relabels of one cluster arrive back to back,
    for (let i = 0; i < 20; i++) await relabel('c', { env: i % 2 === 0 ? 'prod' : 'dev' });
    await relabel('c', { env: 'prod' });
    // then the final labels win (nothing is dropped),
    await waitForApps(t, 'web', ['web-a', 'web-c']);
    await relabel('c', { env: 'dev' });
    await waitForApps(t, 'web', ['web-a']);
  });

  it('handles a fleet-wide relabel as batches, each event once, in commit order', async () => {
    const batches: number[][] = [];
    const unsubscribe = t.app
      .get(ClusterEventBus)
      .subscribeBatch((events) => void batches.push(events.map((e) => e.id)));
    try {
      const fleet = Array.from({ length: 12 }, (_, i) => `fleet-${String(i).padStart(2, '0')}`);
      await registerClusters(t, Object.fromEntries(fleet.map((name) => [name, { env: 'dev' }])));
      // When the whole fleet is relabelled at once,
      await Promise.all(fleet.map((name) => relabel(name, { env: 'prod' })));
      // then web follows every cluster,
      await waitForApps(t, 'web', ['web-a', ...fleet.map((name) => `web-${name}`)]);
      // and every event was delivered once, in order, in batches.
      const ids = batches.flat();
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(24);
      // One at a time: twelve at once would (rightly) exceed the deletion budget.
      for (const [i, name] of fleet.entries()) {
        await t.http().delete(`/api/v1/clusters/${name}`).expect(204);
        await waitForApps(t, 'web', ['web-a', ...fleet.slice(i + 1).map((n) => `web-${n}`)]);
      }
    } finally {
      unsubscribe();
    }
  });

  it('follows a cluster that registers or is deleted', async () => {
    await registerClusters(t, { d: { env: 'prod' } });
    await waitForApps(t, 'web', ['web-a', 'web-d']);
    await t.http().delete('/api/v1/clusters/d').expect(204);
    await waitForApps(t, 'web', ['web-a']);
  });
});
