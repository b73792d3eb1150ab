/**
 * `kind: Status` failures with the reason, code, message and details the real
 * API server produces (k8s.io/apimachinery/pkg/api/errors/errors.go), so that
 * clients which branch on `reason` or `code` behave as they would against a
 * real cluster. Everything that refuses a request throws a StatusError; the
 * HTTP edge serialises it unchanged.
 */
import { JsonMap } from './json';

/** `metav1.StatusCause`. */
export interface StatusCause extends JsonMap {
  reason: string;
  message: string;
  field: string;
}

/** The parts of a resource a message names: `deployments.apps "web"`. */
export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Forbidden'
  | 'Unauthorized'
  | 'MethodNotAllowed'
  | 'TooManyRequests'
  | 'BadRequest'
  | 'UnsupportedMediaType'
  | 'NotAcceptable'
  | 'Expired'
  | 'Gone'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  /** `metav1.StatusReasonUnknown`: serialised without a `reason`. */
  | '';

/** A failed request, carrying the exact Status body the server answers with. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: JsonMap,
    /** Extra response headers (e.g. `Retry-After`). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'StatusError';
  }

  /** The `kind: Status` body. */
  toStatus(): JsonMap {
    const body: JsonMap = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
    };
    if (this.reason) body.reason = this.reason;
    if (this.details) body.details = this.details;
    body.code = this.code;
    return body;
  }
}

/** `deployments.apps` or `configmaps` for the core group. */
export function qualifiedResource({ group, resource }: GroupResource): string {
  return group ? `${resource}.${group}` : resource;
}

function resourceDetails(gr: GroupResource, name: string): JsonMap {
  const details: JsonMap = { name };
  if (gr.group) details.group = gr.group;
  details.kind = gr.resource;
  return details;
}

export function notFound(gr: GroupResource, name: string): StatusError {
  return new StatusError(
    404,
    'NotFound',
    `${qualifiedResource(gr)} "${name}" not found`,
    resourceDetails(gr, name),
  );
}

/** What a request for an unknown path or resource type gets. */
export function pathNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(gr: GroupResource, name: string): StatusError {
  return new StatusError(
    409,
    'AlreadyExists',
    `${qualifiedResource(gr)} "${name}" already exists`,
    resourceDetails(gr, name),
  );
}

/** The optimistic-concurrency failure of a stale `resourceVersion` or precondition. */
export function conflict(gr: GroupResource, name: string, why: string): StatusError {
  return new StatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualifiedResource(gr)} "${name}": ${why}`,
    resourceDetails(gr, name),
  );
}

export const STALE_OBJECT =
  'the object has been modified; please apply your changes to the latest version and try again';

/** 422 with one cause per field, worded as `field/errors.go` words them. */
export function invalid(
  qualifiedKind: string,
  name: string,
  group: string,
  kind: string,
  causes: readonly StatusCause[],
): StatusError {
  const texts = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const aggregate = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  const details: JsonMap = { name };
  if (group) details.group = group;
  details.kind = kind;
  details.causes = [...causes];
  return new StatusError(
    422,
    'Invalid',
    `${qualifiedKind} "${name}" is invalid: ${aggregate}`,
    details,
  );
}

export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  const subject = name ? `${qualifiedResource(gr)} "${name}"` : qualifiedResource(gr);
  return new StatusError(
    403,
    'Forbidden',
    `${subject} is forbidden: ${why}`,
    resourceDetails(gr, name),
  );
}

export function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized');
}

export function methodNotAllowed(): StatusError {
  return new StatusError(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function unsupportedMediaType(accepted: readonly string[]): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
    {},
  );
}

export function notAcceptable(accepted: readonly string[]): StatusError {
  return new StatusError(
    406,
    'NotAcceptable',
    `only the following media types are accepted: ${accepted.join(', ')}`,
    {},
  );
}

/** The answer to a watch or continue token older than the retained history. */
export function expired(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

export function tooManyRequests(retryAfterSeconds: number): StatusError {
  return new StatusError(
    429,
    'TooManyRequests',
    'Too many requests, please try again later.',
    { retryAfterSeconds },
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

export function internalError(message: string): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });
}

export function serviceUnavailable(message: string): StatusError {
  return new StatusError(503, 'ServiceUnavailable', message, {});
}

/**
 * An error that is not a typed API error (what `ErrorToAPIStatus` makes of a
 * plain Go error): code 500, no reason, the message verbatim. Server-side
 * apply reports schema failures this way.
 */
export function untypedServerError(message: string): StatusError {
  return new StatusError(500, '', message);
}
