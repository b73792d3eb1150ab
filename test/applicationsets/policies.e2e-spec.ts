/**
 * `syncPolicy.applicationsSync` (sync, create-only, create-update,
 * create-delete) and `preserveResourcesOnDeletion`, as in Argo CD
 * (semantics.md §3), and the boundary with the sync engine: a reconcile
 * replaces an Application's manifest but never its `status`.
 */
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { startTestApp, TestApp } from '../support/app';
import { eventually } from '../support/wait';
import { DEADLINE_MS, appNames, getAppSet, registerClusters, waitForApps } from './lifecycle-kit';

type Policy = 'sync' | 'create-only' | 'create-update' | 'create-delete';

/** One Application per element; `version` becomes the source's targetRevision. */
function versionedAppSet(
  name: string,
  elements: Record<string, string>,
  policy: Policy,
  syncPolicy: Record<string, unknown> = {},
) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name },
    spec: {
      generators: [
        {
          list: { elements: Object.entries(elements).map(([app, version]) => ({ app, version })) },
        },
      ],
      syncPolicy: { applicationsSync: policy, ...syncPolicy },
      template: {
        metadata: { name: `${name}-{{app}}` },
        spec: {
          project: 'default',
          source: {
            repoURL: 'https://git.example.com/apps.git',
            path: '{{app}}',
            targetRevision: '{{version}}',
          },
          destination: { name: 'eu-1', namespace: 'apps' },
        },
      },
    },
  };
}

