/**
 * The deletion budget (something Argo CD lacks): a reconcile that would
 * delete more than 50 % (and more than 10) of an ApplicationSet's
 * Applications does not run at all; it records a condition and waits for
 * `POST /approve-deletions`, or for the budget to be raised.
 */
import { startTestApp, TestApp } from '../support/app';
import { createTestDatabase, TestDatabase } from '../support/database';
import {
  appNames,
  getAppSet,
  listAppSet,
  registerClusters,
  waitForApps,
  waitForCondition,
} from './lifecycle-kit';

const apps = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `app-${String(from + i).padStart(2, '0')}`);
const owned = (names: string[]) => names.map((n) => `big-${n}`);

describe('deletion budget', () => {
  let db: TestDatabase;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp({ db });
    await registerClusters(t, { 'eu-1': {} });
    await t
      .http()
      .post('/api/v1/applicationsets')
      .send(listAppSet('big', apps(30), 'eu-1'))
      .expect(201);
    await waitForApps(t, 'big', owned(apps(30)));
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('holds back a reconcile that would delete too many, and approval releases exactly it', async () => {
    // When a new version keeps 5 of 30 Applications and adds one,
    await t
      .http()
      .put('/api/v1/applicationsets/big')
      .send(listAppSet('big', [...apps(5), 'extra'], 'eu-1'))
      .expect(200);

    // then nothing runs: a condition says why and how to proceed,
    const held = await waitForCondition(t, 'big', 'DeletionBudgetExceeded', 'True');
    expect(held.message).toContain('would delete 25 Applications, more than the budget of 15');
    expect(held.message).toContain('approve-deletions');
    const status = (await getAppSet(t, 'big'))!.status;
    expect(status.blockedDeletions).toMatchObject({ count: 25, limit: 15 });
    expect(status.blockedDeletions!.names).toEqual(owned(apps(25, 5)));
    expect(status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'ResourcesUpToDate',
        status: 'False',
        reason: 'DeletionBudgetExceeded',
      }),
    );
    // no Application was deleted, and not even the new one was created.
    expect(await appNames(t, 'big')).toEqual(owned(apps(30)));

    // When an operator approves,
    const approved = await t
      .http()
      .post('/api/v1/applicationsets/big/approve-deletions')
      .expect(200);
    expect(approved.body.metadata.name).toBe('big');

    // then the held-back reconcile runs,
    await waitForApps(t, 'big', owned([...apps(5), 'extra']));
    await waitForCondition(t, 'big', 'ResourcesUpToDate', 'True');
    const after = (await getAppSet(t, 'big'))!;
    expect(after.status.blockedDeletions).toBeUndefined();
    expect(after.status.conditions!.map((c) => c.type)).not.toContain('DeletionBudgetExceeded');
    // and there is nothing left to approve.
    const again = await t.http().post('/api/v1/applicationsets/big/approve-deletions');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({
      code: 'Conflict',
      message: expect.stringContaining('no deletions'),
    });
  });

  it('lets up to 10 go whatever the share', async () => {
    // 6 → 0: 100 % of them, but within the minimum of 10.
    await t
      .http()
      .put('/api/v1/applicationsets/big')
      .send(listAppSet('big', [], 'eu-1'))
      .expect(200);
    await waitForApps(t, 'big', []);
  });

  it('runs once the budget is raised (a restart with a new setting)', async () => {
    await t
      .http()
      .put('/api/v1/applicationsets/big')
      .send(listAppSet('big', apps(30), 'eu-1'))
      .expect(200);
    await waitForApps(t, 'big', owned(apps(30)));
    await t
      .http()
      .put('/api/v1/applicationsets/big')
      .send(listAppSet('big', apps(1), 'eu-1'))
      .expect(200);
    await waitForCondition(t, 'big', 'DeletionBudgetExceeded', 'True');
    expect(await appNames(t, 'big')).toHaveLength(30);

    // When the process restarts with a budget of 100 %, the held reconcile proceeds.
    await t.close();
    t = await startTestApp({ db, env: { FLEETPLANE_DELETION_BUDGET_PERCENT: '100' } });
    await waitForApps(t, 'big', owned(apps(1)));
    await waitForCondition(t, 'big', 'ResourcesUpToDate', 'True');
  });
});
