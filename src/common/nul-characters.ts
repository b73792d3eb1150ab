/**
 * The NUL character (U+0000) in input (pure functions). JSON and YAML can
 * carry it (`"\u0000"`, `"\0"`) and JavaScript strings hold it, but
 * PostgreSQL stores it in neither `text` nor `jsonb`: left unchecked, one such
 * character in a name, a label or an ApplicationSet field became a database
 * error, and the caller a 500. It is refused where input enters, naming the
 * field, like any other invalid value.
 */
import { FieldProblem, fieldPath } from './field-problem';

const NUL = '\u0000';

/** Whether `text` holds a NUL character. */
export function hasNulCharacter(text: string): boolean {
  return text.includes(NUL);
}

/** The rule and sentence every refusal of a NUL character uses. */
export function nulCharacterProblem(field: string): FieldProblem {
  return {
    field,
    rule: 'nul-character',
    message: 'must not contain the NUL character (U+0000), which PostgreSQL cannot store',
  };
}

/**
 * A problem for each string (or object key) within `value` that holds a NUL
 * character, at most `limit` of them, named by their path below `root`.
 * Walks with an explicit stack: bodies are only depth-checked later.
 */
export function nulCharacterProblems(value: unknown, root = '', limit = 10): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: { value: unknown; path: string }[] = [{ value, path: root }];
  while (pending.length > 0 && problems.length < limit) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (hasNulCharacter(current)) problems.push(nulCharacterProblem(path || 'body'));
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        pending.push({ value: current[i], path: fieldPath(path, i) });
      }
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, member] = entries[i];
        if (hasNulCharacter(key)) {
          // The key cannot be printed as a path: name where it is.
          problems.push({
            ...nulCharacterProblem(path || 'body'),
            message: 'must not have a key that contains the NUL character (U+0000)',
          });
          continue;
        }
        pending.push({ value: member, path: fieldPath(path, key) });
      }
    }
  }
  return problems.slice(0, limit);
}

// `\u0000` as JSON.stringify writes a NUL, unless its backslash is itself escaped.
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;

/**
 * JSON.stringify for values meant for people (statuses, their messages and
 * names), where a NUL quoted from input must not make the write fail: each
 * NUL becomes the visible text `\u0000`.
 */
export function storableJson(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes('\\u0000') ? json.replace(NUL_ESCAPE, '$1\\\\u0000') : json;
}