describe('ApplicationSet policies', () => {
  let t: TestApp;
  let db: DataSource;

  const revisionOf = async (app: string) =>
    (await t.http().get(`/api/v1/applications/${app}`).expect(200)).body.spec.source.targetRevision;
  const settle = (name: string) =>
    eventually(async () => {
      const body = await getAppSet(t, name);
      return body?.status.conditions?.find((c) => c.type === 'ResourcesUpToDate') &&
        body.status.observedGeneration === body.metadata.generation
        ? body
        : null;
    }, DEADLINE_MS);

  beforeAll(async () => {
    t = await startTestApp();
    db = await new DataSource(dataSourceOptions(t.db.url, 2)).initialize();
    await registerClusters(t, { 'eu-1': {} });
  });

  afterAll(async () => {
    await db?.destroy();
    await t?.close();
  });

  it.each<[Policy, { updated: boolean; deleted: boolean }]>([
    ['sync', { updated: true, deleted: true }],
    ['create-update', { updated: true, deleted: false }],
    ['create-delete', { updated: false, deleted: true }],
    ['create-only', { updated: false, deleted: false }],
  ])('%s: creates, and updates/deletes as %p', async (policy, expected) => {
    const name = `p-${policy}`;
    // Given two Applications at v1,
    await t
      .http()
      .post('/api/v1/applicationsets')
      .send(versionedAppSet(name, { a: 'v1', b: 'v1' }, policy))
      .expect(201);
    await waitForApps(t, name, [`${name}-a`, `${name}-b`]);

    // when a new version bumps a to v2, drops b and adds c,
    await t
      .http()
      .put(`/api/v1/applicationsets/${name}`)
      .send(versionedAppSet(name, { a: 'v2', c: 'v1' }, policy))
      .expect(200);

    // then c is created under every policy,
    await waitForApps(
      t,
      name,
      expected.deleted ? [`${name}-a`, `${name}-c`] : [`${name}-a`, `${name}-b`, `${name}-c`],
    );
    await settle(name);
    // a is updated only where the policy updates,
    expect(await revisionOf(`${name}-a`)).toBe(expected.updated ? 'v2' : 'v1');
    // and b is deleted only where it deletes.
    expect((await t.http().get(`/api/v1/applications/${name}-b`)).status).toBe(
      expected.deleted ? 404 : 200,
    );
  });

  it('adds the resources finalizer unless preserveResourcesOnDeletion is set', async () => {
    await t
      .http()
      .post('/api/v1/applicationsets')
      .send(versionedAppSet('cascade', { a: 'v1' }, 'sync'))
      .expect(201);
    await t
      .http()
      .post('/api/v1/applicationsets')
      .send(versionedAppSet('preserve', { a: 'v1' }, 'sync', { preserveResourcesOnDeletion: true }))
      .expect(201);
    await waitForApps(t, 'cascade', ['cascade-a']);
    await waitForApps(t, 'preserve', ['preserve-a']);
    const cascade = (await t.http().get('/api/v1/applications/cascade-a')).body;
    const preserve = (await t.http().get('/api/v1/applications/preserve-a')).body;
    expect(cascade.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(preserve.metadata.finalizers).toBeUndefined();
  });

  it('deleting an ApplicationSet deletes its Applications, or releases them when the policy forbids deletion', async () => {
    await t.http().delete('/api/v1/applicationsets/p-sync').expect(202);
    await t.http().delete('/api/v1/applicationsets/p-create-update').expect(202);
    await eventually(async () => (await getAppSet(t, 'p-sync')) === null, DEADLINE_MS);
    await eventually(async () => (await getAppSet(t, 'p-create-update')) === null, DEADLINE_MS);
    await t.http().get('/api/v1/applications/p-sync-a').expect(404);
    for (const app of ['p-create-update-a', 'p-create-update-b', 'p-create-update-c']) {
      const body = (await t.http().get(`/api/v1/applications/${app}`).expect(200)).body;
      expect(body.metadata.applicationSet).toBeNull();
    }
  });

  it.each([
    ['a JSON pointer', 'pinned', { jsonPointers: ['/spec/source/targetRevision'] }],
    [
      'a jq path',
      'pinned-jq',
      {
        jqPathExpressions: [
          '.spec.source | select(.repoURL | endswith("/apps.git")) | .targetRevision',
        ],
      },
    ],
  ])(
    'keeps the live value of fields ignored by %s: a template change reaches new Applications only',
    async (_, name, rule) => {
      const pinned = (elements: Record<string, string>) => {
        const doc = versionedAppSet(name, elements, 'sync');
        return { ...doc, spec: { ...doc.spec, ignoreApplicationDifferences: [rule] } };
      };
      await t
        .http()
        .post('/api/v1/applicationsets')
        .send(pinned({ a: 'v1' }))
        .expect(201);
      await waitForApps(t, name, [`${name}-a`]);
      // When every element moves to v2 and b is added,
      await t
        .http()
        .put(`/api/v1/applicationsets/${name}`)
        .send(pinned({ a: 'v2', b: 'v2' }))
        .expect(200);
      await waitForApps(t, name, [`${name}-a`, `${name}-b`]);
      await settle(name);
      // then a keeps v1 and only the new b gets v2.
      expect(await revisionOf(`${name}-a`)).toBe('v1');
      expect(await revisionOf(`${name}-b`)).toBe('v2');
    },
  );

  it('replaces the manifest on update but never the status the sync engine wrote', async () => {
    // Given the sync engine recorded a status on an Application,
    const engineStatus = {
      sync: { status: 'Synced', revision: 'abc' },
      health: { status: 'Healthy' },
    };
    await db.query(`UPDATE applications SET status = $1 WHERE name = 'cascade-a'`, [
      JSON.stringify(engineStatus),
    ]);
    // when the ApplicationSet changes that Application,
    await t
      .http()
      .put('/api/v1/applicationsets/cascade')
      .send(versionedAppSet('cascade', { a: 'v9' }, 'sync'))
      .expect(200);
    await eventually(async () => (await revisionOf('cascade-a')) === 'v9', DEADLINE_MS);
    // then the status is still the engine's.
    const [row] = await db.query(
      `SELECT status, generation FROM applications WHERE name = 'cascade-a'`,
    );
    expect(row.status).toEqual(engineStatus);
    expect(Number(row.generation)).toBe(2);
    expect(await appNames(t, 'cascade')).toEqual(['cascade-a']);
  });
});
