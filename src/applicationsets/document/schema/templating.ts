/**
 * Which values of an ApplicationSet are templates. Every string field of an
 * Application template (and of a generator that a matrix re-renders) may hold
 * `{{params}}`; such a value can only be checked once rendered, after
 * generation (semantics.md §2: every string value and string map key is
 * rendered; booleans and integers cannot be templated).
 */
import { FieldProblem, fieldPath } from '../../../common/field-problem';
import { isPlainObject } from '../../../labels';

/** True when the string will be rendered: it holds a `{{` tag opening. */
export function isTemplated(value: unknown): boolean {
  return typeof value === 'string' && value.includes('{{');
}

/**
 * Runs a map check (label or annotation rules) and drops the problems about
 * keys or values that are templates: those are checked once rendered. `check`
 * must report each entry at `fieldPath(field, key)` with a rule ending in
 * `-key` or `-value`, as src/labels does.
 */
export function untemplatedMapProblems(
  map: unknown,
  field: string,
  check: (map: unknown, field: string) => FieldProblem[],
): FieldProblem[] {
  const problems = check(map, field);
  if (!isPlainObject(map)) return problems;
  const templated = new Map(
    Object.entries(map).map(([key, value]) => [
      fieldPath(field, key),
      { key: isTemplated(key), value: isTemplated(value) },
    ]),
  );
  return problems.filter((problem) => {
    const entry = templated.get(problem.field);
    if (!entry) return true;
    if (problem.rule.endsWith('-key')) return !entry.key;
    if (problem.rule.endsWith('-value')) return !entry.value;
    return true;
  });
}
