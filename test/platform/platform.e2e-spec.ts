import { startTestApp, TestApp } from '../support/app';

describe('platform endpoints', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('GET /healthz says the process is up', async () => {
    await t.http().get('/healthz').expect(200, { status: 'ok' });
  });

  it('GET /readyz says the database is reachable', async () => {
    await t.http().get('/readyz').expect(200, { status: 'ready' });
  });

  it('GET /metrics serves process metrics and one fleetplane_cluster_info per cluster', async () => {
    await t
      .http()
      .post('/api/v1/clusters')
      .send({ name: 'm1', server: 'https://10.0.0.1:6443' })
      .expect(201);
    const res = await t.http().get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('process_resident_memory_bytes');
    expect(res.text).toContain(
      'fleetplane_cluster_info{name="m1",server="https://10.0.0.1:6443",connection_status="Unknown"} 1',
    );
  });

  it('serves an OpenAPI document generated from the controllers', async () => {
    const res = await t.http().get('/api/docs/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/clusters',
        '/api/v1/clusters/import',
        '/api/v1/clusters/{name}',
        '/api/v1/clusters/{name}/labels',
      ]),
    );
    expect(res.body.components.schemas.ClusterResponse.properties).toHaveProperty('credentials');
    expect(res.body.components.schemas.RegisterClusterRequest.required).toEqual(['name', 'server']);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.http().get('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NotFound' });
  });
});
