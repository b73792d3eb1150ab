/**
 * Whether a sync operation runs in this pass, and which (pure function):
 * a requested manual sync or rollback first; then, for an Application
 * without automated sync, the retries of a failed manual sync; then Argo
 * CD's automated-sync guard (`decideAutomatedSync`: once per (commit, spec),
 * retry policy, self-heal backoff, wipe-out guard).
 */
import { Application, ApplicationSource } from '../../../argo/application.types';
import { RetryPolicy, mayRetry, resolveRetryPolicy, retryDelayMs } from '../../retry/retry-policy';
import { decideAutomatedSync, isAutomatedSyncEnabled } from '../../status';
import { InitiatedBy, SyncStatusCode } from '../../status/status.types';
import { LastAttempt, RequestedOperation, SyncTrigger } from '../sync-control.types';

/** Argo CD 3's `controller.self.heal.backoff.cooldown`: after this long, self-heal starts again at 2 s. */
export const SELF_HEAL_COOLDOWN_MS = 330_000;

/** A sync operation to run. */
export interface PlannedOperation {
  readonly trigger: SyncTrigger;
  /** The commit to sync; absent: the revision the comparison used. */
  readonly revision?: string;
  /** A source other than the Application's (rollback to a history entry). */
  readonly source?: ApplicationSource;
  /** Sources other than the Application's (rollback of a multi-source Application). */
  readonly sources?: readonly ApplicationSource[];
  readonly prune: boolean;
  readonly dryRun: boolean;
  readonly allowEmpty: boolean;
  readonly retryCount: number;
  readonly initiatedBy: InitiatedBy;
  /** The request this operation consumes (cleared when it starts). */
  readonly requestId?: string;
  /** Kept in the last attempt so the retry policy can run a manual operation again. */
  readonly manual?: RequestedOperation;
}

export type OperationChoice =
  | { readonly action: 'run'; readonly operation: PlannedOperation }
  | { readonly action: 'wait'; readonly untilMs: number; readonly reason: string }
  | { readonly action: 'none'; readonly reason: string; readonly syncError?: string };

export interface OperationChoiceInput {
  readonly app: Application;
  readonly requested: RequestedOperation | null;
  readonly syncStatus: SyncStatusCode;
  /** The commit the comparison used. */
  readonly revision: string;
  readonly specHash: string;
  readonly wouldPruneEverything: boolean;
  readonly lastAttempt: LastAttempt | null;
  readonly selfHealAttempts: number;
  readonly nowMs: number;
}

const AUTOMATED: InitiatedBy = { automated: true };

/** Chooses the operation of a pass; see the module comment for the order of the rules. */
export function chooseOperation(input: OperationChoiceInput): OperationChoice {
  const { app, requested, lastAttempt, nowMs } = input;
  if (requested) return { action: 'run', operation: fromRequest(requested) };
  const policy = app.spec.syncPolicy;
  const automated = isAutomatedSyncEnabled(policy);
  const resolved = resolveRetryPolicy(policy?.retry, { automated });
  if ('problems' in resolved) {
    const syncError = resolved.problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    return { action: 'none', reason: 'the retry policy is invalid', syncError };
  }
  if (!automated) return manualRetry(lastAttempt, resolved.policy, nowMs);

  const sameTarget =
    lastAttempt !== null &&
    lastAttempt.revision === input.revision &&
    lastAttempt.specHash === input.specHash;
  const finishedAtMs = lastAttempt?.finishedAt ? Date.parse(lastAttempt.finishedAt) : undefined;
  const cooledDown = finishedAtMs !== undefined && nowMs - finishedAtMs > SELF_HEAL_COOLDOWN_MS;
  // A terminated operation is never retried by the policy: someone stopped it on purpose.
  const retryPolicy: RetryPolicy =
    sameTarget && lastAttempt?.terminated ? { ...resolved.policy, limit: 0 } : resolved.policy;
  const decision = decideAutomatedSync({
    policy,
    syncStatus: input.syncStatus,
    revision: input.revision,
    specHash: input.specHash,
    lastSync: lastAttempt
      ? {
          revision: lastAttempt.revision,
          specHash: lastAttempt.specHash,
          phase: lastAttempt.phase,
          retryCount: lastAttempt.retryCount,
          finishedAtMs,
        }
      : undefined,
    retryPolicy,
    selfHealAttempts: cooledDown ? 0 : input.selfHealAttempts,
    wouldPruneEverything: input.wouldPruneEverything,
    nowMs,
  });
  switch (decision.action) {
    case 'skip':
      return decision.reason.includes('wipe out all resources')
        ? { action: 'none', reason: decision.reason, syncError: decision.reason }
        : { action: 'none', reason: decision.reason };
    case 'wait':
      return { action: 'wait', untilMs: decision.untilMs, reason: decision.reason };
    case 'sync':
      return {
        action: 'run',
        operation: {
          trigger: decision.trigger,
          prune: policy?.automated?.prune === true,
          dryRun: false,
          allowEmpty: policy?.automated?.allowEmpty === true,
          retryCount: decision.retryCount,
          initiatedBy: AUTOMATED,
        },
      };
  }
}

function fromRequest(request: RequestedOperation): PlannedOperation {
  return {
    trigger: request.kind === 'rollback' ? 'rollback' : 'manual',
    ...(request.revision ? { revision: request.revision } : {}),
    ...(request.source ? { source: request.source } : {}),
    ...(request.sources ? { sources: request.sources } : {}),
    prune: request.prune,
    dryRun: request.dryRun,
    allowEmpty: request.allowEmpty,
    retryCount: 0,
    initiatedBy: request.initiatedBy,
    requestId: request.id,
    manual: request,
  };
}

/** Without automated sync, only a failed manual operation is retried, by the retry policy. */
function manualRetry(
  last: LastAttempt | null,
  policy: RetryPolicy,
  nowMs: number,
): OperationChoice {
  const failed = last !== null && (last.phase === 'Failed' || last.phase === 'Error');
  if (!last?.manual || !failed || last.terminated || !mayRetry(policy, last.retryCount)) {
    return { action: 'none', reason: 'automated sync is disabled' };
  }
  const finishedAtMs = last.finishedAt ? Date.parse(last.finishedAt) : nowMs;
  const untilMs = finishedAtMs + retryDelayMs(policy, last.retryCount);
  if (untilMs > nowMs) {
    return { action: 'wait', untilMs, reason: `retry ${last.retryCount + 1} is due later` };
  }
  const request = last.manual;
  return {
    action: 'run',
    operation: {
      ...fromRequest(request),
      trigger: 'retry',
      // `retry.refresh` syncs the latest commit instead of the one that failed.
      ...(policy.refresh && request.kind === 'sync' ? { revision: undefined } : {}),
      retryCount: last.retryCount + 1,
      requestId: undefined,
    },
  };
}
