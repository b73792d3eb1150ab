/**
 * Git's `wildmatch` (wildmatch.c) without `WM_PATHNAME` and `WM_CASEFOLD`, the
 * mode `git ls-files -- <pattern>` uses for ordinary pathspecs: `*` and `**`
 * both match any bytes including `/`, `?` any one byte, `[...]` classes with
 * `!`/`^` negation, ranges and `[:alpha:]`-style names, `\` escapes. Works on
 * UTF-8 bytes as Git does (pure function).
 */

const MATCH = 0;
const NO_MATCH = 1;
const ABORT_ALL = -1;

const STAR = 0x2a;
const QUESTION = 0x3f;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const BACKSLASH = 0x5c;
const DASH = 0x2d;
const COLON = 0x3a;
const BANG = 0x21;
const CARET = 0x5e;

/** True when the whole of `text` matches `pattern`. */
export function wildmatch(pattern: string, text: string): boolean {
  return dowild(Buffer.from(pattern, 'utf8'), 0, Buffer.from(text, 'utf8'), 0) === MATCH;
}

function dowild(p: Uint8Array, start: number, t: Uint8Array, textStart: number): number {
  let ti = textStart;
  for (let pi = start; pi < p.length; ti++, pi++) {
    let pch = p[pi];
    if (ti >= t.length && pch !== STAR) return ABORT_ALL;
    const tch = t[ti];
    switch (pch) {
      case BACKSLASH:
        // A trailing backslash compares against NUL and so never matches.
        pch = pi + 1 < p.length ? p[++pi] : 0;
        if (tch !== pch) return NO_MATCH;
        continue;
      case QUESTION:
        continue;
      case STAR: {
        while (pi + 1 < p.length && p[pi + 1] === STAR) pi++;
        pi++;
        if (pi >= p.length) return MATCH; // a trailing star matches everything, '/' included
        for (;;) {
          if (ti >= t.length) break;
          if (!isGlobSpecial(p[pi])) {
            // Advance to the next occurrence of the literal that follows the star.
            while (ti < t.length && t[ti] !== p[pi]) ti++;
            if (ti >= t.length) return NO_MATCH;
          }
          const matched = dowild(p, pi, t, ti);
          if (matched !== NO_MATCH) return matched;
          ti++;
        }
        return ABORT_ALL;
      }
      case OPEN_BRACKET: {
        const result = matchClass(p, pi, tch);
        if (result.outcome !== MATCH) return result.outcome;
        pi = result.end;
        continue;
      }
      default:
        if (tch !== pch) return NO_MATCH;
    }
  }
  return ti < t.length ? NO_MATCH : MATCH;
}

/** A `[...]` class at `p[open]` against byte `tch`: the outcome and the index of its `]`. */
function matchClass(p: Uint8Array, open: number, tch: number): { outcome: number; end: number } {
  let pi = open + 1;
  let pch = at(p, pi);
  if (pch === CARET) pch = BANG;
  const negated = pch === BANG;
  if (negated) pch = at(p, ++pi);
  let previous = 0;
  let matched = false;
  do {
    if (!pch) return { outcome: ABORT_ALL, end: pi };
    if (pch === BACKSLASH) {
      pch = at(p, ++pi);
      if (!pch) return { outcome: ABORT_ALL, end: pi };
      if (tch === pch) matched = true;
    } else if (pch === DASH && previous && at(p, pi + 1) && at(p, pi + 1) !== CLOSE_BRACKET) {
      pch = at(p, ++pi);
      if (pch === BACKSLASH) {
        pch = at(p, ++pi);
        if (!pch) return { outcome: ABORT_ALL, end: pi };
      }
      if (tch <= pch && tch >= previous) matched = true;
      pch = 0; // so that `previous` becomes 0: a range cannot start a range
    } else if (pch === OPEN_BRACKET && at(p, pi + 1) === COLON) {
      const nameStart = pi + 2;
      let close = nameStart;
      while (at(p, close) && at(p, close) !== CLOSE_BRACKET) close++;
      if (!at(p, close)) return { outcome: ABORT_ALL, end: close };
      if (close - nameStart - 1 < 0 || at(p, close - 1) !== COLON) {
        // No ":]": treat the "[" as an ordinary member of the set.
        pch = OPEN_BRACKET;
        if (tch === pch) matched = true;
      } else {
        const test = CHARACTER_CLASSES.get(
          Buffer.from(p.subarray(nameStart, close - 1)).toString('latin1'),
        );
        if (!test) return { outcome: ABORT_ALL, end: close }; // malformed [:class:]
        if (test(tch)) matched = true;
        pi = close;
        pch = 0;
      }
    } else if (tch === pch) {
      matched = true;
    }
    previous = pch;
    pch = at(p, ++pi);
  } while (pch !== CLOSE_BRACKET);
  return { outcome: matched === negated ? NO_MATCH : MATCH, end: pi };
}

/** The byte at `index`, or 0 (C's NUL terminator) past the end. */
function at(bytes: Uint8Array, index: number): number {
  return index < bytes.length ? bytes[index] : 0;
}

function isGlobSpecial(byte: number): boolean {
  return byte === STAR || byte === QUESTION || byte === OPEN_BRACKET || byte === BACKSLASH;
}

const between = (low: number, high: number) => (c: number) => c >= low && c <= high;
const isDigit = between(0x30, 0x39);
const isLower = between(0x61, 0x7a);
const isUpper = between(0x41, 0x5a);
const isAlpha = (c: number) => isLower(c) || isUpper(c);
const isAlnum = (c: number) => isAlpha(c) || isDigit(c);
const isGraph = between(0x21, 0x7e);

/** Git's ASCII-only ctype (git-compat-util.h `sane_ctype`). */
const CHARACTER_CLASSES = new Map<string, (c: number) => boolean>([
  ['alnum', isAlnum],
  ['alpha', isAlpha],
  ['blank', (c) => c === 0x20 || c === 0x09],
  ['cntrl', (c) => c < 0x20 || c === 0x7f],
  ['digit', isDigit],
  ['graph', isGraph],
  ['lower', isLower],
  ['print', between(0x20, 0x7e)],
  ['punct', (c) => isGraph(c) && !isAlnum(c)],
  ['space', (c) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d],
  ['upper', isUpper],
  ['xdigit', (c) => isDigit(c) || between(0x61, 0x66)(c) || between(0x41, 0x46)(c)],
]);
