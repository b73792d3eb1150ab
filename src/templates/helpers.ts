/**
 * The helper allowlist (pure functions). Names and argument order follow
 * Sprig, which Argo CD's goTemplate users already know (`default "x" .v`,
 * `replace old new s`, `trunc n s`, `join sep list`); `normalize` is Argo's.
 * Nothing here reaches the environment, files or network (semantics.md C1:
 * Argo removes `env`, `expandenv`, `getHostByName` for the same reason).
 */
import { compareBytewise } from './byte-order';
import { formatGoValue } from './go-format';
import { OutputHelperName } from './helper-syntax';
import { normalize } from './normalize';

/** A helper was called with an argument of the wrong type. */
export class HelperArgumentError extends Error {
  constructor(helper: string, position: number, expected: string, actual: unknown) {
    super(`${helper}: argument ${position} must be ${expected}, got ${describe(actual)}`);
    this.name = 'HelperArgumentError';
  }
}

type Helper = (args: readonly unknown[]) => unknown;

const HELPERS: Record<OutputHelperName, Helper> = {
  normalize: (args) => normalize(stringArg('normalize', args, 0)),
  lower: (args) => stringArg('lower', args, 0).toLowerCase(),
  upper: (args) => stringArg('upper', args, 0).toUpperCase(),
  default: ([fallback, value]) => (isEmptyValue(value) ? fallback : value),
  replace: (args) =>
    replaceAll(
      stringArg('replace', args, 2),
      stringArg('replace', args, 0),
      stringArg('replace', args, 1),
    ),
  trunc: (args) => truncate(stringArg('trunc', args, 1), integerArg('trunc', args, 0)),
  toJson: ([value]) => toGoJson(value),
  quote: (args) =>
    args
      .filter((value) => value !== null && value !== undefined)
      .map((value) => JSON.stringify(formatGoValue(value)))
      .join(' '),
  join: (args) => stringSlice(args[1]).join(stringArg('join', args, 0)),
};

/**
 * Runs an allowlisted helper on resolved argument values. Throws
 * HelperArgumentError when an argument has the wrong type.
 */
export function callHelper(name: OutputHelperName, args: readonly unknown[]): unknown {
  return HELPERS[name](args);
}

/** Sprig's `empty`: null, undefined, "", 0, false, and empty lists and maps. */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === 0 || value === false) {
    return true;
  }
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/**
 * `json.Marshal` as Go (and so Sprig's `toJson`) writes it: map keys sorted,
 * `<`, `>`, `&`, U+2028 and U+2029 escaped, no insignificant whitespace.
 */
export function toGoJson(value: unknown): string {
  return encodeJson(value).replace(
    /[<>&\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function encodeJson(value: unknown): string {
  if (value === undefined || typeof value === 'function') return 'null';
  if (Array.isArray(value)) return `[${value.map(encodeJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => compareBytewise(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${encodeJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Go's `strings.Replace(s, old, new, -1)`: an empty `old` matches between every character. */
function replaceAll(text: string, old: string, replacement: string): string {
  if (old === '') return replacement + Array.from(text).join(replacement) + replacement;
  return text.split(old).join(replacement);
}

/** Sprig's `trunc`: the first `n` characters, or the last `-n` when negative. */
function truncate(text: string, length: number): string {
  const chars = Array.from(text);
  if (length < 0) return chars.length + length > 0 ? chars.slice(length).join('') : text;
  return chars.length > length ? chars.slice(0, length).join('') : text;
}

/** Sprig's `strslice`: a list's non-null members as strings; a lone value as a one-item list. */
function stringSlice(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.filter((item) => item !== null && item !== undefined).map(formatGoValue);
}

function stringArg(helper: string, args: readonly unknown[], index: number): string {
  const value = args[index];
  if (typeof value !== 'string')
    throw new HelperArgumentError(helper, index + 1, 'a string', value);
  return value;
}

function integerArg(helper: string, args: readonly unknown[], index: number): number {
  const value = args[index];
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new HelperArgumentError(helper, index + 1, 'an integer', value);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return typeof value === 'string' ? 'a string' : `${typeof value} ${String(value)}`;
}
