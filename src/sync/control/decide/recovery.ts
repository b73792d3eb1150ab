/**
 * What to do with an operation a previous holder of the cluster left
 * `Running` or `Terminating` (pure function): the process was killed or lost
 * its lease mid-sync. A Terminating operation ends Failed, as the person
 * who stopped it wanted. A Running one is resumed (server-side apply is
 * idempotent, so the pass simply runs again from the start) at most
 * `MAX_RESUMES` times; an operation that keeps killing its process ends in
 * Error instead of looping forever.
 */
import { OperationState } from '../../status/status.types';
import { RequestedOperation } from '../sync-control.types';
import { PlannedOperation } from './choose-operation';

/** Resumes of one operation before it is given up as Error. */
export const MAX_RESUMES = 2;

export type Recovery =
  | { readonly action: 'none' }
  | { readonly action: 'resume'; readonly operation: PlannedOperation }
  | {
      readonly action: 'finish';
      readonly phase: 'Failed' | 'Error';
      readonly message: string;
    };

/**
 * The recovery of a stored operation state, given how often it was resumed
 * already and, for a manual operation, the request it came from (a rollback
 * renders the source of its history entry).
 */
export function recoverInterrupted(
  state: OperationState | undefined,
  resumeCount: number,
  manual?: RequestedOperation,
): Recovery {
  if (!state || (state.phase !== 'Running' && state.phase !== 'Terminating')) {
    return { action: 'none' };
  }
  if (state.phase === 'Terminating') {
    return {
      action: 'finish',
      phase: 'Failed',
      message: `${state.message || 'operation is terminating'}; the process running it stopped before it finished`,
    };
  }
  if (resumeCount >= MAX_RESUMES) {
    return {
      action: 'finish',
      phase: 'Error',
      message: `the sync was interrupted ${resumeCount + 1} times (the process running it stopped); giving up`,
    };
  }
  const { operation } = state;
  return {
    action: 'resume',
    operation: {
      trigger: 'resume',
      revision: operation.revision,
      prune: operation.prune,
      dryRun: operation.dryRun,
      // The guard ran when the operation started; a resumed one finishes what was asked.
      allowEmpty: true,
      retryCount: state.retryCount,
      initiatedBy: operation.initiatedBy,
      ...(manual?.source ? { source: manual.source } : {}),
      ...(manual?.sources ? { sources: manual.sources } : {}),
      ...(manual ? { manual } : {}),
    },
  };
}
