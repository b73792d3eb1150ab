/**
 * Concrete locations in JSON values (pure functions): object keys and array
 * indexes, as `ignoreDifferences` and `managedFieldsManagers` find them, and
 * the few edits made at them on copies of objects.
 */
import { isPlainObject } from '../../labels/label-rules';
import { JsonPath, JsonValue } from '../manifests/kube-object';

/** The member `key` of an object or the item at index `key` of an array, if there is one. */
export function childOf(value: JsonValue | undefined, key: string | number): JsonValue | undefined {
  if (Array.isArray(value)) {
    const index = typeof key === 'number' ? key : /^(0|[1-9]\d*)$/.test(key) ? Number(key) : NaN;
    return Number.isInteger(index) ? value[index] : undefined;
  }
  if (isPlainObject(value) && Object.hasOwn(value, String(key))) {
    return (value as Record<string, JsonValue>)[String(key)];
  }
  return undefined;
}

/**
 * RFC 6901 tokens of a JSON pointer (`/a/b~1c` → `['a', 'b/c']`; `''` is
 * the whole document, `[]`), or undefined when it is not one.
 */
export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * A pointer's `tokens` as found in `value` (those that index an array
 * become numbers): one path, or none when `value` lacks that place.
 */
export function pointerPaths(value: JsonValue, tokens: readonly string[]): JsonPath[] {
  const found: (string | number)[] = [];
  let current: JsonValue | undefined = value;
  for (const token of tokens) {
    const key = Array.isArray(current) ? Number(token) : token;
    current = childOf(current, key);
    if (current === undefined) return [];
    found.push(key);
  }
  return [found];
}

/** The value at `path`, if there is one. */
export function valueAt(value: JsonValue, path: JsonPath): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const key of path) current = childOf(current, key);
  return current;
}

/** Removes `path` from `value` (in place); nothing when it is not there. */
export function removePath(value: JsonValue, path: JsonPath): void {
  const parent = valueAt(value, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (Number.isInteger(index) && index < parent.length) parent.splice(index, 1);
  } else if (isPlainObject(parent)) {
    delete (parent as Record<string, JsonValue>)[String(key)];
  }
}

/** Sets `path` in `value` (in place), creating the objects on the way (an array index past the end appends). */
export function setPath(value: JsonValue, path: JsonPath, item: JsonValue): void {
  let current = value;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const last = i === path.length - 1;
    if (Array.isArray(current)) {
      const index = Math.min(Number(key), current.length);
      if (last) current[index] = item;
      else current = current[index] ??= typeof path[i + 1] === 'number' ? [] : {};
    } else if (isPlainObject(current)) {
      const record = current as Record<string, JsonValue>;
      if (last) record[String(key)] = item;
      else {
        const next = record[String(key)];
        current =
          isPlainObject(next) || Array.isArray(next)
            ? next
            : (record[String(key)] = typeof path[i + 1] === 'number' ? [] : {});
      }
    } else {
      return;
    }
  }
}

/**
 * `paths` in an order safe for `removePath` one after the other: later array
 * items first, so removing one does not move the next.
 */
export function sortForRemoval(paths: readonly JsonPath[]): JsonPath[] {
  return [...paths].sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] === b[i]) continue;
      if (typeof a[i] === 'number' && typeof b[i] === 'number')
        return (b[i] as number) - (a[i] as number);
      return String(a[i]) < String(b[i]) ? -1 : 1;
    }
    return b.length - a.length;
  });
}

/** Where one rule found its fields in a target and in a source, each in the order found. */
export interface Selection {
  readonly inTarget: readonly JsonPath[];
  readonly inSource: readonly JsonPath[];
  /** The paths are fixed places (a JSON pointer), not list items found by what they hold. */
  readonly fixed?: boolean;
}

/**
 * A copy of `target` whose selected fields hold `source`'s values: the n-th
 * field a rule found in the target takes the value of the n-th it found in
 * the source (so an item found by its name keeps its own value when the two
 * lists order their items differently); one found in the target only is
 * removed; one found in the source only is added where that place is not a
 * guess (a fixed path, or one through objects only), so no list item is
 * created at an index the target does not share. `target` itself is
 * returned when nothing was found.
 */
export function withValuesOf<T>(target: T, source: JsonValue, selections: readonly Selection[]): T {
  if (selections.every((s) => s.inTarget.length === 0 && s.inSource.length === 0)) return target;
  const copy = structuredClone(target) as unknown as JsonValue;
  const removals: JsonPath[] = [];
  for (const { inTarget, inSource, fixed } of selections) {
    inSource.forEach((from, index) => {
      const to = index < inTarget.length ? inTarget[index] : from;
      if (index >= inTarget.length && !fixed && from.some(isIndex)) return;
      setPath(copy, to, structuredClone(valueAt(source, from)!));
    });
    removals.push(...inTarget.slice(inSource.length));
  }
  for (const path of sortForRemoval(removals)) removePath(copy, path);
  return copy as unknown as T;
}

function isIndex(key: string | number): boolean {
  return typeof key === 'number';
}
