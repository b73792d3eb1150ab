/**
 * The cluster client against kube-sim: discovery, server-side apply (and its
 * dry run), get, list across namespaces with selectors, delete with a
 * propagation policy, failures classified within the deadline, and a watch
 * that resumes.
 */
import { getEventListeners } from 'node:events';
import { ClusterClient } from '../../../src/kube/cluster-client';
import { ClusterClientPool } from '../../../src/kube/cluster-client-pool';
import { KubeApiError } from '../../../src/kube/kube-failure';
import { watchKind } from '../../../src/kube/kind-watch';
import { KubeObject } from '../../../src/sync/manifests/kube-object';
import { classifyFailure } from '../../../src/sync/retry/failure-classification';
import { KubeSim, SimCluster } from '../../kube-sim';
import { eventually } from '../../support/wait';
import { accessOf } from './execution-kit';

const configMap = (name: string, namespace: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, labels: { team: 'a' } },
  data,
});

async function failureOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KubeApiError) return error.failure;
    throw error;
  }
  throw new Error('expected a failure');
}

describe(ClusterClient.name, () => {
  let sim: KubeSim;
  let pool: ClusterClientPool;
  let sim0: SimCluster;
  let sim1: SimCluster;

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 2, readinessDelayMs: 0 });
    [sim0, sim1] = sim.clusters;
    pool = new ClusterClientPool({ requestTimeoutMs: 2_000, concurrency: 4 });
  });
  afterEach(() => {
    sim0.faults.clear();
    sim1.faults.clear();
  });
  afterAll(async () => {
    pool.closeAll();
    await sim.stop();
  });

  const client = (cluster: SimCluster) => pool.client(cluster.name, accessOf(cluster));

  it('applies server-side as fleetplane, reads back, lists across namespaces and deletes', async () => {
    // Given a client of a cluster
    const c = await client(sim0);
    // When two ConfigMaps are applied in different namespaces
    const applied = await c.apply(configMap('one', 'default', { a: '1' }));
    await c.apply(configMap('two', 'kube-public', { b: '2' }));
    // Then the server keeps them with fleetplane as the field manager
    expect(applied.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'fleetplane', operation: 'Apply' }),
    ]);
    expect(
      await c.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'one' }),
    ).toMatchObject({ data: { a: '1' } });
    const type = await c.resourceType('v1', 'ConfigMap');
    const all = await c.list(type, { labelSelector: 'team=a' });
    expect(all.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
      'default/one',
      'kube-public/two',
    ]);
    expect(all.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    // And a delete removes one, a second delete finds it absent
    const key = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'one' };
    expect(await c.delete(key, { propagationPolicy: 'Foreground' })).toBe('deleted');
    expect(await c.delete(key, { propagationPolicy: 'Foreground' })).toBe('absent');
    expect(await c.get(key)).toBeNull();
  });

  it('takes fields back from another manager (force) and writes nothing on a dry run', async () => {
    const c = await client(sim0);
    await c.apply(configMap('owned', 'default', { key: 'git' }));
    sim0.objects.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'owned' },
      { data: { key: 'edited' } },
    );
    const dry = await c.apply(configMap('owned', 'default', { key: 'dry' }), { dryRun: true });
    expect(dry.data).toEqual({ key: 'dry' });
    expect(
      sim0.objects.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'owned' })
        ?.data,
    ).toEqual({ key: 'edited' });
    await c.apply(configMap('owned', 'default', { key: 'git' }));
    expect(
      sim0.objects.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'owned' })
        ?.data,
    ).toEqual({ key: 'git' });
  });

  it('finds a kind created by a CRD after start-up by refreshing discovery', async () => {
    const c = await client(sim0);
    await expect(c.resourceType('example.com/v1', 'Widget')).rejects.toMatchObject({
      failure: { statusCode: 404, unknownKind: true },
    });
    await c.apply({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            },
          },
        ],
      },
    });
    c.discovery.invalidate();
    const type = await eventually(() => c.resourceType('example.com/v1', 'Widget'), 5_000);
    expect(type).toMatchObject({ plural: 'widgets', namespaced: true });
  });

  it('reports a cluster that is down as a transient network failure without touching another', async () => {
    sim0.faults.down = true;
    const failure = await failureOf(
      client(sim0).then((c) => c.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' })),
    );
    expect(['network', 'timeout']).toContain(failure.kind);
    expect(classifyFailure(failure, Date.now()).class).toBe('transient');
    expect(
      await (await client(sim1)).get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' }),
    ).toMatchObject({ metadata: { name: 'default' } });
  });

  it('reports throttling with its Retry-After once the retries no longer fit the deadline', async () => {
    const c = await client(sim0);
    await c.resourceType('v1', 'Namespace');
    sim0.faults.set({ throttleRate: 1, retryAfterSeconds: 1 });
    const started = Date.now();
    const failure = await failureOf(
      c.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' }),
    );
    expect(failure).toMatchObject({ kind: 'http', statusCode: 429, retryAfter: '1' });
    expect(Date.now() - started).toBeLessThan(2_000 + 1_000);
    expect(classifyFailure(failure, Date.now())).toMatchObject({
      class: 'transient',
      retryAfterMs: 1000,
    });
  });

  it('times out a hanging cluster at the deadline while another cluster answers', async () => {
    const c = await client(sim0);
    await c.resourceType('v1', 'Namespace');
    sim0.faults.hang = true;
    const hanging = Promise.all(
      Array.from({ length: 6 }, () =>
        failureOf(c.get({ apiVersion: 'v1', kind: 'Namespace', name: 'default' })),
      ),
    );
    const other = await (
      await client(sim1)
    ).get({
      apiVersion: 'v1',
      kind: 'Namespace',
      name: 'default',
    });
    expect(other).not.toBeNull();
    const failures = await hanging;
    expect(failures.every((f) => f.kind === 'timeout')).toBe(true);
    expect(failures[0].message).toMatch(/no answer within 2000 ms/);
  });

  it('ends requests at once when their caller cancels, in flight or waiting for a slot, and frees their slots', async () => {
    const c = await client(sim0);
    const key = { apiVersion: 'v1', kind: 'Namespace', name: 'default' };
    await c.get(key);
    sim0.faults.hang = true;
    const pass = new AbortController();
    // Four requests take the cluster's four slots (hanging), twelve more wait for one
    const requests = Array.from({ length: 16 }, () => failureOf(c.get(key, pass.signal)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // One listener on the caller's signal serves all its requests (a listener each would have
    // Node warn of a leak past ten)
    expect(getEventListeners(pass.signal, 'abort')).toHaveLength(1);
    const started = Date.now();
    pass.abort();
    const failures = await Promise.all(requests);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(failures.map((f) => f.message)).toEqual(
      Array.from({ length: 16 }, () => 'get Namespace default: cancelled'),
    );
    // And the slots are free again: a request with no fault is answered
    sim0.faults.hang = false;
    expect(await c.get(key)).not.toBeNull();
    // And a request cancelled before it starts never reaches the cluster
    sim0.log.reset();
    await expect(failureOf(c.get(key, pass.signal))).resolves.toMatchObject({
      message: 'get Namespace default: cancelled',
    });
    expect(sim0.log.find({ verb: 'get' })).toHaveLength(0);
  });

  it('watches a kind across namespaces and resumes after the server ends the watch', async () => {
    const c = await client(sim1);
    const type = await c.resourceType('v1', 'ConfigMap');
    const seen: string[] = [];
    let synced = 0;
    const handle = watchKind(
      c,
      type,
      {
        onSync: () => synced++,
        onEvent: (kind, object) => seen.push(`${kind} ${object.metadata.name}`),
      },
      { watchTimeoutSeconds: 1 },
    );
    await eventually(async () => synced === 1, 5_000, 'initial list');
    await c.apply(configMap('watched', 'default', { a: '1' }));
    await eventually(async () => seen.includes('ADDED watched'), 5_000, 'added');
    // The server ends the watch after about a second; an edit after that still arrives.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    sim1.objects.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'default', name: 'watched' },
      { data: { a: '2' } },
    );
    await eventually(async () => seen.includes('MODIFIED watched'), 5_000, 'modified');
    expect(synced).toBe(1);
    handle.stop();
    await handle.done;
  });
});
