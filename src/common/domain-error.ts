import { FieldProblem } from './field-problem';

/**
 * What went wrong, independent of transport. Services and workers throw
 * DomainError; only the HTTP edge (`DomainErrorFilter`) turns a code into a
 * status, so the same service can serve a controller and a background worker.
 */
export enum DomainErrorCode {
  /** The request itself is malformed (unparseable body, bad query syntax). */
  BadRequest = 'BadRequest',
  /** Well-formed input that breaks a rule; `details` names each field. */
  Invalid = 'Invalid',
  NotFound = 'NotFound',
  /** The caller did not prove who it is (a webhook signature, a token). */
  Unauthorized = 'Unauthorized',
  /** The caller is known but not allowed, or the feature is switched off. */
  Forbidden = 'Forbidden',
  AlreadyExists = 'AlreadyExists',
  /** The target exists but its state forbids the change (owned elsewhere, stale version). */
  Conflict = 'Conflict',
  /** A dependency (Git, a cluster, the database) failed; the caller may retry. */
  Upstream = 'Upstream',
  /** Start-up or runtime configuration is wrong. */
  Configuration = 'Configuration',
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: readonly FieldProblem[] = [],
    /** Further machine-readable facts for the response body (e.g. `generatorIndex`). */
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static invalid(problems: readonly FieldProblem[], summary?: string): DomainError {
    const message =
      summary ??
      problems.map((p) => `${p.field}: ${p.message}`).join('; ') ??
      'the input is invalid';
    return new DomainError(DomainErrorCode.Invalid, message, problems);
  }

  static notFound(what: string, name: string): DomainError {
    return new DomainError(DomainErrorCode.NotFound, `${what} "${name}" not found`);
  }
}
