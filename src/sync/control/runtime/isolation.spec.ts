import { ConcurrencyGate } from './concurrency-gate';
import { ControlHarness, application, stored, webObjects } from '../testing/control-harness';

describe('cluster isolation', () => {
  it('a slow cluster holds only its own slots while another cluster syncs', async () => {
    // Given two clusters sharing a replica-wide budget of 3 passes, at most 2 per cluster
    const gate = new ConcurrencyGate(3);
    const slow = new ControlHarness({ gate, clusterApps: 2 });
    const fast = new ControlHarness({ gate, clusterApps: 2 });
    for (const h of [slow, fast]) h.renderer.commit('main', { web: webObjects() });
    slow.cluster.applyDelayMs = 60_000;
    const apps = (prefix: string) =>
      Array.from({ length: 4 }, (_, i) =>
        stored(application(`${prefix}-${i}`, { automated: {} }), { id: `${prefix}-${i}` }),
      );
    // When both get four Applications, the slow one first
    await slow.worker.start(apps('slow'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await fast.worker.start(apps('fast'));
    await fast.settle();
    // Then every Application of the fast cluster is synced while the slow one still holds two passes
    for (const app of apps('fast')) expect(fast.status(app.id).sync.status).toBe('Synced');
    expect(slow.worker.busy).toBe(2);
    expect(gate.active).toBe(2);
    await slow.stop();
    await fast.stop();
  });

  it('passes waiting for a rollout lend their slots, so another cluster syncs meanwhile', async () => {
    // Given a replica-wide budget of 2 passes and a cluster whose syncs wait (for a slow rollout)
    const gate = new ConcurrencyGate(2, 2);
    const { h: paused, endPause } = waitingCluster(gate, 2);
    const other = new ControlHarness({ gate, clusterApps: 2 });
    other.renderer.commit('main', { web: webObjects() });
    const apps = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, i) => ownNamespace(`${prefix}-${i}`));
    // When both of its passes are waiting and the other cluster gets two Applications
    await paused.worker.start(apps('paused', 2));
    await until(() => paused.cluster.pausing === 2);
    await other.worker.start(apps('other', 2));
    await other.settle();
    // Then the other cluster synced on the lent slots while both passes still wait
    for (const app of apps('other', 2)) expect(other.status(app.id).sync.status).toBe('Synced');
    expect(paused.cluster.pausing).toBe(2);
    expect(gate.lentOut).toBe(2);
    // and once the rollout is over, the waiting passes take their slots back and finish
    endPause();
    await paused.settle();
    for (const app of apps('paused', 2)) expect(paused.status(app.id).sync.status).toBe('Synced');
    expect(gate.active).toBe(0);
    expect(gate.lentOut).toBe(0);
    await paused.stop();
    await other.stop();
  });

  it("a waiting pass lends its cluster's slot to the cluster's next Application", async () => {
    // Given a cluster running 2 passes at once, whose syncs wait, and five Applications
    const gate = new ConcurrencyGate(8, 8);
    const { h, endPause } = waitingCluster(gate, 2);
    const apps = Array.from({ length: 5 }, (_, i) => ownNamespace(`web-${i}`));
    // When they start
    await h.worker.start(apps);
    await until(() => h.cluster.pausing === 5);
    // Then all five wait at once, none of them holding a slot
    expect(h.worker.busy).toBe(5);
    expect(gate.active).toBe(0);
    expect(gate.lentOut).toBe(5);
    // and after the wait every Application is synced, every slot back
    endPause();
    await h.settle();
    for (const app of apps) expect(h.status(app.id).sync.status).toBe('Synced');
    expect(h.executor.syncCalls).toBe(5);
    expect(gate.active).toBe(0);
    expect(gate.lentOut).toBe(0);
    await h.stop();
  });

  it('past the loan limit a waiting pass keeps its slots, so passes in memory stay bounded', async () => {
    // Given a gate that lends at most 2 slots, and a cluster running 2 passes at once
    const gate = new ConcurrencyGate(8, 2);
    const { h, endPause } = waitingCluster(gate, 2);
    const apps = Array.from({ length: 5 }, (_, i) => ownNamespace(`web-${i}`));
    // When five Applications start and their syncs wait
    await h.worker.start(apps);
    await until(() => h.cluster.pausing === 4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Then two wait on lent slots, two more wait holding theirs, and the fifth waits its turn
    expect(h.cluster.pausing).toBe(4);
    expect(h.worker.busy).toBe(4);
    expect(h.worker.queued).toBe(1);
    expect(gate.active).toBe(2);
    expect(gate.lentOut).toBe(2);
    endPause();
    await h.settle();
    for (const app of apps) expect(h.status(app.id).sync.status).toBe('Synced');
    expect(gate.active).toBe(0);
    expect(gate.lentOut).toBe(0);
    await h.stop();
  });

  it('a pass stopped while it waits gives back what it borrowed', async () => {
    const gate = new ConcurrencyGate(1);
    const h = new ControlHarness({ gate, clusterApps: 1 });
    h.renderer.commit('main', { web: webObjects() });
    h.cluster.pause = new Promise<void>(() => undefined); // never ends by itself
    await h.worker.start([stored(application('web', { automated: {} }), { id: 'web' })]);
    await until(() => h.cluster.pausing === 1);
    expect(gate.lentOut).toBe(1);
    await h.stop();
    expect(gate.active).toBe(0);
    expect(gate.lentOut).toBe(0);
  });
});

/** A cluster whose syncs wait (as for a slow rollout) until `endPause` is called. */
function waitingCluster(gate: ConcurrencyGate, clusterApps: number) {
  const h = new ControlHarness({ gate, clusterApps });
  h.renderer.commit('main', { web: webObjects() });
  let endPause!: () => void;
  h.cluster.pause = new Promise<void>((resolve) => (endPause = resolve));
  return { h, endPause: () => endPause() };
}

/** An automated Application deploying to a namespace of its own name (the objects are the same). */
function ownNamespace(name: string) {
  const manifest = application(name, { automated: {} });
  manifest.spec.destination = { ...manifest.spec.destination, namespace: name };
  return stored(manifest, { id: name });
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the condition was not met');
}
