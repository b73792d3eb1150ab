/**
 * Deployment history and rollback (semantics.md B3): `status.history` keeps
 * the last `revisionHistoryLimit` (default 10) successful syncs with
 * auto-incremented ids; rollback targets one of them by id (omitted: the
 * previous one) and is refused while automated sync is on, because auto-sync
 * would immediately undo it (docs/user-guide/auto_sync.md).
 */
import { DomainError, DomainErrorCode } from '../../common/domain-error';
import { SyncPolicy } from '../../argo/application.types';
import { HistoryEntry } from './status.types';

export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

/**
 * Appends a successful sync (pure function): its id is the last id + 1 (0
 * for the first), and only the newest `limit` entries are kept (a negative
 * or missing limit means the default).
 */
export function appendHistory(
  history: readonly HistoryEntry[],
  entry: Omit<HistoryEntry, 'id'>,
  limit: number | undefined = DEFAULT_REVISION_HISTORY_LIMIT,
): HistoryEntry[] {
  const keep = historyLimit(limit);
  const id = history.length > 0 ? history[history.length - 1].id + 1 : 0;
  const next = [...history, { ...entry, id }];
  return keep === 0 ? [] : next.slice(-keep);
}

/**
 * Successful syncs to append to an Application's history where it is kept
 * (Postgres: the status batch appends them, see `SyncStateRepository`), so
 * a worker need not hold every Application's history in memory.
 */
export interface HistoryAppend {
  readonly entries: readonly Omit<HistoryEntry, 'id'>[];
  /** `revisionHistoryLimit` as the Application had it (`appendHistory`'s rule). */
  readonly limit: number | undefined;
}

/** `history` with `append`'s entries added in order (pure function; what the status batch does). */
export function appendEntries(
  history: readonly HistoryEntry[],
  append: HistoryAppend | undefined,
): HistoryEntry[] {
  let next = [...history];
  for (const entry of append?.entries ?? []) next = appendHistory(next, entry, append?.limit);
  return next;
}

/** The number of entries `appendHistory` keeps for a `revisionHistoryLimit`. */
export function historyLimit(limit: number | undefined): number {
  return limit === undefined || limit < 0 ? DEFAULT_REVISION_HISTORY_LIMIT : limit;
}

/** True when `syncPolicy.automated` is set and not switched off with `enabled: false`. */
export function isAutomatedSyncEnabled(policy: SyncPolicy | undefined): boolean {
  return (
    policy?.automated !== undefined &&
    policy.automated !== null &&
    policy.automated.enabled !== false
  );
}

/**
 * The history entry a rollback deploys (pure function; throws DomainError):
 * - Conflict while automated sync is enabled;
 * - with `id`, that entry, or NotFound;
 * - without, the entry before the current one, or Invalid when there is none.
 */
export function rollbackTarget(
  policy: SyncPolicy | undefined,
  history: readonly HistoryEntry[],
  id?: number,
): HistoryEntry {
  if (isAutomatedSyncEnabled(policy)) {
    throw new DomainError(
      DomainErrorCode.Conflict,
      'rollback cannot be initiated when auto-sync is enabled; disable spec.syncPolicy.automated first',
    );
  }
  if (id === undefined) {
    if (history.length < 2) {
      throw DomainError.invalid(
        [
          {
            field: 'id',
            rule: 'previous-deployment',
            message: 'there is no previous deployment to roll back to',
          },
        ],
        'there is no previous deployment to roll back to',
      );
    }
    return history[history.length - 2];
  }
  const entry = history.find((candidate) => candidate.id === id);
  if (!entry) throw DomainError.notFound('history entry', String(id));
  return entry;
}
