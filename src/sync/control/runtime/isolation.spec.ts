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
});
