/**
 * Turns whatever a render, comparison or sync pass threw into the
 * `FailureDescriptor` the retry rules classify (pure functions). Execution
 * rejects cluster calls with an error carrying `failure`; Git and manifest
 * problems arrive as `DomainError`s. Anything unrecognised is `unknown`,
 * which classifies as transient: retry limits still bound it.
 */
import { DomainError, DomainErrorCode } from '../../../common/domain-error';
import {
  FailureClassification,
  FailureDescriptor,
  classifyFailure,
} from '../../retry/failure-classification';

const FAILURE_KINDS = new Set(['http', 'network', 'timeout', 'manifest', 'unknown']);

/** The descriptor of a thrown error (pure function). */
export function failureOf(error: unknown): FailureDescriptor {
  const carried = (error as { failure?: unknown } | null)?.failure;
  if (isDescriptor(carried)) return carried;
  if (error instanceof DomainError) {
    switch (error.code) {
      case DomainErrorCode.Invalid:
      case DomainErrorCode.BadRequest:
      case DomainErrorCode.NotFound:
      case DomainErrorCode.Forbidden:
      case DomainErrorCode.Unauthorized:
      case DomainErrorCode.Configuration:
      case DomainErrorCode.Conflict:
      case DomainErrorCode.AlreadyExists:
        // The source, revision or manifests are wrong: retrying changes nothing until Git or the spec does.
        return { kind: 'manifest', message: error.message };
      case DomainErrorCode.Upstream:
        return { kind: 'unknown', message: error.message };
    }
  }
  const named = error as { name?: string; message?: string } | null;
  if (named?.name === 'AbortError' || named?.name === 'TimeoutError') {
    return { kind: 'timeout', message: named.message ?? 'timed out' };
  }
  return { kind: 'unknown', message: named?.message ?? String(error) };
}

/** Classifies a thrown error: transient (retry with backoff) or terminal (wait for a change). */
export function classifyError(
  error: unknown,
  nowMs: number,
): FailureClassification & { failure: FailureDescriptor } {
  const failure = failureOf(error);
  return { ...classifyFailure(failure, nowMs), failure };
}

/**
 * Whether a failure says something about the cluster itself (and so counts
 * towards its circuit breaker): no answer, a timeout, throttling or a server
 * error. A refused object or a bad manifest says nothing about the cluster.
 */
export function isClusterFailure(failure: FailureDescriptor): boolean {
  if (failure.kind === 'network' || failure.kind === 'timeout') return true;
  if (failure.kind !== 'http') return false;
  const status = failure.statusCode ?? 0;
  return status === 429 || status >= 500;
}

function isDescriptor(value: unknown): value is FailureDescriptor {
  return (
    typeof value === 'object' &&
    value !== null &&
    FAILURE_KINDS.has((value as { kind?: unknown }).kind as string) &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
