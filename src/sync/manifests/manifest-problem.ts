/**
 * Where a rendered manifest went wrong. A malformed manifest is a sync error
 * on its Application naming the file and document, never a crash of the
 * worker; and because a manifest may be a Secret, messages carry the
 * location only, never the file's content.
 */
import { DomainError, DomainErrorCode } from '../../common/domain-error';
import { FieldProblem } from '../../common/field-problem';

/** Where an object (or a problem) comes from in the rendered source. */
export interface ManifestLocation {
  /** File path relative to the source path, or the pseudo-file of a renderer's output. */
  readonly file: string;
  /** 1-based index of the YAML document in the file (1 for a JSON file). */
  readonly document: number;
  /** 1-based line where the document (or the offending node) starts. */
  readonly line: number;
  /** 0-based index of the item when the object came from a `List`. */
  readonly item?: number;
}

/**
 * One reason a manifest set was refused. `field` is the object field at fault
 * (`metadata.name`), or `''` when the document itself is unreadable; `rule`
 * is a stable code such as `yaml-syntax`, `required`, `duplicate`.
 */
export interface ManifestProblem extends FieldProblem, ManifestLocation {}

/** `base/app.yaml, document 2, line 14` (plus `, item 3` inside a List). */
export function formatLocation(location: ManifestLocation): string {
  const item = location.item === undefined ? '' : `, item ${location.item}`;
  return `${location.file}, document ${location.document}, line ${location.line}${item}`;
}

/** One line per problem: location, field, message. */
export function formatManifestProblem(problem: ManifestProblem): string {
  const field = problem.field ? `${problem.field}: ` : '';
  return `${formatLocation(problem)}: ${field}${problem.message}`;
}

/** Thrown by callers that prefer exceptions; carries every problem as details. */
export class ManifestError extends DomainError {
  constructor(readonly problems: readonly ManifestProblem[]) {
    super(
      DomainErrorCode.Invalid,
      `invalid manifests: ${problems.map(formatManifestProblem).join('; ')}`,
      problems,
    );
    this.name = 'ManifestError';
  }
}
