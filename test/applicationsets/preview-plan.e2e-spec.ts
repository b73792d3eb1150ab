/**
 * The preview's plan against what exists (issue 5): given an ApplicationSet
 * reconciled into Applications in Postgres, a preview of a changed document
 * says what a reconcile would create, update (with a field diff) and delete,
 * following the sync policy, ownership and the deletion budget, and writes
 * nothing.
 */
import { startTestApp, TestApp } from '../support/app';
import { eventually } from '../support/wait';
import { appSet, preview, registerClusters, rowCount } from './preview-kit';

const apps = (...numbers: number[]) =>
  numbers.map((n) => ({ app: `app-${String(n).padStart(2, '0')}`, revision: 'main' }));

/** An ApplicationSet with one Application per element, on cluster `prod`. */
function plannedSet(elements: { app: string; revision: string }[], extra = {}, name = 'planned') {
  return appSet(
    name,
    [{ list: { elements } }],
    {
      metadata: { name: '{{app}}' },
      spec: {
        project: 'default',
        source: {
          repoURL: 'https://git.example.com/apps.git',
          targetRevision: '{{revision}}',
          path: 'apps/{{app}}',
        },
        destination: { name: 'prod', namespace: 'apps' },
      },
    },
    extra,
  );
}

describe('POST /api/v1/applicationsets/preview: the plan against what exists', () => {
  let t: TestApp;
  const existing = apps(...Array.from({ length: 12 }, (_, i) => i + 1));

  beforeAll(async () => {
    // Given an ApplicationSet whose twelve Applications are stored
    t = await startTestApp();
    await registerClusters(t, [{ name: 'prod', server: 'https://prod.example.com' }]);
    await t.http().post('/api/v1/applicationsets').send(plannedSet(existing)).expect(201);
    await eventually(
      async () => (await rowCount(t, 'applications')) === 12,
      20_000,
      'twelve Applications stored',
    );
    // and the reconcile is over (nothing left in the work queue to change a row under the previews)
    await eventually(
      async () => (await rowCount(t, 'work_queue')) === 0,
      20_000,
      'work queue drained',
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  it('creates, updates with a field diff, deletes, and counts the unchanged', async () => {
    // When one element keeps its values, one changes its revision, one is new and ten are gone
    const changed = [...apps(1), { app: 'app-02', revision: 'v2' }, ...apps(13)];
    const res = await preview(t, plannedSet(changed));
    // then the plan says exactly that
    expect(res.status).toBe(200);
    expect(res.body.plan).toEqual({
      create: ['app-13'],
      update: [
        {
          name: 'app-02',
          changes: [{ path: 'spec.source.targetRevision', from: 'main', to: 'v2' }],
        },
      ],
      delete: apps(3, 4, 5, 6, 7, 8, 9, 10, 11, 12).map((e) => e.app),
      unchanged: 1,
    });
    expect(res.body.applications.map((a: { problems: unknown[] }) => a.problems)).toEqual([
      [],
      [],
      [],
    ]);
  });

  it.each<[string, object]>([
    [
      'create-only',
      { create: ['app-13'], update: [], delete: [], unchanged: 2, keep: ['app-03', 'app-04'] },
    ],
    [
      'create-update',
      {
        create: ['app-13'],
        update: [{ name: 'app-02', changes: expect.any(Array) }],
        delete: [],
        unchanged: 1,
        keep: ['app-03', 'app-04'],
      },
    ],
    [
      'create-delete',
      { create: ['app-13'], update: [], delete: ['app-03', 'app-04'], unchanged: 2 },
    ],
  ])('follows the %s policy', async (policy, plan) => {
    const changed = [
      ...apps(1),
      { app: 'app-02', revision: 'v2' },
      ...apps(5, 6, 7, 8, 9, 10, 11, 12, 13),
    ];
    const res = await preview(t, plannedSet(changed, { syncPolicy: { applicationsSync: policy } }));
    expect(res.status).toBe(200);
    expect(res.body.plan).toEqual({
      ...plan,
      unchanged: (plan as { unchanged: number }).unchanged + 8,
    });
  });

  it('shows deletions the deletion budget would hold back', async () => {
    // When the document would delete all twelve (more than max(10, 50 %))
    const res = await preview(t, plannedSet(apps(20)));
    expect(res.status).toBe(200);
    expect(res.body.plan).toMatchObject({
      create: ['app-20'],
      delete: existing.map((e) => e.app),
      blockedDeletions: { names: existing.map((e) => e.app), limit: 10 },
    });
  });

  it('reports a name another ApplicationSet owns as a problem of that Application only', async () => {
    const res = await preview(t, plannedSet([...apps(1), ...apps(30)], {}, 'intruder'));
    expect(res.status).toBe(200);
    expect(
      res.body.applications.map(
        (a: { metadata: { name: string }; problems: { rule: string }[] }) => [
          a.metadata.name,
          a.problems.map((p) => p.rule),
        ],
      ),
    ).toEqual([
      ['app-01', ['already-owned']],
      ['app-30', []],
    ]);
    expect(res.body.plan).toEqual({ create: ['app-30'], update: [], delete: [], unchanged: 0 });
  });

  it('leaves out of the plan the fields ignoreApplicationDifferences keeps, as a reconcile does', async () => {
    // When app-02's revision changes but the document says to keep the live revision
    const changed = [...apps(1), { app: 'app-02', revision: 'v2' }, ...apps(3, 4, 5, 6, 7, 8)];
    const ignoring = {
      ignoreApplicationDifferences: [{ jsonPointers: ['/spec/source/targetRevision'] }],
    };
    const res = await preview(t, plannedSet([...changed, ...apps(9, 10, 11, 12)], ignoring));
    // then no update is planned, while the Application itself shows what the template generates
    expect(res.status).toBe(200);
    expect(res.body.plan).toEqual({ create: [], update: [], delete: [], unchanged: 12 });
    const second = res.body.applications.find(
      (a: { metadata: { name: string } }) => a.metadata.name === 'app-02',
    );
    expect(second.spec.source.targetRevision).toBe('v2');
  });

  it('left every stored Application as it was', async () => {
    const list = await t.http().get('/api/v1/applications').query({ applicationset: 'planned' });
    expect(list.body.items.map((a: { metadata: { name: string } }) => a.metadata.name)).toEqual(
      existing.map((e) => e.app),
    );
    expect(
      list.body.items.map(
        (a: { spec: { source: { targetRevision: string } } }) => a.spec.source.targetRevision,
      ),
    ).toEqual(existing.map(() => 'main'));
  });
});
