/**
 * Reads and writes of the control half's rows: Applications with their sync
 * state (`applications` joined with `application_sync_state`), fenced
 * batched status writes, and the requests the API leaves for the workers.
 * Every write a worker makes is fenced by its cluster lease, in the same
 * transaction: a replica that lost a cluster can no longer write to its
 * Applications, even if it has not noticed yet.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Application } from '../../../argo/application.types';
import { Inventory } from '../../plan/inventory';
import {
  ApplicationSyncStatus,
  EMPTY_SYNC_STATE,
  LastAttempt,
  RequestedOperation,
  SyncedApplication,
} from '../sync-control.types';

/** Postgres channel announcing that an Application needs a look (payload `<cluster>\t<id>`). */
export const APPLICATION_SYNC_CHANNEL = 'fleetplane_application_sync';

/** One Application's writes of one pass. */
export interface StatusWrite {
  readonly id: string;
  /** The new status; absent when it did not change. */
  readonly status?: ApplicationSyncStatus;
  /** The worker-owned memory; absent when it did not change. */
  readonly state?: {
    readonly inventory: Inventory;
    readonly lastAttempt: LastAttempt | null;
    readonly selfHealAttempts: number;
    readonly resumeCount: number;
  };
  /** The request this pass consumed (cleared only if it is still the pending one). */
  readonly clearRequestId?: string;
  /** The termination request this pass honoured (a newer one stays). */
  readonly clearTerminationAt?: string;
}

const SELECT = `SELECT a.id, a.name, a.cluster_name, a.dest_server, a.applicationset_id, a.manifest, a.spec_hash, a.status,
       s.inventory, s.last_attempt, s.self_heal_attempts, s.resume_count, s.requested_operation,
       s.terminate_requested_at, s.deletion_requested_at, s.deletion_owner_id
  FROM applications a LEFT JOIN application_sync_state s ON s.application_id = a.id`;

interface Row {
  id: string;
  name: string;
  cluster_name: string | null;
  dest_server: string | null;
  applicationset_id: string | null;
  manifest: Application;
  spec_hash: string;
  status: Partial<ApplicationSyncStatus>;
  inventory: Inventory | null;
  last_attempt: LastAttempt | null;
  self_heal_attempts: number | null;
  resume_count: number | null;
  requested_operation: RequestedOperation | null;
  terminate_requested_at: Date | null;
  deletion_requested_at: Date | null;
  deletion_owner_id: string | null;
}

