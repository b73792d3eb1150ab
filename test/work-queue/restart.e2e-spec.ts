/**
 * A restart in the middle of pending work finishes it: the work queue is
 * rows in Postgres, so what one process left queued (never tried, or failed
 * and waiting for its retry) is done by the next process on that database.
 */
import { DataSource } from 'typeorm';
import { ApplicationSetReconciler } from '../../src/applicationsets/reconcile/applicationset-reconciler';
import { dataSourceOptions } from '../../src/database/data-source';
import { SourceSync } from '../../src/sources/source-sync';
import { startTestApp, TestApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import { TestGitRepo } from '../support/git-repo';
import { eventually } from '../support/wait';
import {
  DEADLINE_MS,
  listAppSet,
  registerClusters,
  waitForApps,
  yamlDocs,
} from '../applicationsets/lifecycle-kit';

/** Retries wait 5 s and more after the first failure; allow a few on a loaded machine. */
const AFTER_RESTART_MS = 45_000;

describe('restart with pending work', () => {
  let db: TestDatabase;
  let sql: DataSource;
  let repo: TestGitRepo;
  let t: TestApp | undefined;

  const queued = async (): Promise<Record<string, number>> => {
    const rows: { kind: string; n: number }[] = await sql.query(
      `SELECT kind, count(*)::int AS n FROM work_queue WHERE kind <> 'git-repo' GROUP BY kind`,
    );
    return Object.fromEntries(rows.map((r) => [r.kind, r.n]));
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = await new DataSource(dataSourceOptions(db.url, 2)).initialize();
    repo = await TestGitRepo.create();
    await repo.commitFiles({ 'appsets/git.yaml': yamlDocs(listAppSet('from-git', ['x'], 'eu-1')) });
  });

  afterAll(async () => {
    await t?.close();
    await sql?.destroy();
    await db?.drop();
    await repo?.cleanup();
  });

  it('finishes in a new process the reconciles and source syncs the old one left queued', async () => {
    // Given a process whose workers are slow and fail every time (as if it were dying),
    t = await startTestApp({
      db,
      env: { FLEETPLANE_RECONCILE_CONCURRENCY: '1', FLEETPLANE_GIT_POLL_SECONDS: '3600' },
    });
    const failing = async () => {
      await new Promise((r) => setTimeout(r, 200));
      throw new Error('simulated crash');
    };
    jest.spyOn(t.app.get(ApplicationSetReconciler), 'reconcile').mockImplementation(failing);
    jest.spyOn(t.app.get(SourceSync), 'sync').mockImplementation(failing);
    await registerClusters(t, { 'eu-1': {} });
    // when work is requested of it,
    for (const name of ['one', 'two', 'three', 'four', 'five'])
      await t
        .http()
        .post('/api/v1/applicationsets')
        .send(listAppSet(name, ['a'], 'eu-1'))
        .expect(201);
    await t
      .http()
      .post('/api/v1/sources')
      .send({ name: 'fleet', repoURL: repo.url, revision: 'main', path: 'appsets' })
      .expect(201);
    // and it stops with that work not done,
    await t.close();
    t = undefined;
    expect(await queued()).toEqual({ applicationset: 5, source: 1 });
    const apps: { n: number }[] = await sql.query(`SELECT count(*)::int AS n FROM applications`);
    expect(apps[0].n).toBe(0);

    // then a new process on the same database does all of it.
    t = await startTestApp({ db, env: { FLEETPLANE_GIT_POLL_SECONDS: '3600' } });
    for (const name of ['one', 'two', 'three', 'four', 'five'])
      await waitForApps(t, name, [`${name}-a`], AFTER_RESTART_MS);
    await waitForApps(t, 'from-git', ['from-git-x'], AFTER_RESTART_MS);
    await eventually(
      async () => Object.keys(await queued()).length === 0,
      DEADLINE_MS,
      'queue drained',
    );
  });
});
