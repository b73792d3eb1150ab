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
import { DataSource } from 'typeorm';
import { Application } from '../../../argo/application.types';
import { Inventory } from '../../plan/inventory';
import { HistoryAppend, historyLimit } from '../../status/history';
import {
  ApplicationSyncStatus,
  EMPTY_SYNC_STATE,
  LastAttempt,
  RequestedOperation,
  SyncedApplication,
} from '../sync-control.types';
import { storableJson } from '../../../common/storable-text';

/** Postgres channel announcing that an Application needs a look (payload `<cluster>\t<id>`). */
export const APPLICATION_SYNC_CHANNEL = 'fleetplane_application_sync';

/** One Application's writes of one pass. */
export interface StatusWrite {
  readonly id: string;
  /**
   * The new status; absent when it did not change. Its `history` is not
   * written: the one in Postgres is kept, with `historyAppend`'s entries
   * added (a worker does not hold every Application's history in memory).
   */
  readonly status?: ApplicationSyncStatus;
  /** Successful syncs to add to the history (only with a status). */
  readonly historyAppend?: HistoryAppend;
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

/**
 * One row of a batch as the record `writeBatch` reads with
 * `jsonb_to_recordset`: the batch travels as one JSON document, because
 * nine array parameters made the driver escape every status and inventory
 * a second time (a tenth of the allocation of a fleet-wide sync).
 */
function batchRecord(write: StatusWrite): Record<string, unknown> {
  return {
    id: write.id,
    status: write.status ?? null,
    history_entries: write.historyAppend?.entries ?? null,
    history_limit: write.historyAppend ? historyLimit(write.historyAppend.limit) : null,
    has_state: write.state !== undefined,
    inventory: write.state?.inventory ?? null,
    last_attempt: write.state?.lastAttempt ?? null,
    self_heal_attempts: write.state?.selfHealAttempts ?? null,
    resume_count: write.state?.resumeCount ?? null,
    clear_request_id: write.clearRequestId ?? null,
    clear_termination_at: write.clearTerminationAt ?? null,
  };
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

  /**
   * Applications whose destination names no registered cluster (it was
   * deleted, or never resolved): no worker holds them, so their status is
   * written here. `ids` limits the search to those Applications.
   */
  async loadUnregisteredDestinations(ids?: readonly string[]): Promise<SyncedApplication[]> {
    const rows: Row[] = await this.dataSource.query(
      `${SELECT} WHERE (a.cluster_name IS NULL
                        OR NOT EXISTS (SELECT 1 FROM clusters c WHERE c.name = a.cluster_name))
                   AND ($1::uuid[] IS NULL OR a.id = ANY($1::uuid[]))`,
      [ids ?? null],
    );
    return rows.map(toSynced);
  }

  /**
   * Writes statuses of such Applications, unless their cluster has been
   * registered meanwhile (its worker then owns the status). Not fenced: no
   * replica can hold a lease on a cluster that does not exist.
   */
  async writeUnregisteredDestinations(
    writes: readonly { id: string; status: ApplicationSyncStatus }[],
  ): Promise<void> {
    if (writes.length === 0) return;
    await this.dataSource.query(
      // The stored history is kept, as by the status batch.
      `UPDATE applications a
          SET status = u.status || jsonb_build_object('history', coalesce(a.status->'history', '[]'::jsonb))
         FROM unnest($1::uuid[], $2::jsonb[]) AS u(id, status)
        WHERE a.id = u.id
          AND (a.cluster_name IS NULL
               OR NOT EXISTS (SELECT 1 FROM clusters c WHERE c.name = a.cluster_name))`,
      [writes.map((w) => w.id), writes.map((w) => storableJson(w.status))],
    );
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
   * Writes a batch in one statement (one round trip: under a fleet-wide
   * sync the event loop is busy, and each round trip of a transaction waited
   * its turn), only for Applications whose cluster `holder` leases for at
   * least `marginMs` more; returns the ids written. The margin is the fence:
   * a holder renews long before that, and a lease is taken over only once
   * expired, so a replica that stopped renewing stops writing before anyone
   * else may start. (Locking the lease rows instead would deadlock against
   * their renewal.) Application rows are locked in id order, so concurrent
   * batches cannot deadlock each other. A consumed request or termination is
   * cleared only while it is still the pending one.
   */
  async writeBatch(
    holder: string,
    writes: readonly StatusWrite[],
    marginMs = 0,
  ): Promise<Set<string>> {
    if (writes.length === 0) return new Set();
    const held: { id: string }[] = await this.dataSource.query(
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($3::jsonb)
           AS i(id uuid, status jsonb, history_entries jsonb, history_limit int,
                has_state boolean, inventory jsonb, last_attempt jsonb,
                self_heal_attempts int, resume_count int, clear_request_id text,
                clear_termination_at timestamptz)),
       held AS (
         SELECT a.id FROM applications a
           JOIN sync_cluster_leases l ON l.cluster_name = a.cluster_name
          WHERE a.id IN (SELECT id FROM input) AND l.holder = $1
            AND l.expires_at > now() + ($2 || ' milliseconds')::interval
          ORDER BY a.id
          FOR NO KEY UPDATE OF a),
       mine AS (SELECT i.* FROM input i JOIN held h ON h.id = i.id),
       -- The requests and terminations this batch consumed, by id, for the upsert below: a
       -- lookup in one object instead of a scan of the batch for every row (quadratic: three
       -- quarters of a batch of 500's time).
       consumed AS (
         SELECT coalesce(jsonb_object_agg(id::text, clear_request_id)
                           FILTER (WHERE clear_request_id IS NOT NULL), '{}') AS requests,
                coalesce(jsonb_object_agg(id::text, clear_termination_at)
                           FILTER (WHERE clear_termination_at IS NOT NULL), '{}') AS terminations
           FROM mine),
       -- History lives here only: the stored one is kept, the batch's entries are added with the
       -- next ids, and only the newest history_limit stay (appendHistory's rule).
       statuses AS (
         UPDATE applications a
            SET status = m.status || jsonb_build_object('history', CASE
              WHEN m.history_entries IS NULL THEN coalesce(a.status->'history', '[]'::jsonb)
              ELSE (SELECT coalesce(jsonb_agg(kept.entry ORDER BY kept.n), '[]'::jsonb)
                FROM (SELECT entry, n, row_number() OVER (ORDER BY n DESC) AS newest
                        FROM (SELECT old.e AS entry, old.o AS n
                                FROM jsonb_array_elements(coalesce(a.status->'history', '[]'::jsonb))
                                     WITH ORDINALITY AS old(e, o)
                              UNION ALL
                              SELECT added.e || jsonb_build_object('id',
                                       coalesce((a.status->'history'->-1->>'id')::int, -1) + added.o),
                                     1000000000 + added.o
                                FROM jsonb_array_elements(coalesce(m.history_entries, '[]'::jsonb))
                                     WITH ORDINALITY AS added(e, o)) AS entries) AS kept
               WHERE kept.newest <= m.history_limit) END)
           FROM mine m
          WHERE a.id = m.id AND m.status IS NOT NULL),
       states AS (
         INSERT INTO application_sync_state AS s
                (application_id, inventory, last_attempt, self_heal_attempts, resume_count)
         SELECT m.id, m.inventory, m.last_attempt, m.self_heal_attempts, m.resume_count
           FROM mine m WHERE m.has_state
         ON CONFLICT (application_id) DO UPDATE SET
           inventory = EXCLUDED.inventory, last_attempt = EXCLUDED.last_attempt,
           self_heal_attempts = EXCLUDED.self_heal_attempts, resume_count = EXCLUDED.resume_count,
           requested_operation = CASE
             WHEN s.requested_operation->>'id' =
                  (SELECT requests FROM consumed)->>(EXCLUDED.application_id::text)
             THEN NULL ELSE s.requested_operation END,
           terminate_requested_at = CASE
             WHEN date_trunc('milliseconds', s.terminate_requested_at) <=
                  ((SELECT terminations FROM consumed)->>(EXCLUDED.application_id::text))::timestamptz
             THEN NULL ELSE s.terminate_requested_at END,
           updated_at = now()),
       clears AS (
         UPDATE application_sync_state s SET
           requested_operation = CASE WHEN s.requested_operation->>'id' = m.clear_request_id
             THEN NULL ELSE s.requested_operation END,
           terminate_requested_at = CASE
             WHEN date_trunc('milliseconds', s.terminate_requested_at) <= m.clear_termination_at
             THEN NULL ELSE s.terminate_requested_at END,
           updated_at = now()
           FROM mine m
          WHERE s.application_id = m.id AND NOT m.has_state
            AND (s.requested_operation->>'id' = m.clear_request_id
                 OR date_trunc('milliseconds', s.terminate_requested_at) <= m.clear_termination_at))
       SELECT id FROM held`,
      // Messages quote clusters (a container's termination message is the application's own text):
      // a NUL in one of them must not fail the batch of every Application in it.
      [holder, String(marginMs), storableJson(writes.map(batchRecord))],
    );
    return new Set(held.map((row) => row.id));
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

  /**
   * `DELETE` with cascade (Argo CD's API adds the resources finalizer first):
   * an Application that has resources on its cluster (an inventory, or an
   * operation under way) is marked, released from its ApplicationSet (which
   * is told again once it is gone) and announced to its worker, which prunes
   * and removes it; one that never applied anything is removed at once.
   */
  async requestDeletion(
    id: string,
  ): Promise<{ outcome: 'marked' } | { outcome: 'removed'; ownerId: string | null } | undefined> {
    return this.dataSource.transaction(async (tx) => {
      const [app]: { cluster_name: string | null; owner: string | null; applied: boolean }[] =
        await tx.query(
          `SELECT a.cluster_name, coalesce(a.applicationset_id, s.deletion_owner_id) AS owner,
                  (s.deletion_requested_at IS NOT NULL OR coalesce(jsonb_array_length(s.inventory), 0) > 0
                   OR a.status->'operationState'->>'phase' IN ('Running', 'Terminating')) AS applied
             FROM applications a LEFT JOIN application_sync_state s ON s.application_id = a.id
            WHERE a.id = $1
            FOR UPDATE OF a`,
          [id],
        );
      if (!app) return undefined;
      if (!app.applied) {
        await tx.query(`DELETE FROM applications WHERE id = $1`, [id]);
        return { outcome: 'removed', ownerId: app.owner };
      }
      await tx.query(
        `INSERT INTO application_sync_state AS s (application_id, deletion_requested_at, deletion_owner_id)
         VALUES ($1, now(), $2)
         ON CONFLICT (application_id) DO UPDATE SET
           deletion_requested_at = coalesce(s.deletion_requested_at, now()),
           deletion_owner_id = coalesce(s.deletion_owner_id, EXCLUDED.deletion_owner_id), updated_at = now()`,
        [id, app.owner],
      );
      await tx.query(
        `UPDATE applications SET applicationset_id = NULL, updated_at = now() WHERE id = $1`,
        [id],
      );
      // Wakes the replica syncing the cluster (delivered at commit).
      await tx.query(`SELECT pg_notify($1, $2)`, [
        APPLICATION_SYNC_CHANNEL,
        `${app.cluster_name ?? ''}\t${id}`,
      ]);
      return { outcome: 'marked' };
    });
  }

  /**
   * `DELETE` without cascade (Argo CD: removing the resources finalizer):
   * the row goes now, whatever its state, and its resources stay on the
   * cluster. The worker holding it hears of it from the row's trigger; a
   * pass in flight can no longer write. Returns the ApplicationSet that
   * owned it, or undefined when there was no such row.
   */
  async removeKeepingResources(id: string): Promise<{ ownerId: string | null } | undefined> {
    const rows: { owner: string | null }[] = await this.dataSource.query(
      `WITH previous AS (SELECT deletion_owner_id FROM application_sync_state WHERE application_id = $1),
       removed AS (DELETE FROM applications WHERE id = $1 RETURNING applicationset_id)
       SELECT coalesce(removed.applicationset_id, (SELECT deletion_owner_id FROM previous)) AS owner
         FROM removed`,
      [id],
    );
    return rows.length ? { ownerId: rows[0].owner } : undefined;
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
