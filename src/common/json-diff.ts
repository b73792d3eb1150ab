/**
 * The differences between two JSON values as a list of paths (pure
 * function), for showing what an update changes. Objects are compared key by
 * key; arrays of different lengths or contents are reported whole.
 */
export interface JsonChange {
  /** `spec.destination.name`, `metadata.labels['app.kubernetes.io/name']`, `spec.sources[0]`. */
  readonly path: string;
  /** Absent when the field is added. */
  readonly from?: unknown;
  /** Absent when the field is removed. */
  readonly to?: unknown;
}

export function jsonDiff(from: unknown, to: unknown, path = ''): JsonChange[] {
  if (deepEqual(from, to)) return [];
  if (isObject(from) && isObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    return keys.flatMap((key) => {
      const child = childPath(path, key);
      if (!(key in to)) return [{ path: child, from: from[key] }];
      if (!(key in from)) return [{ path: child, to: to[key] }];
      return jsonDiff(from[key], to[key], child);
    });
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    return from.flatMap((item, i) => jsonDiff(item, to[i], `${path}[${i}]`));
  }
  return [{ path, from, to }];
}

function childPath(parent: string, key: string): string {
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}['${key.replace(/'/g, "\\'")}']`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => k in b && deepEqual(a[k], b[k]))
    );
  }
  return false;
}
