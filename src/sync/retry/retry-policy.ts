/**
 * Sync retries, exactly as Argo CD schedules them (semantics.md B1;
 * types.go `RetryStrategy.NextRetryAt`): the n-th retry (n from 0) waits
 * `duration × factor^n`, capped at `maxDuration`, with defaults 5 s, ×2,
 * 3 m. `limit` 0 means no retry, a negative limit retries forever, and an
 * automated sync without a retry block retries 5 times.
 */
import { FieldProblem, fieldPath } from '../../common/field-problem';
import { RetryStrategy } from '../../argo/application.types';
import { parseDuration } from './duration';

/** A resolved retry policy; `limit` is `Infinity` when unlimited. */
export interface RetryPolicy {
  readonly limit: number;
  readonly durationMs: number;
  readonly factor: number;
  /** 0: no cap. */
  readonly maxDurationMs: number;
  /** Retry with the latest commit of the target revision instead of the original one. */
  readonly refresh: boolean;
}

export const DEFAULT_RETRY_DURATION_MS = 5_000;
export const DEFAULT_RETRY_FACTOR = 2;
export const DEFAULT_RETRY_MAX_DURATION_MS = 180_000;
/** Retries of an automated sync whose Application has no retry block (appcontroller.go). */
export const AUTOMATED_SYNC_DEFAULT_RETRY_LIMIT = 5;

/**
 * The retry policy of a sync (pure function): from `syncPolicy.retry`, or,
 * without one, 5 retries with the default backoff for an automated sync and
 * none for a manual one. Problems name the field at fault.
 */
export function resolveRetryPolicy(
  strategy: RetryStrategy | undefined,
  context: { readonly automated: boolean },
  field = 'spec.syncPolicy.retry',
): { policy: RetryPolicy } | { problems: FieldProblem[] } {
  const defaults = {
    durationMs: DEFAULT_RETRY_DURATION_MS,
    factor: DEFAULT_RETRY_FACTOR,
    maxDurationMs: DEFAULT_RETRY_MAX_DURATION_MS,
    refresh: false,
  };
  if (strategy === undefined || strategy === null) {
    return {
      policy: { ...defaults, limit: context.automated ? AUTOMATED_SYNC_DEFAULT_RETRY_LIMIT : 0 },
    };
  }
  const problems: FieldProblem[] = [];
  const limit = strategy.limit ?? 0;
  if (!Number.isSafeInteger(limit)) {
    problems.push({
      field: fieldPath(field, 'limit'),
      rule: 'integer',
      message: 'must be a whole number (0: no retry, negative: unlimited)',
    });
  }
  const backoff = strategy.backoff ?? {};
  const backoffField = fieldPath(field, 'backoff');
  const durationMs = durationOr(
    backoff.duration,
    defaults.durationMs,
    fieldPath(backoffField, 'duration'),
    problems,
  );
  const maxDurationMs = durationOr(
    backoff.maxDuration,
    defaults.maxDurationMs,
    fieldPath(backoffField, 'maxDuration'),
    problems,
  );
  const factor = backoff.factor ?? defaults.factor;
  if (!Number.isSafeInteger(factor) || factor < 1) {
    problems.push({
      field: fieldPath(backoffField, 'factor'),
      rule: 'integer',
      message: 'must be a whole number of at least 1',
    });
  }
  if (problems.length > 0) return { problems };
  return {
    policy: {
      limit: limit < 0 ? Infinity : limit,
      durationMs,
      factor,
      maxDurationMs,
      refresh: strategy.refresh === true,
    },
  };
}

function durationOr(
  value: string | undefined,
  fallback: number,
  field: string,
  problems: FieldProblem[],
): number {
  if (value === undefined || value === '') return fallback;
  const parsed = parseDuration(value, field);
  if ('problem' in parsed) {
    problems.push(parsed.problem);
    return fallback;
  }
  return parsed.ms;
}

/** True when another retry is allowed after `retriesDone` retries. */
export function mayRetry(policy: RetryPolicy, retriesDone: number): boolean {
  return retriesDone < policy.limit;
}

/** The wait before retry number `retriesDone` (0 for the first): `duration × factor^n`, capped. */
export function retryDelayMs(policy: RetryPolicy, retriesDone: number): number {
  const wait = policy.durationMs * policy.factor ** retriesDone;
  return policy.maxDurationMs > 0 ? Math.min(policy.maxDurationMs, wait) : wait;
}

/** When the next retry is due, or undefined when none is allowed. */
export function nextRetryAtMs(
  policy: RetryPolicy,
  lastAttemptAtMs: number,
  retriesDone: number,
): number | undefined {
  return mayRetry(policy, retriesDone)
    ? lastAttemptAtMs + retryDelayMs(policy, retriesDone)
    : undefined;
}
