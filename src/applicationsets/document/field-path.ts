/**
 * The inverse of `fieldPath` (src/common/field-problem.ts): splits a printed
 * field path such as `spec.generators[1].clusters.selector.matchLabels['a/b']`
 * back into its keys and indexes, so a problem can be located in the YAML
 * text it came from.
 */

/** One step of a field path: an object key or a list index. */
export type PathSegment = string | number;

/**
 * Splits a path printed by `fieldPath` into segments (pure function).
 * Returns undefined for text `fieldPath` cannot have produced, so callers
 * fall back to the document's position instead of guessing.
 */
export function parseFieldPath(path: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === '[') {
      const parsed = path[i + 1] === "'" ? readQuoted(path, i + 2) : readIndex(path, i + 1);
      if (!parsed) return undefined;
      segments.push(parsed.segment);
      i = parsed.next;
      continue;
    }
    if (segments.length > 0) {
      if (path[i] !== '.') return undefined;
      i++;
    }
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path.slice(i));
    if (!match) return undefined;
    segments.push(match[0]);
    i += match[0].length;
  }
  return segments;
}

interface Parsed {
  readonly segment: PathSegment;
  readonly next: number;
}

function readIndex(path: string, start: number): Parsed | undefined {
  const match = /^(\d+)\]/.exec(path.slice(start));
  return match ? { segment: Number(match[1]), next: start + match[0].length } : undefined;
}

/** Reads `key']` with `\\` and `\'` escapes, as `fieldPath` writes them. */
function readQuoted(path: string, start: number): Parsed | undefined {
  let key = '';
  for (let i = start; i < path.length; i++) {
    const ch = path[i];
    if (ch === '\\' && i + 1 < path.length) {
      key += path[++i];
    } else if (ch === "'") {
      return path[i + 1] === ']' ? { segment: key, next: i + 2 } : undefined;
    } else {
      key += ch;
    }
  }
  return undefined;
}
