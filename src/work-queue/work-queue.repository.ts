/**
 * A durable work queue in PostgreSQL: one row per (kind, target), so bursts
 * of requests for the same target coalesce into one pending item, and every
 * request that arrives while the item is being worked on makes it run once
 * more (the `version` counter), so nothing is dropped. Items are claimed with
 * `FOR UPDATE SKIP LOCKED` and a lease: two processes never work on the same
 * target at once, and a crashed process's item is picked up when its lease
 * runs out. A restart loses nothing: the rows are the queue.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { storableText } from '../common/storable-text';

/** Postgres channel that wakes idle workers when something is enqueued (payload: kind). */
export const WORK_QUEUE_CHANNEL = 'fleetplane_work_queue';

export interface WorkItem {
  readonly kind: string;
  readonly targetId: string;
  /** The enqueue counter when claimed; completing succeeds only if it did not move. */
  readonly version: number;
  /** Consecutive failures so far. */
  readonly attempts: number;
  readonly reasons: string[];
  /**
   * When this process got the claim (ms since the epoch): whatever asked for
   * the run was committed before it, so data read after it is fresh enough.
   */
  readonly claimedAt: number;
}

export interface EnqueueRequest {
  readonly kind: string;
  readonly targetId: string;
  readonly reason: string;
  /** Earliest time to run; now when omitted. An earlier pending time is never pushed back. */
  readonly notBefore?: Date;
}

/** A queued item as diagnostics see it. */
export interface PendingItem {
  readonly targetId: string;
  readonly notBefore: Date;
  /** Consecutive failures. */
  readonly attempts: number;
  readonly lastError: string | null;
  /** Why it was requested, newest first (at most 10). */
  readonly reasons: string[];
  /** The process working on it now, if any. */
  readonly claimedBy: string | null;
}

/**
 * A condition that makes the statement's transaction commit without waiting
 * for the disk (`SET LOCAL synchronous_commit = off`, evaluated for every row
 * it writes). Used by claims, completions, failures and lease renewals:
 * losing one in a database crash only repeats idempotent work (the item stays
 * due, or claimed until its lease runs out). Enqueues stay durable: losing
 * one would lose a request. Saves a disk flush on the path of every run.
 */
const RELAXED_COMMIT = `set_config('synchronous_commit', 'off', true) = 'off'`;

const MAX_REASONS = 10;

