/**
 * Whether a failed sync step is worth retrying. Workers describe what went
 * wrong as a `FailureDescriptor` (one shape for Kubernetes API errors,
 * network errors, timeouts and manifest errors) and act on the class:
 * transient → retry with backoff (and count it against the cluster's
 * circuit breaker); terminal → mark the sync failed and wait for a change
 * (fluxcd's retry-later versus stalled).
 */

/** A normalised description of one failure. */
export interface FailureDescriptor {
  /** `http`: the API server answered with an error status; `network`: no answer; `manifest`: our input was refused before sending. */
  readonly kind: 'http' | 'network' | 'timeout' | 'manifest' | 'unknown';
  /** HTTP status, for `http`. */
  readonly statusCode?: number;
  /** The Kubernetes `Status.reason` (`Invalid`, `NotFound`, `Forbidden`, `TooManyRequests`, ...). */
  readonly reason?: string;
  /** The `Retry-After` header: seconds, or an HTTP date. */
  readonly retryAfter?: string;
  /** Node's error code for `network` failures (`ECONNREFUSED`, `CERT_HAS_EXPIRED`, ...). */
  readonly code?: string;
  /** For a 404: the API server does not serve the object's kind (no CRD installed). */
  readonly unknownKind?: boolean;
  readonly message: string;
}

export type FailureClass = 'transient' | 'terminal';

/** The verdict, with a reason for the operation message and, when the server said so, when to retry. */
export interface FailureClassification {
  readonly class: FailureClass;
  readonly reason: string;
  readonly retryAfterMs?: number;
}

// TLS and certificate failures: the cluster's address or trust settings are
// wrong; retrying does not fix them.
const TERMINAL_NETWORK_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const TRANSIENT_STATUS: Readonly<Record<number, string>> = {
  408: 'the API server timed out reading the request',
  409: 'the object changed concurrently; re-read and retry',
  410: 'the resource version expired; re-list and retry',
  429: 'the API server is throttling requests',
  500: 'the API server failed',
  502: 'a proxy in front of the API server failed',
  503: 'the API server is unavailable',
  504: 'a proxy in front of the API server timed out',
};

const TERMINAL_STATUS: Readonly<Record<number, string>> = {
  400: 'the API server rejected the request as malformed',
  401: 'the cluster credentials were rejected',
  403: 'the cluster credentials are not allowed to do this',
  405: 'the API server does not allow this operation on the resource',
  413: 'the object is too large for the API server',
  415: 'the API server does not accept this content type',
  422: 'the API server rejected the object as invalid',
};

/**
 * Classifies a failure (pure function; `nowMs` is used only to read a
 * `Retry-After` date):
 * - transient: network errors (except TLS/certificate ones), timeouts, HTTP
 *   408, 409, 410, 429, any 5xx, a 404 other than an unknown kind (e.g. a
 *   namespace created by a later step), and anything unrecognised (retry
 *   limits still bound it); `Retry-After` is honoured;
 * - terminal: manifest errors, TLS/certificate errors, 400, 401, 403, 404 of
 *   a kind the cluster does not serve, 422 and other 4xx.
 */
export function classifyFailure(failure: FailureDescriptor, nowMs: number): FailureClassification {
  switch (failure.kind) {
    case 'manifest':
      return { class: 'terminal', reason: 'the manifests are invalid' };
    case 'timeout':
      return { class: 'transient', reason: 'the request timed out' };
    case 'network':
      return failure.code && TERMINAL_NETWORK_CODES.has(failure.code)
        ? {
            class: 'terminal',
            reason: `the cluster's TLS certificate was not accepted (${failure.code})`,
          }
        : {
            class: 'transient',
            reason: `the cluster could not be reached${failure.code ? ` (${failure.code})` : ''}`,
          };
    case 'http':
      return classifyStatus(failure, nowMs);
    case 'unknown':
      return { class: 'transient', reason: 'unrecognised failure' };
  }
}

function classifyStatus(failure: FailureDescriptor, nowMs: number): FailureClassification {
  const status = failure.statusCode ?? 0;
  if (status === 404) {
    return failure.unknownKind
      ? {
          class: 'terminal',
          reason:
            'the cluster does not serve this kind; install its CustomResourceDefinition first',
        }
      : { class: 'transient', reason: 'a referenced object does not exist yet' };
  }
  const retryAfterMs =
    failure.retryAfter === undefined ? undefined : parseRetryAfter(failure.retryAfter, nowMs);
  const transient =
    TRANSIENT_STATUS[status] ??
    (status >= 500 && status < 600 ? 'the API server failed' : undefined);
  if (transient)
    return retryAfterMs === undefined
      ? { class: 'transient', reason: transient }
      : { class: 'transient', reason: transient, retryAfterMs };
  return {
    class: 'terminal',
    reason: TERMINAL_STATUS[status] ?? `the API server refused the request (HTTP ${status})`,
  };
}

/**
 * Reads a `Retry-After` value as milliseconds from `nowMs`: delta seconds
 * (`"5"`) or an HTTP date; undefined when unreadable. Never negative.
 */
export function parseRetryAfter(value: string, nowMs: number): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP date always names a day or month; without letters it is not one.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
