/**
 * An unchanged result writes nothing: re-reconciling every ApplicationSet,
 * re-reading every Git source and relabelling a cluster in a way that
 * changes no generated Application leave every row of `applications`,
 * `applicationsets` and `sources` exactly as it was: same row version
 * (xmin), not even locked (xmax), same timestamps.
 */
import { DataSource } from 'typeorm';
import { ApplicationSetReconciler } from '../../src/applicationsets/reconcile/applicationset-reconciler';
import { dataSourceOptions } from '../../src/database/data-source';
import { SourceSync } from '../../src/sources/source-sync';
import { startTestApp, TestApp } from '../support/app';
import { TestGitRepo } from '../support/git-repo';
import { eventually } from '../support/wait';
import {
  DEADLINE_MS,
  clusterAppSet,
  gitDirectoryAppSet,
  listAppSet,
  registerClusters,
  waitForApps,
  yamlDocs,
} from './lifecycle-kit';

/** Every row's physical version, lock marker and timestamps, by table and id. */
async function rowVersions(db: DataSource): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (const table of ['applications', 'applicationsets', 'sources']) {
    const rows: { id: string; v: string }[] = await db.query(
      `SELECT id, xmin::text || '/' || xmax::text || '/' || updated_at::text || '/' || status::text AS v FROM ${table}`,
    );
    for (const row of rows) versions[`${table}/${row.id}`] = row.v;
  }
  return versions;
}

describe('an unchanged result', () => {
  let t: TestApp;
  let repo: TestGitRepo;
  let db: DataSource;

  beforeAll(async () => {
    repo = await TestGitRepo.create();
    await repo.commitFiles({
      'appsets/apps.yaml': yamlDocs(gitDirectoryAppSet('apps', repo.url, 'eu-1')),
      'apps/one/a.yaml': 'a: 1\n',
      'apps/two/a.yaml': 'a: 1\n',
    });
    t = await startTestApp({ env: { FLEETPLANE_GIT_POLL_SECONDS: '3600' } });
    db = await new DataSource(dataSourceOptions(t.db.url, 2)).initialize();
    await registerClusters(t, {
      'eu-1': { env: 'prod' },
      'eu-2': { env: 'prod' },
      'us-1': { env: 'dev' },
    });
    await t
      .http()
      .post('/api/v1/applicationsets')
      .send(clusterAppSet('web', { env: 'prod' }))
      .expect(201);
    await t
      .http()
      .post('/api/v1/applicationsets')
      .send(listAppSet('tools', ['a', 'b'], 'us-1'))
      .expect(201);
    await t
      .http()
      .post('/api/v1/sources')
      .send({ name: 'fleet', repoURL: repo.url, revision: 'main', path: 'appsets' })
      .expect(201);
    await waitForApps(t, 'web', ['web-eu-1', 'web-eu-2']);
    await waitForApps(t, 'tools', ['tools-a', 'tools-b']);
    await waitForApps(t, 'apps', ['apps-one', 'apps-two']);
    // Settled: nothing queued but the repository poll an hour away.
    await eventually(async () => {
      const rows: { n: number }[] = await db.query(
        `SELECT count(*)::int AS n FROM work_queue WHERE kind <> 'git-repo'`,
      );
      return rows[0].n === 0;
    }, DEADLINE_MS);
  });

  afterAll(async () => {
    await db?.destroy();
    await t?.close();
    await repo?.cleanup();
  });

  it('writes no row when everything is evaluated again', async () => {
    // Given the rows as the first reconciles left them,
    const before = await rowVersions(db);
    expect(Object.keys(before)).toHaveLength(6 + 3 + 1);

    // when every ApplicationSet is reconciled again and the source re-read,
    const ids: { id: string }[] = await db.query(`SELECT id FROM applicationsets`);
    const reconciler = t.app.get(ApplicationSetReconciler);
    for (const { id } of ids) {
      const result = await reconciler.reconcile(id);
      // then each plan is empty,
      expect(result.plan).toMatchObject({
        create: [],
        update: [],
        delete: [],
        blockedDeletions: null,
      });
    }
    const [source] = await db.query(`SELECT id FROM sources`);
    await t.app.get(SourceSync).sync(source.id);

    // and not one row was written or even locked.
    expect(await rowVersions(db)).toEqual(before);
  });

  it('writes no row when a relabel changes no generated Application', async () => {
    const before = await rowVersions(db);
    const reconciler = t.app.get(ApplicationSetReconciler);
    const runs: string[] = [];
    const original = reconciler.reconcile.bind(reconciler);
    const spy = jest.spyOn(reconciler, 'reconcile').mockImplementation(async (id, now) => {
      const result = await original(id, now);
      runs.push(id);
      return result;
    });
    try {
      // When a prod cluster gets a label no template uses, web (env=prod) is re-evaluated,
      await t
        .http()
        .patch('/api/v1/clusters/eu-1')
        .send({ labels: { note: 'rack-7' } })
        .expect(200);
      await eventually(async () => runs.length > 0, DEADLINE_MS, 'web re-evaluated');
      await eventually(async () => {
        const rows: { n: number }[] = await db.query(
          `SELECT count(*)::int AS n FROM work_queue WHERE kind = 'applicationset'`,
        );
        return rows[0].n === 0;
      }, DEADLINE_MS);
      // and nothing was written.
      expect(await rowVersions(db)).toEqual(before);
    } finally {
      spy.mockRestore();
    }
  });
});