@Injectable()
export class WorkQueueRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds or refreshes items (one statement for the whole batch) and wakes the workers. */
  async enqueue(requests: readonly EnqueueRequest[]): Promise<void> {
    if (requests.length === 0) return;
    // One row per target: Postgres refuses to upsert the same row twice in one statement.
    const merged = new Map<
      string,
      { kind: string; targetId: string; notBefore: Date | null; reasons: string[] }
    >();
    for (const r of requests) {
      const key = `${r.kind}/${r.targetId}`;
      const at = r.notBefore ?? null;
      const seen = merged.get(key);
      if (!seen)
        merged.set(key, { kind: r.kind, targetId: r.targetId, notBefore: at, reasons: [r.reason] });
      else {
        seen.notBefore =
          seen.notBefore === null || at === null ? null : at < seen.notBefore ? at : seen.notBefore;
        if (seen.reasons.length < MAX_REASONS) seen.reasons.push(r.reason);
      }
    }
    const rows = [...merged.values()];
    const kinds = rows.map((r) => r.kind);
    // The rows and the wake-up commit together, in one round trip and one (durable) commit.
    await this.dataSource.query(
      `WITH queued AS (
         INSERT INTO work_queue AS q (kind, target_id, not_before, reasons)
         SELECT kind, target_id, coalesce(not_before, now()), string_to_array(reasons, chr(31))
           FROM unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::text[]) AS r(kind, target_id, not_before, reasons)
         ON CONFLICT (kind, target_id) DO UPDATE SET
           version = q.version + 1,
           not_before = LEAST(q.not_before, EXCLUDED.not_before),
           reasons = (EXCLUDED.reasons || q.reasons)[1:${MAX_REASONS}]
         RETURNING kind)
       SELECT pg_notify($5, kind) FROM (SELECT DISTINCT kind FROM queued) AS kinds`,
      [
        kinds,
        rows.map((r) => r.targetId),
        rows.map((r) => r.notBefore),
        rows.map((r) => r.reasons.join('\u001f')),
        WORK_QUEUE_CHANNEL,
      ],
    );
  }

  /**
   * Adds items that do not exist yet and leaves existing ones untouched (no
   * version bump, no earlier due time): keeps periodic work scheduled without
   * making it run again. One statement; nothing is written for existing items.
   */
  async schedule(requests: readonly EnqueueRequest[]): Promise<void> {
    if (requests.length === 0) return;
    // Idle workers recompute when their next item falls due (only kinds that got a new row).
    await this.dataSource.query(
      `WITH added AS (
         INSERT INTO work_queue (kind, target_id, not_before, reasons)
         SELECT kind, target_id, coalesce(not_before, now()), ARRAY[reason]
           FROM unnest($1::text[], $2::uuid[], $3::timestamptz[], $4::text[]) AS r(kind, target_id, not_before, reason)
         ON CONFLICT (kind, target_id) DO NOTHING
         RETURNING kind)
       SELECT pg_notify($5, kind) FROM (SELECT DISTINCT kind FROM added) AS kinds`,
      [
        requests.map((r) => r.kind),
        requests.map((r) => r.targetId),
        requests.map((r) => r.notBefore ?? null),
        requests.map((r) => r.reason),
        WORK_QUEUE_CHANNEL,
      ],
    );
  }

  /** Claims up to `limit` due items of `kind` for `leaseMs`. */
  async claim(kind: string, owner: string, limit: number, leaseMs: number): Promise<WorkItem[]> {
    const rows: RawItem[] = await this.dataSource.query(
      `WITH due AS (
         SELECT kind, target_id FROM work_queue
          WHERE kind = $1 AND not_before <= now() AND (claimed_until IS NULL OR claimed_until < now())
            AND ${RELAXED_COMMIT}
          ORDER BY not_before
          LIMIT $3
          FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE work_queue q SET claimed_by = $2, claimed_until = now() + ($4 || ' milliseconds')::interval
           FROM due WHERE q.kind = due.kind AND q.target_id = due.target_id
         RETURNING q.kind, q.target_id, q.version, q.attempts, q.reasons)
       SELECT * FROM claimed`,
      [kind, owner, limit, String(leaseMs)],
    );
    const claimedAt = Date.now();
    return rows.map((row) => toItem(row, claimedAt));
  }

  /**
   * Ends a successful run. The item disappears unless it was requested again
   * meanwhile (then it stays due now) or `rerunAt` asks for a periodic run.
   */
  async complete(item: WorkItem, owner: string, rerunAt: Date | null): Promise<void> {
    await this.dataSource.query(
      `WITH done AS (
         DELETE FROM work_queue WHERE kind = $1 AND target_id = $2 AND version = $3 AND claimed_by = $4 AND $5::timestamptz IS NULL
           AND ${RELAXED_COMMIT}
         RETURNING 1)
       UPDATE work_queue SET claimed_by = NULL, claimed_until = NULL, attempts = 0, last_error = NULL,
              not_before = CASE WHEN version = $3 THEN coalesce($5::timestamptz, now()) ELSE LEAST(not_before, now()) END
        WHERE kind = $1 AND target_id = $2 AND claimed_by = $4 AND NOT EXISTS (SELECT 1 FROM done)
          AND ${RELAXED_COMMIT}`,
      [item.kind, item.targetId, item.version, owner, rerunAt],
    );
  }

  /** Ends a failed run: due again after `retryAt`, or now if it was requested again meanwhile. */
  async fail(item: WorkItem, owner: string, retryAt: Date, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE work_queue SET claimed_by = NULL, claimed_until = NULL, attempts = attempts + 1, last_error = $5,
              not_before = CASE WHEN version = $3 THEN $6::timestamptz ELSE now() END
        WHERE kind = $1 AND target_id = $2 AND claimed_by = $4 AND ${RELAXED_COMMIT}`,
      // The error may quote Git content (a NUL); cut at 2,000 it may end in half a surrogate pair.
      [item.kind, item.targetId, item.version, owner, storableText(error.slice(0, 2000)), retryAt],
    );
  }

  /** Keeps a long-running claim alive. */
  async extend(item: WorkItem, owner: string, leaseMs: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE work_queue SET claimed_until = now() + ($4 || ' milliseconds')::interval
        WHERE kind = $1 AND target_id = $2 AND claimed_by = $3 AND ${RELAXED_COMMIT}`,
      [item.kind, item.targetId, owner, String(leaseMs)],
    );
  }

  /** Removes the pending item of a target that no longer exists. */
  async forget(kind: string, targetId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM work_queue WHERE kind = $1 AND target_id = $2`, [
      kind,
      targetId,
    ]);
  }

  /** Milliseconds until the next item of `kind` is due (null when the queue is empty). */
  async msUntilNextDue(kind: string): Promise<number | null> {
    const [row] = await this.dataSource.query(
      `SELECT extract(epoch FROM (min(greatest(not_before, coalesce(claimed_until, not_before))) - now())) * 1000 AS ms
         FROM work_queue WHERE kind = $1`,
      [kind],
    );
    return row?.ms === null || row?.ms === undefined ? null : Math.max(0, Number(row.ms));
  }

  /** Every item of `kind`, waiting or claimed, soonest first. */
  async pending(kind: string): Promise<PendingItem[]> {
    const rows: {
      target_id: string;
      not_before: Date;
      attempts: number;
      last_error: string | null;
      reasons: string[];
      claimed_by: string | null;
    }[] = await this.dataSource.query(
      `SELECT target_id, not_before, attempts, last_error, reasons, claimed_by
         FROM work_queue WHERE kind = $1 ORDER BY not_before`,
      [kind],
    );
    return rows.map((r) => ({
      targetId: r.target_id,
      notBefore: r.not_before,
      attempts: r.attempts,
      lastError: r.last_error,
      reasons: r.reasons,
      claimedBy: r.claimed_by,
    }));
  }
}

interface RawItem {
  kind: string;
  target_id: string;
  version: string;
  attempts: number;
  reasons: string[];
}

function toItem(row: RawItem, claimedAt: number): WorkItem {
  return {
    kind: row.kind,
    targetId: row.target_id,
    version: Number(row.version),
    attempts: row.attempts,
    reasons: row.reasons,
    claimedAt,
  };
}
