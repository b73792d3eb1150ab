/**
 * Go's `path.Match` (Go 1.20+), which the Git directory generator uses to
 * test each directory against `directories[].path` (semantics.md §1.4):
 * `*` matches any run of non-`/` characters, `?` one non-`/` character,
 * `[...]`/`[^...]` a class with ranges, `\` escapes; the whole name must
 * match. A pure function, ported line by line so edge cases agree.
 */

/** The pattern is malformed (Go's `path.ErrBadPattern`). */
export class BadPatternError extends Error {
  constructor(pattern: string) {
    super(`syntax error in pattern ${JSON.stringify(pattern)}`);
    this.name = 'BadPatternError';
  }
}

/** True when `name` matches `pattern` entirely. Throws BadPatternError for a malformed pattern. */
export function goPathMatch(pattern: string, name: string): boolean {
  const bad = (): never => {
    throw new BadPatternError(pattern);
  };
  let p = Array.from(pattern);
  let s = Array.from(name);
  pattern: while (p.length > 0) {
    const { star, chunk, rest } = scanChunk(p);
    p = rest;
    if (star && chunk.length === 0) return !s.includes('/');
    const here = matchChunk(chunk, s, bad);
    if (here !== null && (here.length === 0 || p.length > 0)) {
      s = here;
      continue;
    }
    if (star) {
      for (let i = 0; i < s.length && s[i] !== '/'; i++) {
        const later = matchChunk(chunk, s.slice(i + 1), bad);
        if (later !== null) {
          if (p.length === 0 && later.length > 0) continue;
          s = later;
          continue pattern;
        }
      }
    }
    // Go checks the rest of the pattern is well-formed before answering false.
    while (p.length > 0) {
      const next = scanChunk(p);
      p = next.rest;
      matchChunk(next.chunk, [], bad);
    }
    return false;
  }
  return s.length === 0;
}

function scanChunk(pattern: string[]): { star: boolean; chunk: string[]; rest: string[] } {
  let start = 0;
  while (start < pattern.length && pattern[start] === '*') start++;
  let inRange = false;
  let i = start;
  scan: for (; i < pattern.length; i++) {
    switch (pattern[i]) {
      case '\\':
        if (i + 1 < pattern.length) i++;
        break;
      case '[':
        inRange = true;
        break;
      case ']':
        inRange = false;
        break;
      case '*':
        if (!inRange) break scan;
    }
  }
  return { star: start > 0, chunk: pattern.slice(start, i), rest: pattern.slice(i) };
}

/** The rest of `s` after `chunk` matched its start, or null. Keeps parsing after a mismatch to detect bad patterns. */
function matchChunk(chunk: string[], input: string[], bad: () => never): string[] | null {
  let failed = false;
  let c = 0;
  let s = 0;
  while (c < chunk.length) {
    if (!failed && s >= input.length) failed = true;
    switch (chunk[c]) {
      case '[': {
        const char = failed ? '' : input[s++];
        c++;
        let negated = false;
        if (c < chunk.length && chunk[c] === '^') {
          negated = true;
          c++;
        }
        let matched = false;
        let ranges = 0;
        for (;;) {
          if (c < chunk.length && chunk[c] === ']' && ranges > 0) {
            c++;
            break;
          }
          const low = escapedChar(chunk, c, bad);
          c = low.next;
          let high = low.char;
          if (chunk[c] === '-') {
            const upper = escapedChar(chunk, c + 1, bad);
            high = upper.char;
            c = upper.next;
          }
          if (!failed && inRange(char, low.char, high)) matched = true;
          ranges++;
        }
        if (matched === negated) failed = true;
        break;
      }
      case '?':
        if (!failed) {
          if (input[s] === '/') failed = true;
          s++;
        }
        c++;
        break;
      case '\\':
        c++;
        if (c >= chunk.length) bad();
        if (!failed && chunk[c] !== input[s++]) failed = true;
        c++;
        break;
      default:
        if (!failed && chunk[c] !== input[s++]) failed = true;
        c++;
    }
  }
  return failed ? null : input.slice(s);
}

/** Compares code points, not UTF-16 units, as Go compares runes. */
function inRange(char: string, low: string, high: string): boolean {
  const code = char.codePointAt(0) ?? -1;
  return (low.codePointAt(0) ?? 0) <= code && code <= (high.codePointAt(0) ?? 0);
}

/** Go's `getEsc`: one possibly escaped class character; a class may not end right after it. */
function escapedChar(
  chunk: string[],
  at: number,
  bad: () => never,
): { char: string; next: number } {
  let i = at;
  if (i >= chunk.length || chunk[i] === '-' || chunk[i] === ']') bad();
  if (chunk[i] === '\\') {
    i++;
    if (i >= chunk.length) bad();
  }
  const next = i + 1;
  if (next >= chunk.length) bad();
  return { char: chunk[i], next };
}
