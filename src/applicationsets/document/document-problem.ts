/**
 * Problems found while reading ApplicationSet documents, located in the text
 * they came from, and the rule that decides how the HTTP edge answers them.
 */
import { FieldProblem } from '../../common/field-problem';
import { DomainError, DomainErrorCode } from '../../common/domain-error';

/**
 * A FieldProblem located in its input: `line`/`column` are 1-based positions
 * in the whole text (for JSON too), `documentIndex` the 0-based position of
 * the document in a multi-document YAML stream (empty documents count),
 * `source` the caller's name for the text (a file path in a Git source).
 */
export interface DocumentProblem extends FieldProblem {
  readonly line?: number;
  readonly column?: number;
  readonly documentIndex?: number;
  readonly source?: string;
}

/**
 * Rules that mean the text could not be read at all (bad YAML or JSON,
 * dangerous constructs, size limits), as opposed to a document that was read
 * but breaks the schema.
 */
export const SYNTAX_RULES: ReadonlySet<string> = new Set([
  'syntax',
  'duplicate-key',
  'yaml-tag',
  'yaml-complex-key',
  'yaml-alias-limit',
  'size-limit',
  'nesting-limit',
]);

/** True when the problem is about reading the text, not about its content. */
export function isSyntaxProblem(problem: FieldProblem): boolean {
  return SYNTAX_RULES.has(problem.rule);
}

/**
 * The DomainError for a set of problems, so the HTTP edge answers 400 when
 * the body could not be read and 422 when it was read but is invalid. Every
 * problem travels in `details`, not only the first.
 */
export function documentProblemsError(problems: readonly DocumentProblem[]): DomainError {
  const syntax = problems.some(isSyntaxProblem);
  const summary = problems
    .slice(0, 3)
    .map(
      (p) =>
        `${p.line === undefined ? '' : `line ${p.line}: `}${p.field || '(document)'}: ${p.message}`,
    )
    .join('; ');
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return new DomainError(
    syntax ? DomainErrorCode.BadRequest : DomainErrorCode.Invalid,
    `${syntax ? 'the ApplicationSet text cannot be read' : 'the ApplicationSet is invalid'}: ${summary}${more}`,
    problems,
  );
}