@Injectable()
export class SyncStateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every Application whose destination is the cluster. */
  async loadCluster(clusterName: string): Promise<SyncedApplication[]> {
    const rows: Row[] = await this.dataSource.query(`${SELECT} WHERE a.cluster_name = $1`, [
      clusterName,
    ]);
    return rows.map(toSynced);
  }

  /** Every Application whose destination is one of the clusters. */
  async loadClusters(clusterNames: readonly string[]): Promise<SyncedApplication[]> {
    if (clusterNames.length === 0) return [];
    const rows: Row[] = await this.dataSource.query(
      `${SELECT} WHERE a.cluster_name = ANY($1::text[])`,
      [clusterNames],
    );
    return rows.map(toSynced);
  }

  /** The Applications with these ids that still exist. */
  async loadByIds(ids: readonly string[]): Promise<SyncedApplication[]> {
    if (ids.length === 0) return [];
    const rows: Row[] = await this.dataSource.query(`${SELECT} WHERE a.id = ANY($1::uuid[])`, [
      ids,
    ]);
    return rows.map(toSynced);
  }

  async findByName(name: string): Promise<SyncedApplication | null> {
    const rows: Row[] = await this.dataSource.query(`${SELECT} WHERE a.name = $1`, [name]);
    return rows.length ? toSynced(rows[0]) : null;
  }

  /**
   * Writes a batch in one transaction, only for Applications whose cluster
   * `holder` leases for at least `marginMs` more; returns the ids written.
   * The margin is the fence: a holder renews long before that, and a lease
   * is taken over only once expired, so a replica that stopped renewing
   * stops writing before anyone else may start. (Locking the lease rows
   * instead would deadlock against their renewal.) Application rows are
   * locked in id order, so concurrent batches cannot deadlock each other.
   */
  async writeBatch(
    holder: string,
    writes: readonly StatusWrite[],
    marginMs = 0,
  ): Promise<Set<string>> {
    if (writes.length === 0) return new Set();
    return this.dataSource.transaction(async (tx) => {
      const held: { id: string }[] = await tx.query(
        `SELECT a.id FROM applications a
           JOIN sync_cluster_leases l ON l.cluster_name = a.cluster_name
          WHERE a.id = ANY($2::uuid[]) AND l.holder = $1
            AND l.expires_at > now() + ($3 || ' milliseconds')::interval
          ORDER BY a.id
          FOR NO KEY UPDATE OF a`,
        [holder, writes.map((w) => w.id), String(marginMs)],
      );
      const allowed = new Set(held.map((r) => r.id));
      const mine = writes.filter((w) => allowed.has(w.id));
      await writeStatuses(tx, mine);
      await writeStates(tx, mine);
      await clearRequests(tx, mine);
      return allowed;
    });
  }

  /**
   * Removes an Application whose resources were pruned after its deletion
   * was requested; returns the ApplicationSet that owned it (to reconcile
   * again), or `undefined` when nothing was removed (lease lost, row gone).
   */
  async removeDeleted(holder: string, id: string): Promise<{ ownerId: string | null } | undefined> {
    const rows: { owner: string | null }[] = await this.dataSource.query(
      `WITH removed AS (
         DELETE FROM applications a USING sync_cluster_leases l, application_sync_state s
          WHERE a.id = $2 AND s.application_id = a.id AND s.deletion_requested_at IS NOT NULL
            AND l.cluster_name = a.cluster_name AND l.holder = $1 AND l.expires_at > now()
          RETURNING s.deletion_owner_id AS owner)
       SELECT owner FROM removed`,
      [holder, id],
    );
    return rows.length ? { ownerId: rows[0].owner } : undefined;
  }

  /**
   * Leaves a manual sync or rollback for the worker, unless one is pending
   * or the Application is being deleted; announces it. True when accepted.
   */
  async requestOperation(id: string, operation: RequestedOperation): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH app AS (SELECT id, cluster_name FROM applications WHERE id = $1),
       req AS (
         INSERT INTO application_sync_state AS s (application_id, requested_operation)
         SELECT id, $2::jsonb FROM app
         ON CONFLICT (application_id) DO UPDATE SET requested_operation = EXCLUDED.requested_operation, updated_at = now()
          WHERE s.requested_operation IS NULL AND s.deletion_requested_at IS NULL
         RETURNING application_id)
       SELECT pg_notify($3, coalesce(app.cluster_name, '') || chr(9) || app.id::text)
         FROM app JOIN req ON req.application_id = app.id`,
      [id, JSON.stringify(operation), APPLICATION_SYNC_CHANNEL],
    );
    return rows.length === 1;
  }

  /** Asks the worker to stop the running operation and drops a pending request; announces it. */
  async requestTermination(id: string): Promise<void> {
    await this.dataSource.query(
      `WITH app AS (SELECT id, cluster_name FROM applications WHERE id = $1),
       req AS (
         INSERT INTO application_sync_state AS s (application_id, terminate_requested_at)
         SELECT id, now() FROM app
         ON CONFLICT (application_id) DO UPDATE SET terminate_requested_at = now(), requested_operation = NULL, updated_at = now()
         RETURNING application_id)
       SELECT pg_notify($2, coalesce(app.cluster_name, '') || chr(9) || app.id::text)
         FROM app JOIN req ON req.application_id = app.id`,
      [id, APPLICATION_SYNC_CHANNEL],
    );
  }
}

async function writeStatuses(tx: EntityManager, writes: readonly StatusWrite[]): Promise<void> {
  const withStatus = writes.filter((w) => w.status !== undefined);
  if (withStatus.length === 0) return;
  await tx.query(
    `UPDATE applications a SET status = u.status
       FROM unnest($1::uuid[], $2::jsonb[]) AS u(id, status) WHERE a.id = u.id`,
    [withStatus.map((w) => w.id), withStatus.map((w) => JSON.stringify(w.status))],
  );
}

async function writeStates(tx: EntityManager, writes: readonly StatusWrite[]): Promise<void> {
  const withState = writes.filter((w) => w.state !== undefined);
  if (withState.length === 0) return;
  await tx.query(
    `INSERT INTO application_sync_state AS s (application_id, inventory, last_attempt, self_heal_attempts, resume_count)
     SELECT * FROM unnest($1::uuid[], $2::jsonb[], $3::jsonb[], $4::int[], $5::int[])
     ON CONFLICT (application_id) DO UPDATE SET inventory = EXCLUDED.inventory, last_attempt = EXCLUDED.last_attempt,
        self_heal_attempts = EXCLUDED.self_heal_attempts, resume_count = EXCLUDED.resume_count, updated_at = now()`,
    [
      withState.map((w) => w.id),
      withState.map((w) => JSON.stringify(w.state!.inventory)),
      withState.map((w) => (w.state!.lastAttempt ? JSON.stringify(w.state!.lastAttempt) : null)),
      withState.map((w) => w.state!.selfHealAttempts),
      withState.map((w) => w.state!.resumeCount),
    ],
  );
}

async function clearRequests(tx: EntityManager, writes: readonly StatusWrite[]): Promise<void> {
  const requests = writes.filter((w) => w.clearRequestId !== undefined);
  if (requests.length > 0) {
    await tx.query(
      `UPDATE application_sync_state s SET requested_operation = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::text[]) AS c(id, request_id)
        WHERE s.application_id = c.id AND s.requested_operation->>'id' = c.request_id`,
      [requests.map((w) => w.id), requests.map((w) => w.clearRequestId)],
    );
  }
  const terminations = writes.filter((w) => w.clearTerminationAt !== undefined);
  if (terminations.length > 0) {
    await tx.query(
      `UPDATE application_sync_state s SET terminate_requested_at = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::timestamptz[]) AS c(id, seen)
        WHERE s.application_id = c.id AND date_trunc('milliseconds', s.terminate_requested_at) <= c.seen`,
      [terminations.map((w) => w.id), terminations.map((w) => w.clearTerminationAt)],
    );
  }
}

function toSynced(row: Row): SyncedApplication {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    id: row.id,
    name: row.name,
    clusterName: row.cluster_name,
    destServer: row.dest_server,
    applicationSetId: row.applicationset_id,
    manifest: row.manifest,
    rowHash: row.spec_hash,
    status: row.status ?? {},
    state: {
      inventory: row.inventory ?? EMPTY_SYNC_STATE.inventory,
      lastAttempt: row.last_attempt,
      selfHealAttempts: row.self_heal_attempts ?? 0,
      resumeCount: row.resume_count ?? 0,
      requestedOperation: row.requested_operation,
      terminateRequestedAt: iso(row.terminate_requested_at),
      deletionRequestedAt: iso(row.deletion_requested_at),
      deletionOwnerId: row.deletion_owner_id,
    },
  };
}
