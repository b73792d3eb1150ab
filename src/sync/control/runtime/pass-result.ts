/**
 * The findings of a pass before they are written, and the two ways a pass
 * records trouble without running a sync: an operation a stopped replica
 * left behind, and a comparison that could not run.
 */
import { Comparison } from '../../engine/engine.types';
import { completeOperation } from '../../status';
import { HistoryAppend } from '../../status/history';
import { OperationState } from '../../status/status.types';
import { ConditionDraft } from '../decide/build-status';
import { PlannedOperation } from '../decide/choose-operation';
import { classifyError, isClusterFailure } from '../decide/failure';
import { recoverInterrupted } from '../decide/recovery';
import { syncSpecHash } from '../decide/sync-spec-hash';
import { SyncedApplication } from '../sync-control.types';
import { OperationMemory } from './operation-runner';
import { PassOutcome } from './pass-outcome';

/** What a pass found, before it is written. */
export interface PassResult {
  comparison?: Comparison;
  comparisonError?: string;
  clusterUnreachable?: boolean;
  revision?: string;
  operationState?: OperationState;
  /** The successful sync to add to the history Postgres keeps. */
  historyAppend?: HistoryAppend;
  memory: OperationMemory;
  conditions: ConditionDraft[];
  clearRequestId?: string;
  clearTerminationAt?: string;
  outcome: Omit<PassOutcome, 'app'>;
}

/**
 * Finishes an operation left Running or Terminating by a stopped replica,
 * or returns the operation to resume. A termination request nobody can
 * honour any more is cleared.
 */
export function recoverOperation(
  app: SyncedApplication,
  result: PassResult,
  nowMs: number,
): PlannedOperation | undefined {
  const { state, status } = app;
  const recovery = recoverInterrupted(
    status.operationState,
    state.resumeCount,
    state.lastAttempt?.manual,
  );
  if (state.terminateRequestedAt) result.clearTerminationAt = state.terminateRequestedAt;
  if (recovery.action === 'none') return undefined;
  const stored = status.operationState!;
  if (recovery.action === 'resume' && !state.terminateRequestedAt) return recovery.operation;
  const ending =
    recovery.action === 'finish'
      ? recovery
      : { phase: 'Failed' as const, message: 'Operation terminated' };
  const finished = completeOperation(
    stored.phase === 'Running' && state.terminateRequestedAt
      ? { ...stored, phase: 'Terminating' }
      : stored,
    { phase: ending.phase, message: ending.message },
    new Date(nowMs),
  );
  result.operationState = finished;
  const last = state.lastAttempt;
  result.memory = {
    ...result.memory,
    resumeCount: 0,
    lastAttempt: last && {
      ...last,
      phase: finished.phase,
      finishedAt: finished.finishedAt,
      ...(stored.phase === 'Terminating' || state.terminateRequestedAt ? { terminated: true } : {}),
    },
  };
  return undefined;
}

/**
 * Records a comparison that could not run (Git, rendering or the cluster
 * failed): sync Unknown with a ComparisonError, classified for retry. A
 * pending manual request ends in Error at once rather than waiting silently,
 * and so does an operation that was to be resumed: it must not stay Running
 * for as long as its cluster is down (the retry policy takes it from there).
 */
export function failedComparison(
  app: SyncedApplication,
  result: PassResult,
  error: unknown,
  requested: SyncedApplication['state']['requestedOperation'],
  fromCluster: boolean,
  now: number,
  resuming = false,
): PassResult {
  const classified = classifyError(error, now);
  const message = classified.failure.message;
  const clusterFailure = fromCluster && isClusterFailure(classified.failure);
  result.comparisonError = message;
  result.clusterUnreachable = clusterFailure;
  result.conditions.push({ type: 'ComparisonError', message });
  result.outcome = {
    cluster: clusterFailure ? 'failed' : fromCluster ? 'ok' : 'untouched',
    failure: classified.failure,
    transient: classified.class === 'transient',
    ...(classified.retryAfterMs !== undefined ? { retryAfterMs: classified.retryAfterMs } : {}),
  };
  if (resuming && app.status.operationState?.phase === 'Running') {
    const finished = completeOperation(
      app.status.operationState,
      { phase: 'Error', message: `the sync could not be resumed: ${message}` },
      new Date(now),
    );
    result.operationState = finished;
    const last = app.state.lastAttempt;
    result.memory = {
      ...result.memory,
      resumeCount: 0,
      lastAttempt: last && { ...last, phase: 'Error', finishedAt: finished.finishedAt },
    };
  } else if (requested) {
    // The request cannot run: it ends in Error now rather than waiting silently.
    const at = new Date(now).toISOString();
    result.operationState = {
      operation: {
        revision: requested.revision ?? result.revision ?? '',
        prune: requested.prune,
        dryRun: requested.dryRun,
        initiatedBy: requested.initiatedBy,
      },
      phase: 'Error',
      message,
      startedAt: at,
      finishedAt: at,
      retryCount: 0,
    };
    result.clearRequestId = requested.id;
    if (!requested.dryRun) {
      result.memory = {
        ...result.memory,
        lastAttempt: {
          revision: requested.revision ?? result.revision ?? '',
          specHash: syncSpecHash(app.manifest),
          phase: 'Error',
          retryCount: 0,
          trigger: requested.kind === 'rollback' ? 'rollback' : 'manual',
          finishedAt: at,
          manual: requested,
        },
      };
    }
  }
  return result;
}
