/**
 * Whether automated sync runs now, after Argo CD's controller
 * (controller/appcontroller.go `autoSync`; semantics.md B1):
 * - only when automated sync is enabled, no operation is running, and the
 *   Application is OutOfSync;
 * - never when, with prune on and `allowEmpty` off, every resource would be
 *   pruned ("auto-sync will wipe out all resources");
 * - once per (revision, spec hash): after a success, only self-heal (when
 *   enabled, with its backoff) syncs the same pair again; after a failure,
 *   only the retry policy does, with its backoff, and otherwise the pair is
 *   never attempted again: a new commit or spec change is needed.
 */
import { SyncPolicy } from '../../argo/application.types';
import { RetryPolicy, mayRetry, retryDelayMs } from '../retry/retry-policy';
import { SelfHealBackoff, selfHealRemainingMs } from '../retry/self-heal-backoff';
import { isAutomatedSyncEnabled } from './history';
import { OperationPhase, SyncStatusCode } from './status.types';

/** The last sync operation, as far as the guard needs it. */
export interface LastSyncAttempt {
  readonly revision: string;
  /** Hash of what else decides the result (source, destination, options). */
  readonly specHash: string;
  readonly phase: OperationPhase;
  readonly retryCount: number;
  readonly finishedAtMs?: number;
}

export interface AutomatedSyncInput {
  readonly policy: SyncPolicy | undefined;
  readonly syncStatus: SyncStatusCode;
  /** The commit the target revision resolves to now. */
  readonly revision: string;
  readonly specHash: string;
  readonly lastSync?: LastSyncAttempt;
  readonly retryPolicy: RetryPolicy;
  /** Consecutive self-heals since the Application was last in sync. */
  readonly selfHealAttempts: number;
  readonly selfHealBackoff?: SelfHealBackoff;
  /** Every managed resource would be pruned by this sync. */
  readonly wouldPruneEverything: boolean;
  readonly nowMs: number;
}

/** Run a sync now, wait and ask again, or do nothing (and why). */
export type AutomatedSyncDecision =
  | {
      readonly action: 'sync';
      readonly trigger: 'new-target' | 'retry' | 'self-heal';
      readonly retryCount: number;
    }
  | { readonly action: 'wait'; readonly untilMs: number; readonly reason: string }
  | { readonly action: 'skip'; readonly reason: string };

/** Decides about automated sync (pure function); see the module comment for the rules. */
export function decideAutomatedSync(input: AutomatedSyncInput): AutomatedSyncDecision {
  const { policy, lastSync, revision } = input;
  if (!isAutomatedSyncEnabled(policy))
    return { action: 'skip', reason: 'automated sync is disabled' };
  if (lastSync && !['Succeeded', 'Failed', 'Error'].includes(lastSync.phase)) {
    return { action: 'skip', reason: 'an operation is already in progress' };
  }
  if (input.syncStatus !== 'OutOfSync') {
    return { action: 'skip', reason: `the Application is ${input.syncStatus}` };
  }
  if (policy?.automated?.prune && !policy.automated.allowEmpty && input.wouldPruneEverything) {
    return {
      action: 'skip',
      reason: `skipping sync attempt to ${revision}: auto-sync will wipe out all resources`,
    };
  }
  const sameTarget =
    lastSync && lastSync.revision === revision && lastSync.specHash === input.specHash;
  if (!lastSync || !sameTarget) return { action: 'sync', trigger: 'new-target', retryCount: 0 };
  const finishedAtMs = lastSync.finishedAtMs ?? input.nowMs;
  if (lastSync.phase !== 'Succeeded') {
    if (!mayRetry(input.retryPolicy, lastSync.retryCount)) {
      return {
        action: 'skip',
        reason: `the sync to ${revision} failed and its retries are exhausted; a new commit or spec change is needed`,
      };
    }
    const untilMs = finishedAtMs + retryDelayMs(input.retryPolicy, lastSync.retryCount);
    if (untilMs > input.nowMs)
      return { action: 'wait', untilMs, reason: `retry ${lastSync.retryCount + 1} is due later` };
    return { action: 'sync', trigger: 'retry', retryCount: lastSync.retryCount + 1 };
  }
  if (!policy?.automated?.selfHeal) {
    return {
      action: 'skip',
      reason: `already synced to ${revision}; self-heal is off, so drift is only reported`,
    };
  }
  const remaining = selfHealRemainingMs(
    input.selfHealAttempts,
    input.nowMs - finishedAtMs,
    input.selfHealBackoff,
  );
  if (remaining > 0)
    return { action: 'wait', untilMs: input.nowMs + remaining, reason: 'self-heal backoff' };
  return { action: 'sync', trigger: 'self-heal', retryCount: 0 };
}
