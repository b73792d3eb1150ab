/**
 * Authentication and authorization as a real API server answers them: a
 * bearer token per cluster; 401 without one or with an unknown one (health
 * checks stay public); another cluster's token is a valid user without
 * rights here, so it may read discovery (system:discovery) and gets the RBAC
 * 403 for anything else; HTTPS only verifies against the run's CA.
 */
import { KubeConfig, CoreV1Api } from '@kubernetes/client-node';
import { KubeSim, SimCluster } from './index';
import { apiError, objectClient } from './testing/client-node';
import { connectionError, rawRequest } from './testing/raw-http';

describe('kube-sim authentication (client-node)', () => {
  let sim: KubeSim;
  let cluster: SimCluster;
  let other: SimCluster;
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'default' },
    stringData: { password: 'x' },
  };

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 2 });
    cluster = sim.cluster('sim-0');
    other = sim.cluster('sim-1');
    await objectClient(cluster).create(secret);
  });
  afterAll(() => sim.stop());

  it('answers 401 Unauthorized without a token or with an unknown one', async () => {
    for (const token of ['', 'not-a-token']) {
      expect(await apiError(objectClient(cluster, token).read(secret))).toEqual({
        code: 401,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'Unauthorized',
          reason: 'Unauthorized',
          code: 401,
        },
      });
    }
    expect((await rawRequest(cluster, '/api', { token: '' })).status).toBe(401);
  });

  it('keeps health checks public', async () => {
    const res = await rawRequest(cluster, '/readyz', { token: '' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('ok');
  });

  it("answers another cluster's token with the RBAC 403, naming its user", async () => {
    expect(await apiError(objectClient(cluster, other.token).read(secret))).toEqual({
      code: 403,
      body: expect.objectContaining({
        reason: 'Forbidden',
        message: `secrets "db" is forbidden: User "${other.user}" cannot get resource "secrets" in API group "" in the namespace "default"`,
        details: { name: 'db', kind: 'secrets' },
      }),
    });
    const list = await rawRequest(cluster, '/apis/apps/v1/deployments', { token: other.token });
    expect(list.status).toBe(403);
    expect(list.json().message).toBe(
      `deployments.apps is forbidden: User "${other.user}" cannot list resource "deployments" in API group "apps" at the cluster scope`,
    );
  });

  it("lets another cluster's user read discovery, as system:discovery allows", async () => {
    expect((await rawRequest(cluster, '/version', { token: other.token })).status).toBe(200);
    expect((await rawRequest(cluster, '/apis', { token: other.token })).status).toBe(200);
  });

  it('serves only clients that trust the run CA', async () => {
    const untrusted = { ...cluster, caData: undefined };
    expect(await connectionError(rawRequest(untrusted, '/version'))).toBe(
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    );
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'c', server: cluster.server, caData: cluster.caData }],
      users: [{ name: 'u', token: cluster.token }],
      contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
      currentContext: 'c',
    });
    const secrets = await kc
      .makeApiClient(CoreV1Api)
      .listNamespacedSecret({ namespace: 'default' });
    expect(secrets.items.map((s) => s.metadata?.name)).toEqual(['db']);
    expect(secrets.items[0].data).toEqual({ password: Buffer.from('x').toString('base64') });
  });
});
