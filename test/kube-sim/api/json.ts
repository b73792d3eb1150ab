/**
 * JSON values as the API server sees them, and the few structural helpers
 * every other module needs (pure functions). Stored objects are never
 * mutated after commit, so they can be shared between the store, the watch
 * history and responses; anything that edits an object works on a clone.
 */

export type Json = null | boolean | number | string | Json[] | JsonMap;
export interface JsonMap {
  [key: string]: Json;
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep copy of a JSON value. */
export function cloneJson<T extends Json>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  const out: JsonMap = {};
  for (const key of Object.keys(value)) {
    const child = (value as JsonMap)[key];
    if (child !== undefined) out[key] = cloneJson(child);
  }
  return out as T;
}

/**
 * Structural equality of JSON values; key order of objects does not matter,
 * list order does. `undefined` members count as absent.
 */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = definedKeys(a);
  const bKeys = definedKeys(b);
  if (aKeys.length !== bKeys.length) return false;
  for (const key of aKeys) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!jsonEqual(a[key], b[key])) return false;
  }
  return true;
}

function definedKeys(map: JsonMap): string[] {
  return Object.keys(map).filter((key) => map[key] !== undefined);
}

/** Own-property read that treats `__proto__` and friends as ordinary keys. */
export function own(map: JsonMap, key: string): Json | undefined {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

/** A child map, or undefined when absent or not a map. */
export function childMap(map: JsonMap | undefined, key: string): JsonMap | undefined {
  if (!map) return undefined;
  const child = own(map, key);
  return isJsonMap(child) ? child : undefined;
}

/** Reads a nested value by field names (`['spec', 'replicas']`). */
export function getPath(value: Json | undefined, path: readonly string[]): Json | undefined {
  let current: Json | undefined = value;
  for (const key of path) {
    if (!isJsonMap(current)) return undefined;
    current = own(current, key);
  }
  return current;
}

/** Sets a nested value, creating intermediate maps; mutates `target`. */
export function setPath(target: JsonMap, path: readonly string[], value: Json): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    const next = own(current, key);
    if (isJsonMap(next)) current = next;
    else {
      const created: JsonMap = {};
      current[key] = created;
      current = created;
    }
  }
  current[path[path.length - 1]] = value;
}

/** Sets `path` to `value` only when nothing is there yet (defaulting); mutates `target`. */
export function setDefault(target: JsonMap, path: readonly string[], value: Json): void {
  if (getPath(target, path) === undefined) setPath(target, path, value);
}

/** Object.create(null)-free map of string values, or undefined when absent or not all strings. */
export function stringMap(value: Json | undefined): Record<string, string> | undefined {
  if (!isJsonMap(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') return undefined;
    out[key] = item;
  }
  return out;
}
