/**
 * Typed reads of live-object fields for health checks. gitops-engine first
 * converts an object to its Go type, which fails on a field of the wrong
 * type (the health then becomes Unknown); these readers do the same by
 * throwing `FieldTypeError`. A missing field reads as undefined, so callers
 * apply Go's zero value (`?? 0`, `?? ''`) exactly where Go would.
 */
import { JsonObject, isJsonObject } from '../manifests/kube-object';

/** A live field holds a value of the wrong type; the health check cannot judge it. */
export class FieldTypeError extends Error {
  constructor(path: readonly string[], expected: string) {
    super(`${path.join('.')} must be ${expected}`);
    this.name = 'FieldTypeError';
  }
}

function walk(root: unknown, path: readonly string[]): unknown {
  let current = root;
  for (let i = 0; i < path.length; i++) {
    if (current === undefined || current === null) return undefined;
    if (!isJsonObject(current)) throw new FieldTypeError(path.slice(0, i), 'an object');
    current = current[path[i]];
  }
  return current ?? undefined;
}

/** An integer field, or undefined when absent. */
export function readInt(root: unknown, path: readonly string[]): number | undefined {
  const value = walk(root, path);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new FieldTypeError(path, 'an integer');
  return value;
}

/** A string field, or undefined when absent. */
export function readString(root: unknown, path: readonly string[]): string | undefined {
  const value = walk(root, path);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new FieldTypeError(path, 'a string');
  return value;
}

/** A boolean field, or undefined when absent. */
export function readBool(root: unknown, path: readonly string[]): boolean | undefined {
  const value = walk(root, path);
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new FieldTypeError(path, 'a boolean');
  return value;
}

/** A list of objects, or `[]` when absent. */
export function readObjects(root: unknown, path: readonly string[]): JsonObject[] {
  const value = walk(root, path);
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isJsonObject))
    throw new FieldTypeError(path, 'a list of objects');
  return value as JsonObject[];
}

/** An object field, or undefined when absent. */
export function readObject(root: unknown, path: readonly string[]): JsonObject | undefined {
  const value = walk(root, path);
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) throw new FieldTypeError(path, 'an object');
  return value;
}

/** A status condition as the health checks read it. */
export interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
}

/** Every `status.conditions` entry, with absent strings read as `''`. */
export function readConditions(root: unknown): Condition[] {
  return readObjects(root, ['status', 'conditions']).map((condition, i) => {
    const at = (field: string) => readString(condition, [field]) ?? '';
    try {
      return {
        type: at('type'),
        status: at('status'),
        reason: at('reason'),
        message: at('message'),
      };
    } catch {
      throw new FieldTypeError(['status', 'conditions', String(i)], 'a condition of strings');
    }
  });
}

/** The first condition of a type, as gitops-engine's `get*Condition` helpers find it. */
export function findCondition(root: unknown, type: string): Condition | undefined {
  return readConditions(root).find((condition) => condition.type === type);
}
