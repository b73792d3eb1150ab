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
