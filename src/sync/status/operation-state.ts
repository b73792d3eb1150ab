/**
 * The life of a sync operation, as Argo CD records it in
 * `status.operationState` (semantics.md B3):
 *
 *   Running ──▶ Succeeded | Failed | Error
 *   Running ──▶ Terminating ──▶ Failed | Error     (terminate, or sync timeout)
 *   Failed | Error ──▶ Running                       (a retry: retryCount + 1)
 *
 * Failed means the sync ran and something was refused; Error means it could
 * not run (Git, rendering, the cluster). Any other move is a Conflict error,
 * so two workers cannot both finish one operation.
 */
import { DomainError, DomainErrorCode } from '../../common/domain-error';
import { OperationPhase, OperationState, ResourceResult, SyncOperation } from './status.types';

const TRANSITIONS: Readonly<Record<OperationPhase, readonly OperationPhase[]>> = {
  Running: ['Succeeded', 'Failed', 'Error', 'Terminating'],
  Terminating: ['Failed', 'Error'],
  Succeeded: [],
  Failed: ['Running'],
  Error: ['Running'],
};

/** True once an operation has ended (Succeeded, Failed or Error). */
export function isOperationCompleted(phase: OperationPhase): boolean {
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Error';
}

/** True when the phase may move to `next`. */
export function canTransition(phase: OperationPhase, next: OperationPhase): boolean {
  return TRANSITIONS[phase].includes(next);
}

function requireTransition(state: OperationState, next: OperationPhase): void {
  if (!canTransition(state.phase, next)) {
    throw new DomainError(
      DomainErrorCode.Conflict,
      `the sync operation is ${state.phase} and cannot become ${next}`,
    );
  }
}

/** A new Running operation (pure function). */
export function startOperation(operation: SyncOperation, now: Date): OperationState {
  return {
    operation,
    phase: 'Running',
    message: 'sync started',
    startedAt: now.toISOString(),
    retryCount: 0,
  };
}

/** How an operation ended. */
export interface OperationOutcome {
  readonly phase: 'Succeeded' | 'Failed' | 'Error';
  readonly message: string;
  readonly syncResult?: {
    readonly revision: string;
    readonly resources: readonly ResourceResult[];
  };
}

/**
 * Records the end of an operation (pure function). A Terminating operation
 * can only end Failed or Error: it was stopped before it finished.
 */
export function completeOperation(
  state: OperationState,
  outcome: OperationOutcome,
  now: Date,
): OperationState {
  requireTransition(state, outcome.phase);
  return {
    ...state,
    phase: outcome.phase,
    message: outcome.message,
    finishedAt: now.toISOString(),
    ...(outcome.syncResult ? { syncResult: outcome.syncResult } : {}),
  };
}

/**
 * Asks a Running operation to stop (`POST .../terminate`, or the sync
 * timeout with the message "operation is terminating due to timeout"). The
 * worker stops between steps and then completes it as Failed.
 */
export function terminateOperation(
  state: OperationState,
  message = 'operation is terminating',
): OperationState {
  if (state.phase !== 'Running') {
    throw new DomainError(
      DomainErrorCode.Conflict,
      `no sync operation is running (it is ${state.phase})`,
    );
  }
  return { ...state, phase: 'Terminating', message };
}

/**
 * Starts the next attempt of a failed operation (pure function): Running
 * again, `retryCount` one higher, the previous result cleared. The caller
 * checks the retry policy first (`mayRetry`).
 */
export function retryOperation(
  state: OperationState,
  now: Date,
  revision?: string,
): OperationState {
  requireTransition(state, 'Running');
  const retryCount = state.retryCount + 1;
  return {
    operation: revision ? { ...state.operation, revision } : state.operation,
    phase: 'Running',
    message: `retrying attempt #${retryCount}`,
    startedAt: now.toISOString(),
    retryCount,
  };
}
