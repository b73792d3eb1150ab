/**
 * Every failure of a call to a cluster, as the sync engine's
 * `FailureDescriptor`: the HTTP status with the Kubernetes `Status.reason`
 * and `Retry-After`, the network error code, or the deadline. Messages are
 * built from the Status message and error codes only, never from request
 * headers, so no credential can appear in them.
 */
import { FailureDescriptor } from '../sync/retry/failure-classification';

/** A failed cluster call; `failure` is what the worker classifies. */
export class KubeApiError extends Error {
  constructor(readonly failure: FailureDescriptor) {
    super(failure.message);
    this.name = 'KubeApiError';
  }

  /** True for a 404 answered by the API server (the object or its namespace does not exist). */
  get isNotFound(): boolean {
    return this.failure.kind === 'http' && this.failure.statusCode === 404;
  }

  /** True for a 409 Conflict / AlreadyExists. */
  get isConflict(): boolean {
    return this.failure.kind === 'http' && this.failure.statusCode === 409;
  }
}

/** The fields of a Kubernetes `Status` body the descriptor uses. */
interface StatusBody {
  readonly reason?: unknown;
  readonly message?: unknown;
}

const BEARER = /Bearer\s+[^\s"',]+/gi;

/** Removes anything that looks like a bearer token from a message (defence in depth). */
export function scrubCredentials(text: string): string {
  return text.replace(BEARER, 'Bearer <redacted>');
}

/**
 * The descriptor of an HTTP error answer (pure function). `body` is the raw
 * response text; a Kubernetes `Status` gives reason and message, anything
 * else only the status line.
 */
export function httpFailure(
  statusCode: number,
  body: string,
  retryAfter: string | undefined,
  what: string,
): FailureDescriptor {
  const status = parseStatusBody(body);
  const reason = typeof status?.reason === 'string' && status.reason ? status.reason : undefined;
  const detail =
    typeof status?.message === 'string' && status.message
      ? status.message.slice(0, 1000)
      : undefined;
  const message = scrubCredentials(
    `${what}: HTTP ${statusCode}${reason ? ` ${reason}` : ''}${detail ? `: ${detail}` : ''}`,
  );
  return {
    kind: 'http',
    statusCode,
    message,
    ...(reason ? { reason } : {}),
    ...(retryAfter ? { retryAfter } : {}),
  };
}

/** The descriptor of a kind the cluster does not serve (a 404 that retrying will not fix). */
export function unknownKindFailure(apiVersion: string, kind: string): FailureDescriptor {
  return {
    kind: 'http',
    statusCode: 404,
    reason: 'NotFound',
    unknownKind: true,
    message: `the cluster does not serve ${kind} in ${apiVersion}; install its CustomResourceDefinition first`,
  };
}

/**
 * The descriptor of a failure without an HTTP answer (pure function): the
 * deadline (`timeout`), a network or TLS error (`network`, with Node's
 * code), or anything else (`unknown`).
 */
export function transportFailure(
  error: unknown,
  what: string,
  timedOut: boolean,
  timeoutMs: number,
): FailureDescriptor {
  if (timedOut) {
    return { kind: 'timeout', message: `${what}: no answer within ${timeoutMs} ms` };
  }
  const err = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code =
    typeof err?.code === 'string'
      ? err.code
      : typeof err?.cause?.code === 'string'
        ? err.cause.code
        : undefined;
  const text = scrubCredentials(
    typeof err?.message === 'string' ? err.message : String(error),
  ).slice(0, 500);
  if (code) {
    return {
      kind: 'network',
      code,
      message: `${what}: ${text.includes(code) ? text : `${code}: ${text}`}`,
    };
  }
  return { kind: 'unknown', message: `${what}: ${text}` };
}

function parseStatusBody(body: string): StatusBody | undefined {
  if (!body) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as StatusBody) : undefined;
  } catch {
    return undefined;
  }
}
