/**
 * The one error an expansion throws. It says which generator failed (its path
 * and its index in `spec.generators`) so the preview API can answer 422 with
 * both, and whether retrying can help (`Upstream`) or the spec must change
 * (`Invalid`). A failed expansion changes nothing (conventions.md §9).
 */
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { FieldProblem } from '../common/field-problem';

export type GenerationErrorCode = DomainErrorCode.Invalid | DomainErrorCode.Upstream;

export class GenerationError extends DomainError {
  constructor(
    code: GenerationErrorCode,
    message: string,
    /** The generator entry, e.g. `spec.generators[1].matrix.generators[0]`; null for spec-wide problems. */
    readonly generatorPath: string | null,
    /** Index of the top-level entry in `spec.generators`; null for spec-wide problems. */
    readonly generatorIndex: number | null,
    details: readonly FieldProblem[] = [],
    cause?: unknown,
  ) {
    super(code, message, details);
    this.name = 'GenerationError';
    if (cause !== undefined) this.cause = cause;
  }
}

/** Where a generator sits in the ApplicationSet. */
export interface GeneratorLocation {
  /** The entry: `spec.generators[1]` or `spec.generators[1].matrix.generators[0]`. */
  readonly entryPath: string;
  /** Index of the top-level entry this one belongs to. */
  readonly generatorIndex: number;
}

/**
 * A spec or render problem at `field`: `<field>: <message>`, with one
 * FieldProblem carrying `rule`, or the given problems when there are several.
 */
export function invalidAt(
  location: GeneratorLocation,
  field: string,
  rule: string,
  message: string,
  problems?: readonly FieldProblem[],
): GenerationError {
  return new GenerationError(
    DomainErrorCode.Invalid,
    `${field}: ${message}`,
    location.entryPath,
    location.generatorIndex,
    problems ?? [{ field, rule, message }],
  );
}

/**
 * Git or the cluster registry failed while serving `field`. Credentials in
 * URLs are redacted from the message (GHSA-mv6w-j4xc-qpfw leaked them).
 */
export function upstreamAt(
  location: GeneratorLocation,
  field: string,
  message: string,
  cause: unknown,
): GenerationError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const full = redactUrlCredentials(`${field}: ${message}: ${reason}`);
  return new GenerationError(
    DomainErrorCode.Upstream,
    full,
    location.entryPath,
    location.generatorIndex,
    [{ field, rule: 'upstream', message: redactUrlCredentials(`${message}: ${reason}`) }],
    cause,
  );
}

/** Replaces `user:password@` in `scheme://user:password@host` with `***@` (pure function). */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
}
