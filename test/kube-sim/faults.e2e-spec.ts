/**
 * Fault injection, per cluster and at run time, seen from a client: added
 * latency, a fraction of 500/503 answers, 429 with Retry-After, RBAC-style
 * denials, "down" (connections refused; dropped on the shared port) and
 * "hang" (accepted, never answered). A faulty cluster never affects another.
 */
import { KubeSim, SimCluster } from './index';
import { apiError, objectClient } from './testing/client-node';
import { connectionError, rawRequest } from './testing/raw-http';

describe('kube-sim faults', () => {
  let sim: KubeSim;
  let cluster: SimCluster;
  let healthy: SimCluster;
  const path = '/api/v1/namespaces/default/configmaps';

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 2 });
    cluster = sim.cluster('sim-0');
    healthy = sim.cluster('sim-1');
  });
  afterEach(async () => {
    cluster.faults.clear();
    await cluster.faults.applied();
  });
  afterAll(() => sim.stop());

  it('latency delays every answer by at least the configured time', async () => {
    cluster.faults.set({ latencyMs: 300 });
    const started = Date.now();
    const res = await rawRequest(cluster, path);
    expect(res.status).toBe(200);
    // A lower bound only: a loaded machine may add more, never less.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('errorRate answers that fraction with 500 (or 503) Status errors, repeatably', async () => {
    cluster.faults.set({ errorRate: 0.5 });
    const codes: number[] = [];
    for (let i = 0; i < 40; i++) codes.push((await rawRequest(cluster, path)).status);
    const failed = codes.filter((c) => c === 500).length;
    expect(failed).toBeGreaterThan(5);
    expect(failed).toBeLessThan(35);
    expect(codes.filter((c) => c !== 500 && c !== 200)).toEqual([]);

    cluster.faults.set({ errorRate: 1, errorStatus: 503 });
    const unavailable = await rawRequest(cluster, path);
    expect(unavailable.status).toBe(503);
    expect(unavailable.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server is currently unable to handle the request',
      reason: 'ServiceUnavailable',
      details: {},
      code: 503,
    });
    cluster.faults.set({ errorStatus: 500 });
    expect(await apiError(objectClient(cluster).list('v1', 'ConfigMap', 'default'))).toEqual({
      code: 500,
      body: expect.objectContaining({ reason: 'InternalError', code: 500 }),
    });
  });

  it('throttleRate answers 429 TooManyRequests with Retry-After', async () => {
    cluster.faults.set({ throttleRate: 1, retryAfterSeconds: 7 });
    const res = await rawRequest(cluster, path);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('7');
    expect(res.json()).toEqual(
      expect.objectContaining({
        reason: 'TooManyRequests',
        message: 'Too many requests, please try again later.',
        details: { retryAfterSeconds: 7 },
        code: 429,
      }),
    );
  });

  it('faults can be restricted to some verbs', async () => {
    cluster.faults.set({ errorRate: 1, verbs: ['patch', 'create'] });
    expect((await rawRequest(cluster, path)).status).toBe(200);
    const create = await rawRequest(cluster, path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ metadata: { name: 'refused' }, data: {} }),
    });
    expect(create.status).toBe(500);
  });

  it('deny rules answer 403 as RBAC does', async () => {
    cluster.faults.set({ deny: [{ verbs: ['list'], resources: ['secrets'] }] });
    expect(await apiError(objectClient(cluster).list('v1', 'Secret', 'default'))).toEqual({
      code: 403,
      body: expect.objectContaining({
        reason: 'Forbidden',
        message: `secrets is forbidden: User "${cluster.user}" cannot list resource "secrets" in API group "" in the namespace "default"`,
      }),
    });
    expect((await rawRequest(cluster, path)).status).toBe(200);
  });

  it('down refuses connections, and the cluster answers again once it is up', async () => {
    cluster.faults.down = true;
    await cluster.faults.applied();
    expect(await connectionError(rawRequest(cluster, path))).toBe('ECONNREFUSED');
    expect((await rawRequest(healthy, path)).status).toBe(200);
    cluster.faults.down = false;
    await cluster.faults.applied();
    expect((await rawRequest(cluster, path)).status).toBe(200);
  });

  it('down and up take effect for the very next request, without awaiting', async () => {
    cluster.faults.down = true;
    expect(await connectionError(rawRequest(cluster, path))).toBe('ECONNREFUSED');
    cluster.faults.down = false;
    expect((await rawRequest(cluster, path)).status).toBe(200);
    cluster.faults.set({ down: true });
    cluster.faults.set({ down: false });
    cluster.faults.set({ down: true });
    expect(await connectionError(rawRequest(cluster, path))).toBe('ECONNREFUSED');
    cluster.faults.clear();
    expect((await rawRequest(cluster, path)).status).toBe(200);
  });

  it('down on the shared port drops connections without an answer', async () => {
    const shared = await KubeSim.start({ clusters: 1, listeners: 'shared' });
    try {
      const only = shared.cluster('sim-0');
      only.faults.down = true;
      expect(await connectionError(rawRequest(only, path))).toBe('ECONNRESET');
      only.faults.down = false;
      expect((await rawRequest(only, path)).status).toBe(200);
    } finally {
      await shared.stop();
    }
  });

  it('hang accepts a request and never answers it, while other clusters answer', async () => {
    cluster.faults.hang = true;
    const hanging = rawRequest(cluster, path, { timeoutMs: 1_000 });
    expect((await rawRequest(healthy, path)).status).toBe(200);
    expect(await connectionError(hanging)).toBe('ABORT_ERR');
    expect(cluster.log.find({ resource: 'configmaps', status: 0 }).length).toBeGreaterThan(0);
    cluster.faults.hang = false;
    expect((await rawRequest(cluster, path)).status).toBe(200);
  });

  it('a request without a token is 401 even under faults (authentication first)', async () => {
    cluster.faults.set({ errorRate: 1 });
    expect((await rawRequest(cluster, path, { token: '' })).status).toBe(401);
  });
});
