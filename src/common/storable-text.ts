/**
 * Text PostgreSQL cannot store (pure functions). JSON and YAML can carry the
 * NUL character (`"\u0000"`, `"\0"`) and unpaired UTF-16 surrogates
 * (`"\ud800"`), and JavaScript strings hold both, but PostgreSQL stores a NUL
 * in neither `text` nor `jsonb`, and a lone surrogate is not Unicode at all
 * (`jsonb` refuses it; `text` would silently get U+FFFD). Left unchecked, one
 * such character in a name, a label or an ApplicationSet field became a
 * database error, and the caller a 500. They are refused where input enters,
 * naming the field, like any other invalid value.
 */
import { FieldProblem, fieldPath } from './field-problem';

const NUL = '\u0000';
// Half of a surrogate pair without the other half (what String.prototype.isWellFormed finds).
const LONE_SURROGATE_PATTERN =
  '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const LONE_SURROGATE = new RegExp(LONE_SURROGATE_PATTERN);
const UNSTORABLE_CHARACTERS = new RegExp(`\\u0000|${LONE_SURROGATE_PATTERN}`, 'g');

/** Why `text` cannot be stored, or undefined when it can. */
function unstorableTextRule(text: string): 'nul-character' | 'unpaired-surrogate' | undefined {
  if (text.includes(NUL)) return 'nul-character';
  return LONE_SURROGATE.test(text) ? 'unpaired-surrogate' : undefined;
}

/** Whether `text` holds a character PostgreSQL cannot store. */
export function isUnstorableText(text: string): boolean {
  return unstorableTextRule(text) !== undefined;
}

const MESSAGES = {
  'nul-character': 'must not contain the NUL character (U+0000), which PostgreSQL cannot store',
  'unpaired-surrogate':
    'must be Unicode text: it holds half of a UTF-16 surrogate pair (\\ud800-\\udfff) without the other',
} as const;

const KEY_MESSAGES = {
  'nul-character': 'must not have a key that contains the NUL character (U+0000)',
  'unpaired-surrogate': 'must not have a key that holds half of a UTF-16 surrogate pair',
} as const;

/** The problem of a field whose text cannot be stored. */
function unstorableTextProblem(
  field: string,
  rule: 'nul-character' | 'unpaired-surrogate',
): FieldProblem {
  return { field, rule, message: MESSAGES[rule] };
}

/**
 * A problem for each string (or object key) within `value` that PostgreSQL
 * cannot store, at most `limit` of them, named by their path below `root`
 * (`body` for the root itself). Walks with an explicit stack: bodies are
 * only depth-checked later.
 */
export function unstorableTextProblems(value: unknown, root = '', limit = 10): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const pending: { value: unknown; path: string }[] = [{ value, path: root }];
  while (pending.length > 0 && problems.length < limit) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      const rule = unstorableTextRule(current);
      if (rule) problems.push(unstorableTextProblem(path || 'body', rule));
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) {
        pending.push({ value: current[i], path: fieldPath(path, i) });
      }
    } else if (current !== null && typeof current === 'object') {
      const children: { value: unknown; path: string }[] = [];
      for (const [key, member] of Object.entries(current as Record<string, unknown>)) {
        const rule = unstorableTextRule(key);
        // A key that cannot be stored cannot be printed in a path either: name its object.
        if (rule) problems.push({ field: path || 'body', rule, message: KEY_MESSAGES[rule] });
        else children.push({ value: member, path: fieldPath(path, key) });
      }
      for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
    }
  }
  return problems.slice(0, limit);
}

/**
 * `text` from elsewhere (a cluster's answer, an error) made storable: a NUL
 * and each half of a surrogate pair become visible text (`\u0000`).
 */
export function storableText(text: string): string {
  if (!isUnstorableText(text)) return text;
  return text.replace(
    UNSTORABLE_CHARACTERS,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

// What JSON.stringify writes for a NUL and for a lone surrogate (it writes paired ones as they
// are), unless the backslash is itself escaped.
const UNSTORABLE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(0000|d[89a-f][0-9a-f]{2})/g;

/**
 * JSON.stringify for values meant for people (statuses, their messages and
 * names), where such a character quoted from input must not make the write
 * fail: each one becomes visible text (`\u0000`, `\ud800`).
 */
export function storableJson(value: unknown): string {
  const json = JSON.stringify(value);
  // A status batch is megabytes of JSON that almost never holds an escape: look for one first.
  if (!json.includes('\\u')) return json;
  return json.replace(UNSTORABLE_ESCAPE, '$1\\\\u$2');
}
