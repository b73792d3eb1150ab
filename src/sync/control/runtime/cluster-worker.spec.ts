import {
  CLUSTER,
  ControlHarness,
  application,
  stored,
  webObjects,
} from '../testing/control-harness';
import { HealthStatusCode } from '../../health/health-status';
import { refOf } from '../../manifests/kube-object';
import { ClusterWorker } from './cluster-worker';

describe(ClusterWorker.name, () => {
  let h: ControlHarness;

  beforeEach(() => {
    h = new ControlHarness();
  });

  afterEach(async () => {
    await h.stop();
  });

  const image = () =>
    (
      h.cluster.live().find((o) => o.kind === 'Deployment')?.spec as {
        template: { spec: { containers: { image: string }[] } };
      }
    )?.template.spec.containers[0].image;

  it('syncs a new automated Application, persisting the operation before it runs', async () => {
    // Given an automated Application whose commit renders three objects
    const sha = h.renderer.commit('main', { web: webObjects() });
    const app = stored(application('web', { automated: {} }));
    // When the worker takes it
    await h.worker.start([app]);
    await h.settle();
    // Then the first write records the operation Running, before anything was applied
    expect(h.writes[0].status?.operationState).toMatchObject({
      phase: 'Running',
      operation: { revision: sha, initiatedBy: { automated: true } },
    });
    expect(h.writes[0].state?.lastAttempt).toMatchObject({ phase: 'Running', revision: sha });
    // and the objects are on the cluster, the status Synced and Healthy with one history entry
    expect(h.cluster.objects.size).toBe(3);
    expect(h.status(app.id)).toMatchObject({
      sync: { status: 'Synced', revision: sha },
      health: { status: 'Healthy' },
      operationState: { phase: 'Succeeded', message: 'successfully synced (all tasks run)' },
      history: [{ id: 0, revision: sha, initiatedBy: { automated: true } }],
      conditions: [],
    });
    expect(h.status(app.id).resources).toHaveLength(3);
    expect(h.state(app.id).inventory).toHaveLength(3);
    expect(h.operations).toEqual(['Succeeded']);
  });

  it("uses the executor's comparison after a sync instead of comparing again", async () => {
    h.renderer.commit('main', { web: webObjects() });
    h.executor.reportComparison = true;
    const app = stored(application('web', { automated: {} }));
    await h.worker.start([app]);
    await h.settle();
    expect(h.status(app.id).sync.status).toBe('Synced');
    // the comparison before the sync only
    expect(h.executor.compareCalls).toBe(1);
  });

  it('sends no write at all for an unchanged Application', async () => {
    h.renderer.commit('main', { web: webObjects() });
    const app = stored(application('web', { automated: { selfHeal: true } }));
    await h.worker.start([app]);
    await h.settle();
    const writes = h.writes.length;
    const clusterWrites = h.cluster.writes;
    // When it is looked at again and again
    for (let i = 0; i < 3; i++) {
      h.advance(200_000);
      h.worker.enqueue(app.id);
      await h.settle();
    }
    // Then nothing is written, neither to the cluster nor to the database
    expect(h.cluster.writes).toBe(clusterWrites);
    expect(h.writes).toHaveLength(writes);
  });

  it('follows a new commit; without prune a removed object stays and shows OutOfSync', async () => {
    h.renderer.commit('main', { web: webObjects('nginx:1.27') });
    const kept = stored(application('web', { automated: {} }));
    await h.worker.start([kept]);
    await h.settle();
    // A commit changes the image and drops the ConfigMap
    h.advance(1000);
    const next = h.renderer.commit('main', { web: webObjects('nginx:1.28').slice(0, 2) });
    // the Git poll notices the commit and wakes every Application following the branch
    await h.revisions.poll();
    await h.settle();
    expect(image()).toBe('nginx:1.28');
    // Without prune the ConfigMap stays and the Application is OutOfSync
    expect(h.cluster.objects.size).toBe(3);
    expect(h.status(kept.id).sync).toMatchObject({ status: 'OutOfSync', revision: next });
    expect(h.status(kept.id).resources).toContainEqual(
      expect.objectContaining({ kind: 'ConfigMap', requiresPruning: true }),
    );
  });

  it('prunes objects no longer in Git when prune is on', async () => {
    h.renderer.commit('main', { web: webObjects() });
    const app = stored(application('web', { automated: { prune: true } }));
    await h.worker.start([app]);
    await h.settle();
    h.advance(1000);
    h.renderer.commit('main', { web: webObjects().slice(0, 2) });
    await h.revisions.poll();
    await h.settle();
    expect([...h.cluster.objects.values()].map((o) => o.kind).sort()).toEqual([
      'Deployment',
      'Service',
    ]);
    expect(h.status(app.id).sync.status).toBe('Synced');
    expect(h.state(app.id).inventory).toHaveLength(2);
  });

  it('refuses to prune everything without allowEmpty', async () => {
    h.renderer.commit('main', { web: webObjects() });
    const app = stored(application('web', { automated: { prune: true } }));
    await h.worker.start([app]);
    await h.settle();
    h.advance(1000);
    h.renderer.commit('main', { web: [] });
    await h.revisions.poll();
    await h.settle();
    expect(h.cluster.objects.size).toBe(3);
    expect(h.status(app.id).conditions).toEqual([
      expect.objectContaining({
        type: 'SyncError',
        message: expect.stringContaining('auto-sync will wipe out all resources'),
      }),
    ]);
  });

  it('reverts drift with self-heal and only reports it without', async () => {
    h.renderer.commit('main', { web: webObjects(), other: webObjects() });
    const healed = stored(application('web', { automated: { selfHeal: true } }));
    await h.worker.start([healed]);
    await h.settle();
    // Someone edits the Deployment on the cluster
    h.advance(5_000);
    h.cluster.edit('Deployment', 'web', (obj) => ({
      ...obj,
      spec: {
        ...(obj.spec as object),
        template: { spec: { containers: [{ name: 'web', image: 'evil:1' }] } },
      },
    }));
    h.watcher.drift(CLUSTER, 'web');
    await h.settle();
    expect(image()).toBe('nginx:1.27');
    expect(h.state(healed.id).selfHealAttempts).toBe(1);
    expect(h.status(healed.id).operationState?.message).toBe('successfully synced (all tasks run)');
  });

  it('shows drift as OutOfSync without self-heal', async () => {
    h.renderer.commit('main', { web: webObjects() });
    const app = stored(application('web', { automated: {} }));
    await h.worker.start([app]);
    await h.settle();
    const writes = h.cluster.writes;
    h.advance(5_000);
    h.cluster.edit('ConfigMap', 'web', (obj) => ({ ...obj, data: { greeting: 'changed' } }));
    h.watcher.drift(CLUSTER, 'web');
    await h.settle();
    expect(h.cluster.writes).toBe(writes);
    expect(h.status(app.id).sync).toMatchObject({
      status: 'OutOfSync',
      message: 'resources: 1 differ from Git',
    });
  });

  it('follows a health change reported by the watch sooner than drift, writing nothing to the cluster', async () => {
    h.renderer.commit('main', { web: webObjects() });
    const app = stored(application('web', { automated: {} }));
    await h.worker.start([app]);
    await h.settle();
    expect(h.status(app.id).health.status).toBe('Healthy');
    const writes = h.cluster.writes;
    // The Deployment's controller gives up on the rollout (a status update, no edit)
    h.cluster.edit('Deployment', 'web', (obj) => ({
      ...obj,
      status: {
        ...(obj.status as object),
        conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
      },
    }));
    h.watcher.healthChanged(
      CLUSTER,
      'web',
      refOf(h.cluster.live().find((o) => o.kind === 'Deployment')!),
      'Degraded',
    );
    h.elapse(150);
    await h.settle();
    expect(h.status(app.id).health.status).toBe('Degraded');
    expect(h.status(app.id).sync.status).toBe('Synced');
    expect(h.cluster.writes).toBe(writes);
  });

  it('looks again after a pass only for a health change the watch reported and the pass does not show', async () => {
    h.renderer.commit('main', { web: webObjects() });
    const app = stored(application('web', { automated: {} }));
    await h.worker.start([app]);
    await h.settle();
    const deployment = refOf(h.cluster.live().find((o) => o.kind === 'Deployment')!);
    /** Compares made by a sync of a new image, with `report` made by the watch during it. */
    const comparesOfSync = async (image: string, report?: HealthStatusCode) => {
      const before = h.executor.compareCalls;
      const syncs = h.executor.syncCalls;
      h.advance(5_000);
      h.cluster.applyDelayMs = 30;
      h.renderer.commit('main', { web: webObjects(image) });
      await h.revisions.poll();
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (report) h.watcher.healthChanged(CLUSTER, 'web', deployment, report);
      await h.settle();
      expect(h.executor.syncCalls).toBe(syncs + 1);
      return h.executor.compareCalls - before;
    };
    const plain = await comparesOfSync('nginx:1.28');
    // A report the pass shows (its rollout turned Healthy while it ran) costs nothing more
    expect(await comparesOfSync('nginx:1.29', 'Healthy')).toBe(plain);
    // One it does not show is looked at once the pass is over
    expect(await comparesOfSync('nginx:1.30', 'Degraded')).toBe(plain + 1);
  });

  it('waits a second after a pass before looking at drift', async () => {
    h.renderer.commit('main', { web: webObjects() });
    const app = stored(application('web', { automated: {} }));
    await h.worker.start([app]);
    await h.settle();
    h.cluster.edit('ConfigMap', 'web', (obj) => ({ ...obj, data: { greeting: 'changed' } }));
    h.watcher.drift(CLUSTER, 'web');
    h.elapse(150);
    await h.settle();
    expect(h.status(app.id).sync.status).toBe('Synced');
    h.elapse(1_000);
    await h.settle();
    expect(h.status(app.id).sync.status).toBe('OutOfSync');
  });

  it('marks a down cluster Unknown and opens its circuit after repeated failures', async () => {
    h.renderer.commit('main', { web: webObjects() });
    h.cluster.down = true;
    const app = stored(application('web', { automated: {} }));
    await h.worker.start([app]);
    await h.settle();
    expect(h.status(app.id)).toMatchObject({
      sync: { status: 'Unknown', message: 'connect ECONNREFUSED' },
      health: { status: 'Unknown' },
      conditions: [{ type: 'ComparisonError', message: 'connect ECONNREFUSED' }],
    });
    for (let i = 0; i < 4; i++) {
      h.advance(1000);
      h.worker.enqueue(app.id);
      await h.settle();
    }
    expect(h.connection).toEqual([
      { ok: false, message: 'sync circuit open: connect ECONNREFUSED' },
    ]);
    // While open, nothing is sent to the cluster
    const reads = h.cluster.reads;
    h.worker.enqueue(app.id);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(h.cluster.reads).toBe(reads);
    // Once up again, the probe after the open period syncs and closes the circuit
    h.cluster.down = false;
    h.advance(11_000);
    (h.worker as unknown as { pump(): void }).pump();
    await h.settle();
    expect(h.status(app.id).sync.status).toBe('Synced');
    expect(h.connection.at(-1)).toEqual({ ok: true, message: 'sync circuit closed' });
  });

  it('runs a requested manual sync of an Application without automated sync', async () => {
    const sha = h.renderer.commit('main', { web: webObjects() });
    const request = {
      id: 'req-1',
      kind: 'sync' as const,
      prune: false,
      dryRun: false,
      allowEmpty: false,
      initiatedBy: { username: 'api', automated: false },
      requestedAt: new Date(h.nowMs).toISOString(),
    };
    const app = stored(application('web'));
    await h.worker.start([app]);
    await h.settle();
    expect(h.cluster.objects.size).toBe(0);
    expect(h.status(app.id).sync.status).toBe('OutOfSync');
    h.worker.upsert(stored(application('web'), { rowHash: 'h1' }, { requestedOperation: request }));
    await h.settle();
    expect(h.cluster.objects.size).toBe(3);
    expect(h.writes.some((w) => w.clearRequestId === 'req-1')).toBe(true);
    // A request runs once: looking again does not run it a second time
    const syncs = h.executor.syncCalls;
    h.worker.enqueue(app.id);
    await h.settle();
    expect(h.executor.syncCalls).toBe(syncs);
    expect(h.status(app.id)).toMatchObject({
      sync: { status: 'Synced' },
      history: [{ revision: sha, initiatedBy: { username: 'api', automated: false } }],
    });
  });

  it('terminates a running sync on request', async () => {
    h.renderer.commit('main', { web: webObjects() });
    h.cluster.applyDelayMs = 10_000;
    const app = stored(application('web', { automated: {} }));
    await h.worker.start([app]);
    for (let i = 0; i < 50 && !h.writes.length; i++) await new Promise((r) => setImmediate(r));
    expect(h.writes).toHaveLength(1);
    const terminateAt = new Date(h.nowMs).toISOString();
    h.worker.upsert(
      stored(application('web', { automated: {} }), {}, { terminateRequestedAt: terminateAt }),
    );
    await h.settle();
    expect(h.writes[1].status?.operationState?.phase).toBe('Terminating');
    expect(h.status(app.id).operationState).toMatchObject({
      phase: 'Failed',
      message: 'Operation terminated',
    });
    expect(h.state(app.id).lastAttempt).toMatchObject({ phase: 'Failed', terminated: true });
    // and auto-sync does not start it again for the same commit
    h.cluster.applyDelayMs = 0;
    h.advance(60_000);
    h.worker.enqueue(app.id);
    await h.settle();
    expect(h.cluster.objects.size).toBe(0);
  });

  /** An automated sync at `sha` that a stopped replica left Running a minute ago. */
  const interruptedSync = (sha: string) =>
    stored(
      application('web', { automated: {} }),
      {
        status: {
          operationState: {
            operation: {
              revision: sha,
              prune: false,
              dryRun: false,
              initiatedBy: { automated: true },
            },
            phase: 'Running',
            message: 'sync started',
            startedAt: new Date(h.nowMs - 60_000).toISOString(),
            retryCount: 0,
          },
        },
      },
      {
        lastAttempt: {
          revision: sha,
          specHash: 'x',
          phase: 'Running',
          retryCount: 0,
          trigger: 'new-target',
        },
      },
    );

  it('resumes an operation a stopped replica left Running', async () => {
    const sha = h.renderer.commit('main', { web: webObjects() });
    const app = interruptedSync(sha);
    await h.worker.start([app]);
    await h.settle();
    expect(h.writes[0].status?.operationState).toMatchObject({
      phase: 'Running',
      message: 'resumed: the replica running this sync stopped',
    });
    expect(h.writes[0].state?.resumeCount).toBe(1);
    expect(h.status(app.id).operationState?.phase).toBe('Succeeded');
    expect(h.state(app.id).resumeCount).toBe(0);
    expect(h.cluster.objects.size).toBe(3);
  });

  it('ends an interrupted operation in Error when its cluster is down, instead of leaving it Running', async () => {
    const sha = h.renderer.commit('main', { web: webObjects() });
    h.cluster.down = true;
    const app = interruptedSync(sha);
    await h.worker.start([app]);
    await h.settle();
    expect(h.status(app.id).operationState).toMatchObject({
      phase: 'Error',
      message: 'the sync could not be resumed: connect ECONNREFUSED',
    });
    expect(h.state(app.id).lastAttempt?.phase).toBe('Error');
  });

  it('retries a failed automated sync after its backoff', async () => {
    h.renderer.commit('main', { web: webObjects() });
    h.cluster.applyStatus = 500;
    const app = stored(application('web', { automated: {} }));
    await h.worker.start([app]);
    await h.settle();
    expect(h.status(app.id).operationState).toMatchObject({ phase: 'Failed', retryCount: 0 });
    expect(h.status(app.id).conditions).toEqual([
      expect.objectContaining({ type: 'SyncError', message: 'HTTP 500' }),
    ]);
    h.cluster.applyStatus = undefined;
    h.advance(2_000);
    h.worker.enqueue(app.id);
    await h.settle();
    expect(h.cluster.objects.size).toBe(0); // within the 5 s backoff
    h.advance(4_000);
    h.worker.enqueue(app.id);
    await h.settle();
    expect(h.status(app.id).operationState).toMatchObject({
      phase: 'Succeeded',
      retryCount: 1,
    });
    expect(h.status(app.id).conditions).toEqual([]);
  });

  it('reports a :fail image as Degraded', async () => {
    h.renderer.commit('main', { web: webObjects('nginx:fail') });
    const app = stored(application('web', { automated: {} }));
    await h.worker.start([app]);
    await h.settle();
    expect(h.status(app.id).health.status).toBe('Degraded');
  });

  it('rolls back to a history entry, rendering its revision', async () => {
    const v1 = h.renderer.commit('main', { web: webObjects('nginx:1') });
    const app = stored(
      application('web'),
      {},
      {
        requestedOperation: {
          id: 'r1',
          kind: 'sync',
          prune: false,
          dryRun: false,
          allowEmpty: false,
          initiatedBy: { username: 'api', automated: false },
          requestedAt: new Date(h.nowMs).toISOString(),
        },
      },
    );
    await h.worker.start([app]);
    await h.settle();
    h.advance(1000);
    h.renderer.commit('main', { web: webObjects('nginx:2') });
    h.worker.upsert(
      stored(
        application('web'),
        {},
        { requestedOperation: { ...app.state.requestedOperation!, id: 'r2' } },
      ),
    );
    await h.settle();
    expect(image()).toBe('nginx:2');
    const history = h.status(app.id).history;
    h.worker.upsert(
      stored(
        application('web'),
        {},
        {
          requestedOperation: {
            ...app.state.requestedOperation!,
            id: 'r3',
            kind: 'rollback',
            revision: history[0].revision,
            source: history[0].source,
            rollbackId: history[0].id,
          },
        },
      ),
    );
    await h.settle();
    expect(image()).toBe('nginx:1');
    expect(h.status(app.id).history.map((e) => e.revision)).toEqual([v1, expect.any(String), v1]);
    // compared with the target (main), a rollback leaves the Application OutOfSync, as in Argo CD
    expect(h.status(app.id).sync.status).toBe('OutOfSync');
  });

  it('prunes everything and removes the row when a finalized Application is deleted', async () => {
    h.renderer.commit('main', { web: webObjects() });
    const app = stored(application('web', { automated: {} }));
    await h.worker.start([app]);
    await h.settle();
    h.worker.upsert(
      stored(
        application('web', { automated: {} }),
        {},
        {
          deletionRequestedAt: new Date(h.nowMs).toISOString(),
        },
      ),
    );
    await h.settle();
    expect(h.cluster.objects.size).toBe(0);
    expect(h.removed).toEqual([app.id]);
    expect(h.owners).toEqual(['owner-1']);
    expect(h.worker.size).toBe(0);
  });

  it('writes nothing once its lease is lost', async () => {
    h.renderer.commit('main', { web: webObjects() });
    h.leaseHeld = false;
    const app = stored(application('web', { automated: {} }));
    await h.worker.start([app]);
    await h.settle();
    expect(h.writes).toEqual([]);
    expect(h.cluster.objects.size).toBe(0);
  });
});
