/**
 * The sync API as a person uses it (Argo CD's `app sync|rollback|terminate-op|
 * diff|history|resources`), against a real control plane and kube-sim, with
 * the refusals Argo users know: 404 for an unknown Application, 409 while an
 * operation runs or for a rollback under automated sync, 422 for a bad
 * revision, history id or field, 400 for a body that is not an object.
 */
import { eventually } from '../support/wait';
import {
  AppView,
  Fleet,
  editImage,
  imageOn,
  startFleet,
  syncedHealthy,
  webAppSet,
  webManifests,
} from './sync-kit';

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: web-credentials
data:
  password: c3VwZXJzZWNyZXQ=
`;

describe('sync API', () => {
  let f: Fleet;
  const app = 'manual-sim-0';
  const auto = 'auto-sim-0';
  let v0: string;
  let v1: string;

  beforeAll(async () => {
    f = await startFleet({ clusters: 1 });
    v0 = await f.repo.head();
    v1 = await f.repo.commitFiles({ 'web/secret.yaml': SECRET }, 'a Secret');
    await f.t
      .http()
      .post('/api/v1/applicationsets')
      .send(webAppSet('manual', f.repo.url, { syncOptions: ['CreateNamespace=true'] }))
      .expect(201);
    await f.t
      .http()
      .post('/api/v1/applicationsets')
      .send(
        webAppSet(
          'auto',
          f.repo.url,
          { automated: {}, syncOptions: ['CreateNamespace=true'] },
          'auto',
        ),
      )
      .expect(201);
    await f.until(app, (a) => a.status.sync?.status === 'OutOfSync', 'OutOfSync (never synced)');
    await f.until(auto, syncedHealthy(), 'auto Synced');
  });

  afterAll(async () => {
    await f?.close();
  });

  const post = (path: string, body?: unknown) => {
    const req = f.t.http().post(`/api/v1/applications/${path}`);
    return body === undefined ? req : req.send(body as object);
  };
  /** The Git poll noticed the commit: the Application is compared with it (and OutOfSync). */
  const seen = (sha: string) =>
    f.until(app, (a) => a.status.sync?.revision === sha, `compared with ${sha}`);
  const done = (a: AppView) =>
    a.status.operationState !== undefined &&
    !['Running', 'Terminating'].includes(a.status.operationState.phase);

  it('syncs an Application without automated sync on request', async () => {
    const res = await post(`${app}/sync`, {}).expect(202);
    expect(res.body).toMatchObject({
      application: app,
      operation: {
        kind: 'sync',
        prune: false,
        dryRun: false,
        initiatedBy: { username: 'api', automated: false },
      },
    });
    const synced = await f.until(app, syncedHealthy(v1), 'Synced');
    expect(synced.status.history).toEqual([
      expect.objectContaining({
        id: 0,
        revision: v1,
        initiatedBy: { username: 'api', automated: false },
      }),
    ]);
    const history = await f.t.http().get(`/api/v1/applications/${app}/history`).expect(200);
    expect(history.body.items).toEqual(synced.status.history);
    const resources = await f.t.http().get(`/api/v1/applications/${app}/resources`).expect(200);
    expect(
      resources.body.items
        .map((r: { kind: string; status: string }) => `${r.kind} ${r.status}`)
        .sort(),
    ).toEqual(['ConfigMap Synced', 'Deployment Synced', 'Secret Synced', 'Service Synced']);
  });

  it('does a dry run without changing the cluster or the history', async () => {
    const [cluster] = f.sim.clusters;
    const dry = await f.repo.commitFiles(webManifests('nginx:dry'), 'dry');
    await seen(dry);
    await post(`${app}/sync`, { dryRun: true }).expect(202);
    const after = await f.until(
      app,
      (a) => done(a) && a.status.operationState?.operation.revision === dry,
      'dry run done',
    );
    expect(after.status.operationState).toMatchObject({ phase: 'Succeeded' });
    expect(after.status.history).toHaveLength(1);
    expect(imageOn(cluster)).toBe('nginx:1.25');
  });

  it('syncs a new commit, then rolls back to the first deployment', async () => {
    const [cluster] = f.sim.clusters;
    const v2 = await f.repo.commitFiles(webManifests('nginx:2'), 'v2');
    await seen(v2);
    await post(`${app}/sync`, {}).expect(202);
    await f.until(app, syncedHealthy(v2), 'Synced at v2');
    expect(imageOn(cluster)).toBe('nginx:2');
    const res = await post(`${app}/rollback`, { id: 0 }).expect(202);
    expect(res.body.operation).toMatchObject({ kind: 'rollback', revision: v1, rollbackId: 0 });
    const rolled = await f.until(
      app,
      (a) => done(a) && a.status.history?.length === 3,
      'rolled back',
    );
    expect(rolled.status.operationState).toMatchObject({
      phase: 'Succeeded',
      operation: { revision: v1 },
    });
    expect(imageOn(cluster)).toBe('nginx:1.25');
    // Compared with its target (main), a rolled-back Application is OutOfSync, as in Argo CD
    expect(rolled.status.sync?.status).toBe('OutOfSync');
  });

  it('syncs a pinned revision', async () => {
    await post(`${app}/sync`, { revision: v1.slice(0, 12) }).expect(202);
    const pinned = await f.until(
      app,
      (a) => done(a) && a.status.history?.length === 4,
      'pinned sync',
    );
    expect(pinned.status.history?.at(-1)?.revision).toBe(v1);
  });

  it('masks Secret values in the diff', async () => {
    const [cluster] = f.sim.clusters;
    cluster.objects.patch(
      { apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'web-credentials' },
      { data: { password: Buffer.from('changed').toString('base64') } },
    );
    editImage(cluster, 'nginx:edited');
    const res = await f.t.http().get(`/api/v1/applications/${app}/diff`).expect(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('c3VwZXJzZWNyZXQ=');
    expect(text).not.toContain(Buffer.from('changed').toString('base64'));
    const secret = res.body.items.find((i: { kind: string }) => i.kind === 'Secret');
    expect(secret).toMatchObject({
      status: 'OutOfSync',
      differences: [{ path: 'data.password', desired: '++++++++', live: '++++++++++++' }],
    });
  });

  it('diffs another revision, and refuses an unknown one naming the field', async () => {
    // Before the Secret's commit, the Secret on the cluster is no longer in Git
    const res = await f.t.http().get(`/api/v1/applications/${app}/diff?revision=${v0}`).expect(200);
    expect(res.body.revision).toBe(v0);
    expect(res.body.items.find((i: { kind: string }) => i.kind === 'Secret')).toMatchObject({
      status: 'Extraneous',
    });
    const unknown = await f.t
      .http()
      .get(`/api/v1/applications/${app}/diff?revision=no-such-branch`)
      .expect(422);
    expect(unknown.body.details).toEqual([
      expect.objectContaining({ field: 'revision', rule: 'git-revision' }),
    ]);
    const forMany = await f.t
      .http()
      .get(`/api/v1/applications/${app}/diff?revisions=${v0}`)
      .expect(422);
    expect(forMany.body.details).toEqual([
      expect.objectContaining({ field: 'revisions', rule: 'multiple-sources' }),
    ]);
  });

  it('terminates a running sync, and refuses a second operation meanwhile', async () => {
    const [cluster] = f.sim.clusters;
    cluster.faults.set({ latencyMs: 20_000, verbs: ['patch'] });
    try {
      await post(`${app}/sync`, {}).expect(202);
      await f.until(app, (a) => a.status.operationState?.phase === 'Running', 'Running');
      const busy = await post(`${app}/sync`, {}).expect(409);
      expect(busy.body).toMatchObject({
        code: 'Conflict',
        message: expect.stringContaining('already in progress'),
      });
      await post(`${app}/terminate`).expect(202, {
        application: app,
        message: 'termination requested',
      });
      const stopped = await f.until(app, done, 'terminated', 20_000);
      expect(stopped.status.operationState).toMatchObject({
        phase: 'Failed',
        message: 'Operation terminated',
      });
    } finally {
      cluster.faults.clear();
    }
    const nothing = await post(`${app}/terminate`).expect(409);
    expect(nothing.body.message).toContain('no operation in progress');
  });

  it('refuses a rollback while automated sync is on', async () => {
    const res = await post(`${auto}/rollback`, {}).expect(409);
    expect(res.body).toMatchObject({
      code: 'Conflict',
      message:
        'rollback cannot be initiated when auto-sync is enabled; disable spec.syncPolicy.automated first',
    });
  });

  it.each<[string, string, unknown, number, string[]]>([
    ['an unknown revision', 'sync', { revision: 'no-such-branch' }, 422, ['revision']],
    ['a revision expression', 'sync', { revision: 'main~1' }, 422, ['revision']],
    ['an unknown field', 'sync', { purne: true }, 422, ['purne']],
    ['a non-boolean flag', 'sync', { prune: 'yes' }, 422, ['prune']],
    ['a body that is not an object', 'sync', [1, 2], 400, ['body']],
    ['a negative history id', 'rollback', { id: -1 }, 422, ['id']],
    ['a text history id', 'rollback', { id: 'last' }, 422, ['id']],
    ['an unknown history id', 'rollback', { id: 99 }, 422, ['id']],
  ])('refuses %s on POST .../%s, naming the field', async (_name, verb, body, status, fields) => {
    const res = await post(`${app}/${verb}`, body).expect(status);
    expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(fields);
  });

  it.each([
    ['post', 'sync'],
    ['post', 'rollback'],
    ['post', 'terminate'],
    ['get', 'diff'],
    ['get', 'history'],
    ['get', 'resources'],
  ] as const)('answers %s .../%s of an unknown Application with 404', async (method, verb) => {
    const res = await f.t.http()[method](`/api/v1/applications/nope/${verb}`).expect(404);
    expect(res.body).toMatchObject({ code: 'NotFound', message: 'Application "nope" not found' });
  });

  it('filters the Application list by sync and health status', async () => {
    const names = async (query: string) =>
      (await f.t.http().get(`/api/v1/applications?${query}`).expect(200)).body.items.map(
        (a: { metadata: { name: string } }) => a.metadata.name,
      );
    expect(await names('sync=Synced&health=Healthy')).toContain(auto);
    expect(await names('sync=Synced&health=Healthy')).not.toContain(app);
    expect(await names('sync=OutOfSync')).toEqual([app]);
    const bad = await f.t.http().get('/api/v1/applications?health=Fine').expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'health', rule: 'enum' })]);
  });

  it('lists the endpoints in the OpenAPI document', async () => {
    const res = await f.t.http().get('/api/docs/openapi.json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/applications/{name}/sync',
        '/api/v1/applications/{name}/rollback',
        '/api/v1/applications/{name}/terminate',
        '/api/v1/applications/{name}/diff',
        '/api/v1/applications/{name}/history',
        '/api/v1/applications/{name}/resources',
      ]),
    );
  });

  it('exports the sync metrics', async () => {
    await eventually(async () => {
      const res = await f.t.http().get('/metrics');
      return res.text.includes('fleetplane_app_sync_total{name="manual-sim-0"') ? res : null;
    });
    const res = await f.t.http().get('/metrics').expect(200);
    expect(res.text).toMatch(
      /fleetplane_app_info\{name="auto-sim-0",project="default",dest_server="[^"]+",dest_namespace="auto",sync_status="Synced",health_status="Healthy"\} 1/,
    );
    expect(res.text).toMatch(
      /fleetplane_app_sync_total\{name="manual-sim-0",dest_server="[^"]+",phase="Succeeded"\} \d+/,
    );
    expect(res.text).toContain('fleetplane_app_reconcile_bucket');
    expect(res.text).toMatch(
      /fleetplane_cluster_api_requests_total\{cluster="sim-0",verb="\w+",code="200"\} \d+/,
    );
    for (const state of ['working', 'waiting', 'queued']) {
      expect(res.text).toMatch(
        new RegExp(`^fleetplane_sync_passes\\{state="${state}"\\} \\d+$`, 'm'),
      );
    }
  });
});
