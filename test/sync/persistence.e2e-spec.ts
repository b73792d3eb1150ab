/**
 * The control half's SQL against real Postgres: cluster leases (take, renew,
 * take over only after expiry, fair share, release), fenced status writes,
 * API requests (one at a time, refused while deleting), the finalizer
 * deletion path of `applicationWrites.delete`, and the NOTIFY trigger.
 */
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { applicationWrites } from '../../src/applications/application.repository';
import { dataSourceOptions } from '../../src/database/data-source';
import { ClusterLeaseRepository } from '../../src/sync/control/persistence/cluster-lease.repository';
import {
  APPLICATION_SYNC_CHANNEL,
  SyncStateRepository,
} from '../../src/sync/control/persistence/sync-state.repository';
import {
  ApplicationSyncStatus,
  RequestedOperation,
} from '../../src/sync/control/sync-control.types';
import { createTestDatabase, TestDatabase } from '../support/database';
import { eventually } from '../support/wait';

describe('sync control persistence', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let leases: ClusterLeaseRepository;
  let state: SyncStateRepository;
  let listener: Client;
  const notified: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await new DataSource(dataSourceOptions(db.url, 4)).initialize();
    leases = new ClusterLeaseRepository(ds);
    state = new SyncStateRepository(ds);
    listener = new Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (n) => notified.push(n.payload ?? ''));
    await listener.query(`LISTEN ${APPLICATION_SYNC_CHANNEL}`);
    for (const name of ['c1', 'c2', 'c3', 'c4']) {
      await ds.query(
        `INSERT INTO clusters (id, name, server) VALUES (gen_random_uuid(), $1, 'https://' || $1 || '.example.com')`,
        [name],
      );
    }
  });

  afterAll(async () => {
    await listener?.end();
    await ds?.destroy();
    await db?.drop();
  });

  async function insertApp(name: string, cluster: string, finalizer = true): Promise<string> {
    const manifest = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name,
        ...(finalizer ? { finalizers: ['resources-finalizer.argocd.argoproj.io'] } : {}),
      },
      spec: { project: 'default', destination: { name: cluster, namespace: 'web' } },
    };
    const [row] = await ds.query(
      `INSERT INTO applications (name, project, cluster_name, manifest, spec_hash) VALUES ($1, 'default', $2, $3, 'h') RETURNING id`,
      [name, cluster, manifest],
    );
    return row.id;
  }

  describe('cluster leases', () => {
    it('are taken once, renewed by their holder, and taken over only after expiry', async () => {
      expect((await leases.acquire('a', ['c1', 'c2'], 60_000)).sort()).toEqual(['c1', 'c2']);
      expect(await leases.acquire('b', ['c1', 'c2', 'c3'], 60_000)).toEqual(['c3']);
      expect((await leases.renew('a', ['c1', 'c2', 'c3'], 60_000)).sort()).toEqual(['c1', 'c2']);
      // Expired: another replica takes it; its old holder can no longer renew it
      await ds.query(
        `UPDATE sync_cluster_leases SET expires_at = now() - interval '1 s' WHERE cluster_name = 'c1'`,
      );
      expect(await leases.acquire('b', ['c1'], 60_000)).toEqual(['c1']);
      expect(await leases.renew('a', ['c1', 'c2'], 60_000)).toEqual(['c2']);
      await leases.release('b', ['c1', 'c3']);
      expect(await leases.acquire('a', ['c1', 'c3', 'c4'], 60_000, 2)).toHaveLength(2);
      await leases.release('a', ['c1', 'c2', 'c3', 'c4']);
    });

    it('count live replicas and forget silent ones', async () => {
      expect(await leases.heartbeat('r1', 60_000)).toBe(1);
      expect(await leases.heartbeat('r2', 60_000)).toBe(2);
      await ds.query(
        `UPDATE sync_replicas SET seen_at = now() - interval '2 minutes' WHERE id = 'r1'`,
      );
      expect(await leases.heartbeat('r2', 60_000)).toBe(1);
      await leases.leave('r2');
    });
  });

  const request = (id: string): RequestedOperation => ({
    id,
    kind: 'sync',
    prune: false,
    dryRun: false,
    allowEmpty: false,
    initiatedBy: { username: 'api', automated: false },
    requestedAt: new Date().toISOString(),
  });

  describe('status writes', () => {
    const SYNCED: ApplicationSyncStatus = {
      sync: { status: 'Synced' },
      health: { status: 'Healthy' },
      resources: [],
      history: [],
      conditions: [],
    };

    it('are fenced by the lease of the Application cluster', async () => {
      const mine = await insertApp('fenced-mine', 'c1');
      const theirs = await insertApp('fenced-theirs', 'c2');
      await leases.acquire('a', ['c1'], 60_000);
      await leases.acquire('b', ['c2'], 60_000);
      const status = SYNCED;
      const memory = { inventory: [], lastAttempt: null, selfHealAttempts: 0, resumeCount: 0 };
      const written = await state.writeBatch('a', [
        { id: mine, status, state: memory },
        { id: theirs, status, state: memory },
      ]);
      expect([...written]).toEqual([mine]);
      const [row] = await state.loadByIds([mine]);
      expect(row.status).toEqual(status);
      expect((await state.loadByIds([theirs]))[0].status).toEqual({});
      await leases.release('a', ['c1']);
      await leases.release('b', ['c2']);
    });

    it('store a message that quotes a NUL or half a surrogate pair, written out as text', async () => {
      const id = await insertApp('quoted', 'c1');
      const other = await insertApp('quoted-other', 'c1');
      await leases.acquire('a', ['c1'], 60_000);
      // A Pod's termination message is the application's own text, and the health message quotes it.
      const status: ApplicationSyncStatus = {
        ...SYNCED,
        health: { status: 'Degraded', message: 'exit 1: \u0000\ud800' },
      };
      const memory = { inventory: [], lastAttempt: null, selfHealAttempts: 0, resumeCount: 0 };
      const written = await state.writeBatch('a', [
        { id, status, state: memory },
        { id: other, status: SYNCED, state: memory },
      ]);
      expect([...written].sort()).toEqual([id, other].sort());
      const [row] = await state.loadByIds([id]);
      expect(row.status.health).toEqual({ status: 'Degraded', message: 'exit 1: \\u0000\\ud800' });
      await leases.release('a', ['c1']);
    });

    it('keep the stored history, adding the entries of successful syncs with the next ids up to the limit', async () => {
      const id = await insertApp('history', 'c3');
      await leases.acquire('a', ['c3'], 60_000);
      // A worker's status carries no history (it is not held in memory)
      const status = SYNCED;
      const synced = (revision: string) => ({
        revision,
        deployedAt: '2026-12-02T03:00:00.000Z',
        initiatedBy: { automated: true },
      });
      const historyOf = async () => (await state.loadByIds([id]))[0].status.history ?? [];

      // The first successful sync gets id 0
      await state.writeBatch('a', [
        { id, status, historyAppend: { entries: [synced('r0')], limit: undefined } },
      ]);
      expect(await historyOf()).toEqual([{ id: 0, ...synced('r0') }]);
      // A later write without a sync keeps it, though its status has none
      await state.writeBatch('a', [{ id, status: { ...status, conditions: [] } }]);
      expect((await historyOf()).map((e) => e.id)).toEqual([0]);
      // Two syncs merged into one write get the next ids, in order
      await state.writeBatch('a', [
        { id, status, historyAppend: { entries: [synced('r1'), synced('r2')], limit: 10 } },
      ]);
      expect((await historyOf()).map((e) => [e.id, e.revision])).toEqual([
        [0, 'r0'],
        [1, 'r1'],
        [2, 'r2'],
      ]);
      // Only the newest revisionHistoryLimit stay; ids go on from the last one
      await state.writeBatch('a', [
        { id, status, historyAppend: { entries: [synced('r3')], limit: 2 } },
      ]);
      expect((await historyOf()).map((e) => [e.id, e.revision])).toEqual([
        [2, 'r2'],
        [3, 'r3'],
      ]);
      // A limit of 0 keeps none (Argo's rule, as appendHistory)
      await state.writeBatch('a', [
        { id, status, historyAppend: { entries: [synced('r4')], limit: 0 } },
      ]);
      expect(await historyOf()).toEqual([]);
      await state.writeBatch('a', [
        { id, status, historyAppend: { entries: [synced('r5')], limit: -1 } },
      ]);
      expect((await historyOf()).map((e) => [e.id, e.revision])).toEqual([[0, 'r5']]);
      // And the writer for Applications whose cluster is gone keeps it too
      await ds.query(`UPDATE applications SET cluster_name = 'gone' WHERE id = $1`, [id]);
      await state.writeUnregisteredDestinations([{ id, status }]);
      expect((await historyOf()).map((e) => e.revision)).toEqual(['r5']);
      await leases.release('a', ['c3']);
    });

    it('write memory and clear the consumed request in one statement, only while it is pending', async () => {
      const id = await insertApp('consumed', 'c4');
      await leases.acquire('a', ['c4'], 60_000);
      const memory = {
        inventory: [
          {
            ref: { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'ns', name: 'cm' },
            wave: 0,
            digest: 'd1',
          },
        ],
        lastAttempt: null,
        selfHealAttempts: 2,
        resumeCount: 1,
      };
      await state.requestOperation(id, request('pending'));
      // A stale request id leaves the pending request, while the memory is written
      await state.writeBatch('a', [{ id, state: memory, clearRequestId: 'stale' }]);
      let [row] = await state.loadByIds([id]);
      expect(row.state.requestedOperation?.id).toBe('pending');
      expect(row.state.inventory).toEqual(memory.inventory);
      expect(row.state.selfHealAttempts).toBe(2);
      // The consumed one is cleared with the next memory
      await state.writeBatch('a', [
        { id, state: { ...memory, selfHealAttempts: 0 }, clearRequestId: 'pending' },
      ]);
      [row] = await state.loadByIds([id]);
      expect(row.state.requestedOperation).toBeNull();
      expect(row.state.selfHealAttempts).toBe(0);
      expect(row.state.resumeCount).toBe(1);
      await leases.release('a', ['c4']);
    });

    it('clear each row only what that row consumed, in a batch of many', async () => {
      const ids = await Promise.all(['b-0', 'b-1', 'b-2', 'b-3'].map((n) => insertApp(n, 'c4')));
      await leases.acquire('a', ['c4'], 60_000);
      const memory = { inventory: [], lastAttempt: null, selfHealAttempts: 0, resumeCount: 0 };
      for (const [i, id] of ids.entries()) await state.requestOperation(id, request(`req-${i}`));
      await state.requestTermination(ids[2]);
      await state.requestTermination(ids[3]);
      const [terminated] = (await ds.query(
        `SELECT terminate_requested_at AS at FROM application_sync_state WHERE application_id = $1`,
        [ids[2]],
      )) as { at: Date }[];
      // When one batch carries: b-0 its own request, b-1 another row's request id, b-2 the
      // termination it honoured, b-3 one older than its termination
      await state.writeBatch('a', [
        { id: ids[0], state: memory, clearRequestId: 'req-0' },
        { id: ids[1], state: memory, clearRequestId: 'req-0' },
        { id: ids[2], state: memory, clearTerminationAt: terminated.at.toISOString() },
        { id: ids[3], state: memory, clearTerminationAt: '2000-01-01T00:00:00.000Z' },
      ]);
      // Then each row lost only what it consumed
      const rows = await state.loadByIds(ids);
      const byName = new Map(rows.map((r) => [r.name, r.state]));
      expect(byName.get('b-0')?.requestedOperation).toBeNull();
      expect(byName.get('b-1')?.requestedOperation?.id).toBe('req-1');
      // (a termination drops the pending request, as the API asks)
      expect(byName.get('b-2')?.terminateRequestedAt).toBeNull();
      expect(byName.get('b-3')?.terminateRequestedAt).not.toBeNull();
      await leases.release('a', ['c4']);
    });
  });

  describe('requests', () => {
    it('take one operation at a time and are announced', async () => {
      const id = await insertApp('requested', 'c3');
      notified.length = 0;
      expect(await state.requestOperation(id, request('r1'))).toBe(true);
      expect(await state.requestOperation(id, request('r2'))).toBe(false);
      expect((await state.loadByIds([id]))[0].state.requestedOperation?.id).toBe('r1');
      await eventually(async () => notified.includes(`c3\t${id}`), 5_000, 'NOTIFY');
      // The worker clears only the request it consumed
      await leases.acquire('a', ['c3'], 60_000);
      await state.writeBatch('a', [{ id, clearRequestId: 'other' }]);
      expect((await state.loadByIds([id]))[0].state.requestedOperation?.id).toBe('r1');
      await state.writeBatch('a', [{ id, clearRequestId: 'r1' }]);
      expect((await state.loadByIds([id]))[0].state.requestedOperation).toBeNull();
      // Termination drops a pending request and is recorded
      await state.requestOperation(id, request('r3'));
      await state.requestTermination(id);
      const [after] = await state.loadByIds([id]);
      expect(after.state.requestedOperation).toBeNull();
      expect(after.state.terminateRequestedAt).not.toBeNull();
      await state.writeBatch('a', [{ id, clearTerminationAt: after.state.terminateRequestedAt! }]);
      expect((await state.loadByIds([id]))[0].state.terminateRequestedAt).toBeNull();
      await leases.release('a', ['c3']);
    });
  });

  describe('deleting Applications (applicationWrites.delete)', () => {
    it('marks a synced Application with the finalizer, deletes the others, and announces each change', async () => {
      const synced = await insertApp('del-synced', 'c4');
      const plain = await insertApp('del-plain', 'c4', false);
      const never = await insertApp('del-never', 'c4');
      await ds.query(
        `INSERT INTO application_sync_state (application_id, inventory) VALUES ($1, '[{"ref":{"group":"","version":"v1","kind":"ConfigMap","namespace":"web","name":"x"},"wave":0}]'), ($2, '[{"ref":{}}]')`,
        [synced, plain],
      );
      notified.length = 0;
      await ds.transaction((tx) => applicationWrites.delete(tx, [synced, plain, never]));
      const rows = await state.loadByIds([synced, plain, never]);
      expect(rows.map((r) => r.name)).toEqual(['del-synced']);
      expect(rows[0].state.deletionRequestedAt).not.toBeNull();
      expect(rows[0].applicationSetId).toBeNull();
      await eventually(async () => notified.includes(`c4\t${synced}`), 5_000, 'NOTIFY of the mark');
      await eventually(
        async () => notified.includes(`c4\t${plain}`),
        5_000,
        'NOTIFY of the delete',
      );
      // The worker holding c4 removes it once pruned
      expect(await state.removeDeleted('someone-else', synced)).toBeUndefined();
      await leases.acquire('a', ['c4'], 60_000);
      expect(await state.removeDeleted('a', synced)).toEqual({ ownerId: null });
      expect(await state.loadByIds([synced])).toEqual([]);
      await leases.release('a', ['c4']);
    });
  });

  describe('the applications trigger', () => {
    it('announces spec changes and moves, but not status writes', async () => {
      const id = await insertApp('trigger', 'c1');
      await eventually(async () => notified.includes(`c1\t${id}`), 5_000, 'insert');
      notified.length = 0;
      await ds.query(`UPDATE applications SET status = '{"x":1}' WHERE id = $1`, [id]);
      await ds.query(`UPDATE applications SET spec_hash = 'h2' WHERE id = $1`, [id]);
      await ds.query(`UPDATE applications SET cluster_name = 'c2' WHERE id = $1`, [id]);
      await eventually(async () => notified.includes(`c2\t${id}`), 5_000, 'move');
      expect(notified).toEqual([`c1\t${id}`, `c1\t${id}`, `c2\t${id}`]);
    });
  });
});
