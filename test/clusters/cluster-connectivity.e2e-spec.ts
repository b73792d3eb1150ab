/**
 * Connectivity checks against kube-sim clusters: `/version` through
 * @kubernetes/client-node with the stored credentials (bearer token and CA
 * data over HTTPS), the recorded outcome, and isolation: a hanging cluster
 * fails by its deadline without holding up the others.
 */
import { KubeSim, SimCluster } from '../kube-sim';
import { startTestApp, TestApp } from '../support/app';

describe('cluster connectivity (kube-sim)', () => {
  let sim: KubeSim;
  let t: TestApp;

  beforeAll(async () => {
    sim = await KubeSim.start({ clusters: 3 });
    t = await startTestApp({ env: { FLEETPLANE_CONNECTIVITY_TIMEOUT_SECONDS: '2' } });
  });

  afterAll(async () => {
    await t?.close();
    await sim?.stop();
  });

  const register = (name: string, cluster: SimCluster, token = cluster.token) =>
    t
      .http()
      .post('/api/v1/clusters')
      .send({
        name,
        server: cluster.server,
        credentials: {
          bearerToken: token,
          caData: Buffer.from(cluster.caData ?? '', 'base64').toString('utf8'),
        },
      })
      .expect(201);

  it('records Successful with the server version for a reachable cluster', async () => {
    // Given a registered cluster with its token and CA
    await register('healthy', sim.cluster('sim-0'));

    // When it is checked
    const res = await t.http().post('/api/v1/clusters/healthy/check').expect(200);

    // Then the outcome and the server's version are recorded and served
    expect(res.body.connection).toEqual({
      status: 'Successful',
      message: null,
      serverVersion: expect.stringMatching(/^v1\.\d+\.\d+/),
      checkedAt: expect.any(String),
    });
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /fleetplane_cluster_info\{name="healthy",server="[^"]+",connection_status="Successful"\} 1/,
    );
  });

  it('records Failed with the API server’s reason for a rejected token, without the token', async () => {
    // Given a cluster registered with a token it does not know
    await register('wrong-token', sim.cluster('sim-1'), 'not-the-right-token');

    // When it is checked
    const res = await t.http().post('/api/v1/clusters/wrong-token/check').expect(200);

    // Then the failure says why and never shows the token
    expect(res.body.connection.status).toBe('Failed');
    expect(res.body.connection.message).toMatch(/401|Unauthorized/);
    expect(res.text).not.toContain('not-the-right-token');
  });

  it('fails a hanging cluster by its deadline while another is checked at once', async () => {
    // Given one cluster that accepts connections and never answers
    await register('hanging', sim.cluster('sim-2'));
    sim.cluster('sim-2').faults.hang = true;
    try {
      // When both are checked at the same time
      const [hanging, healthy] = await Promise.all([
        t.http().post('/api/v1/clusters/hanging/check'),
        t.http().post('/api/v1/clusters/healthy/check'),
      ]);

      // Then the hanging one fails with a timeout and the healthy one succeeds
      expect(hanging.body.connection).toEqual(
        expect.objectContaining({ status: 'Failed', message: expect.stringMatching(/timed out/) }),
      );
      expect(healthy.body.connection.status).toBe('Successful');
    } finally {
      sim.cluster('sim-2').faults.hang = false;
    }
  });
});
