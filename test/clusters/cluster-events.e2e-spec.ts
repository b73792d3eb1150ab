import { ClusterEventBus } from '../../src/clusters/cluster-event-bus';
import { ClusterEvent } from '../../src/clusters/cluster.model';
import { startTestApp, TestApp } from '../support/app';

/** Collects the events a bus delivers and lets a test wait for the one it expects. */
function recorder(bus: ClusterEventBus) {
  const events: ClusterEvent[] = [];
  const waiters: { match: (e: ClusterEvent) => boolean; resolve: (e: ClusterEvent) => void }[] = [];
  bus.subscribe((event) => {
    events.push(event);
    for (const waiter of waiters.filter((w) => w.match(event))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  return {
    events,
    next(match: (e: ClusterEvent) => boolean, timeoutMs = 5000): Promise<ClusterEvent> {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('event did not arrive')), timeoutMs);
        waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
  };
}

describe('cluster change events', () => {
  let replicaA: TestApp;
  let replicaB: TestApp;

  beforeAll(async () => {
    replicaA = await startTestApp();
    // A second replica on the same database, as in a two-replica deployment.
    replicaB = await startTestApp({ db: replicaA.db });
  });

  afterAll(async () => {
    await replicaB?.close();
    await replicaA?.close();
  });

  it('announces register, relabel and delete with old and new labels, to every replica', async () => {
    const local = recorder(replicaA.app.get(ClusterEventBus));
    const remote = recorder(replicaB.app.get(ClusterEventBus));

    // When a cluster is registered, relabelled, and deleted through replica A,
    await replicaA
      .http()
      .post('/api/v1/clusters')
      .send({ name: 'ev', server: 'https://10.0.0.1', labels: { env: 'dev' } })
      .expect(201);
    await replicaA
      .http()
      .patch('/api/v1/clusters/ev')
      .send({ labels: { env: 'prod', region: 'eu' } })
      .expect(200);
    await replicaA.http().put('/api/v1/clusters/ev/labels').send({ env: 'prod' }).expect(200);
    await replicaA.http().delete('/api/v1/clusters/ev').expect(204);

    // then both replicas see the same four events, in order, with the label transitions.
    const expected = [
      {
        type: 'Registered',
        clusterName: 'ev',
        oldLabels: null,
        newLabels: { env: 'dev' },
        changes: [],
      },
      {
        type: 'Updated',
        clusterName: 'ev',
        oldLabels: { env: 'dev' },
        newLabels: { env: 'prod', region: 'eu' },
        changes: ['labels'],
      },
      {
        type: 'Updated',
        clusterName: 'ev',
        oldLabels: { env: 'prod', region: 'eu' },
        newLabels: { env: 'prod' },
        changes: ['labels'],
      },
      {
        type: 'Deleted',
        clusterName: 'ev',
        oldLabels: { env: 'prod' },
        newLabels: null,
        changes: [],
      },
    ];
    for (const rec of [local, remote]) {
      await rec.next((e) => e.type === 'Deleted' && e.clusterName === 'ev');
      const seen = rec.events.filter((e) => e.clusterName === 'ev');
      expect(seen).toEqual(expected.map((e) => expect.objectContaining(e)));
      const ids = seen.map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
  });

  it('announces nothing for a change that changes nothing', async () => {
    const rec = recorder(replicaB.app.get(ClusterEventBus));
    await replicaA
      .http()
      .post('/api/v1/clusters')
      .send({ name: 'still', server: 'https://10.0.0.2', labels: { a: 'b' } })
      .expect(201);
    await rec.next((e) => e.clusterName === 'still' && e.type === 'Registered');
    await replicaA
      .http()
      .patch('/api/v1/clusters/still')
      .send({ labels: { a: 'b' } })
      .expect(200);
    await replicaA
      .http()
      .patch('/api/v1/clusters/still')
      .send({ annotations: { note: 'x' } })
      .expect(200);
    const annotated = await rec.next((e) => e.clusterName === 'still' && e.type === 'Updated');
    expect(annotated).toMatchObject({
      changes: ['annotations'],
      oldLabels: { a: 'b' },
      newLabels: { a: 'b' },
    });
    expect(rec.events.filter((e) => e.clusterName === 'still')).toHaveLength(2);
  });

  it('loses no event in a burst of concurrent relabels', async () => {
    const rec = recorder(replicaB.app.get(ClusterEventBus));
    const names = Array.from({ length: 20 }, (_, i) => `burst-${i}`);
    await Promise.all(
      names.map((name) =>
        replicaA
          .http()
          .post('/api/v1/clusters')
          .send({ name, server: 'https://10.0.1.1' })
          .expect(201),
      ),
    );
    await Promise.all(
      names.map((name) =>
        replicaA
          .http()
          .patch(`/api/v1/clusters/${name}`)
          .send({ labels: { wave: '1' } })
          .expect(200),
      ),
    );
    for (const name of names) await rec.next((e) => e.clusterName === name && e.type === 'Updated');
    expect(
      rec.events.filter((e) => e.type === 'Updated' && e.clusterName.startsWith('burst-')),
    ).toHaveLength(20);
  });
});
