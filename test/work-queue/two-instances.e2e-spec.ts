/**
 * Two processes on one database share the reconciles and never reconcile
 * the same ApplicationSet at once: each run is a claim on the work-queue row
 * of that ApplicationSet (`FOR UPDATE SKIP LOCKED` plus a lease).
 */
import { ApplicationSetReconciler } from '../../src/applicationsets/reconcile/applicationset-reconciler';
import { WorkQueue } from '../../src/work-queue/work-queue.service';
import { startTestApp, TestApp } from '../support/app';
import { eventually } from '../support/wait';
import {
  DEADLINE_MS,
  clusterAppSet,
  registerClusters,
  waitForApps,
} from '../applicationsets/lifecycle-kit';

interface Run {
  readonly owner: string;
  readonly id: string;
  readonly start: number;
  end: number;
}

describe('two instances on one database', () => {
  let a: TestApp;
  let b: TestApp;
  const runs: Run[] = [];
  const active = new Map<string, string>();
  const overlaps: string[] = [];

  /** Records every reconcile of `t` with its claim owner; slow enough for overlaps to show. */
  function instrument(t: TestApp): string {
    const owner = t.app.get(WorkQueue).owner;
    const reconciler = t.app.get(ApplicationSetReconciler);
    const original = reconciler.reconcile.bind(reconciler);
    jest.spyOn(reconciler, 'reconcile').mockImplementation(async (id, now) => {
      const other = active.get(id);
      if (other) overlaps.push(`${id}: ${owner} started while ${other} was running`);
      active.set(id, owner);
      const run: Run = { owner, id, start: performance.now(), end: Infinity };
      runs.push(run);
      try {
        await new Promise((r) => setTimeout(r, 15));
        return await original(id, now);
      } finally {
        run.end = performance.now();
        active.delete(id);
      }
    });
    return owner;
  }

  beforeAll(async () => {
    a = await startTestApp({ env: { FLEETPLANE_RECONCILE_CONCURRENCY: '4' } });
    b = await startTestApp({ db: a.db, env: { FLEETPLANE_RECONCILE_CONCURRENCY: '4' } });
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('splits the work between them and never runs one ApplicationSet in both', async () => {
    const ownerA = instrument(a);
    const ownerB = instrument(b);
    await registerClusters(a, { c1: { env: 'prod' }, c2: { env: 'prod' }, c3: { env: 'dev' } });
    // Given ten ApplicationSets over the same clusters, created through both instances,
    const names = Array.from({ length: 10 }, (_, i) => `set-${i}`);
    for (const [i, name] of names.entries())
      await (i % 2 ? b : a)
        .http()
        .post('/api/v1/applicationsets')
        .send(clusterAppSet(name, { env: 'prod' }))
        .expect(201);
    // when a storm of relabels (each seen by both instances) re-queues all of them again and again,
    for (let i = 0; i < 10; i++) {
      await (i % 2 ? b : a)
        .http()
        .patch('/api/v1/clusters/c3')
        .send({ labels: { env: i % 2 ? 'dev' : 'prod' } })
        .expect(200);
    }
    await a
      .http()
      .patch('/api/v1/clusters/c3')
      .send({ labels: { env: 'prod' } })
      .expect(200);

    // then every ApplicationSet ends right,
    for (const name of names)
      await waitForApps(a, name, [`${name}-c1`, `${name}-c2`, `${name}-c3`]);
    await eventually(
      async () => (await a.app.get(WorkQueue).pending('applicationset')).length === 0,
      DEADLINE_MS,
    );
    // both instances did part of the work,
    const owners = new Set(runs.map((r) => r.owner));
    expect(owners).toEqual(new Set([ownerA, ownerB]));
    // and no two runs of one ApplicationSet ever overlapped, within or across instances.
    expect(overlaps).toEqual([]);
    const byId = new Map<string, Run[]>();
    for (const run of runs) byId.set(run.id, [...(byId.get(run.id) ?? []), run]);
    for (const list of byId.values()) {
      const sorted = [...list].sort((x, y) => x.start - y.start);
      for (let i = 1; i < sorted.length; i++)
        expect(sorted[i].start).toBeGreaterThanOrEqual(sorted[i - 1].end);
    }
    expect(runs.length).toBeGreaterThan(names.length);
  });
});
