/**
 * Bounds on how deeply YAML text and JSON values nest (pure functions).
 *
 * Why: the `yaml` package composes documents recursively, and so do our
 * flatteners and renderers. A few kilobytes of `[[[[…` or `- - - - …` exhaust
 * the stack, and V8 does not always throw a catchable RangeError then: when a
 * regular expression is first compiled near the stack limit it aborts the
 * whole process ("RegExpCompiler Allocation failed - process out of memory"),
 * which one request body or one Git file must never be able to do. So depth
 * is measured first, without recursion: YAML from the package's lexer (a
 * state machine), JSON values with an explicit stack.
 */
import { CST, Lexer } from 'yaml';

/**
 * The deepest nesting accepted. Real ApplicationSets and generator files
 * stay far below (a template with Helm `valuesObject` is about 20 levels
 * deep); recursion stays safe far above.
 */
export const MAX_NESTING_DEPTH = 128;

/** Where a YAML text first nests deeper than allowed. */
export interface NestingViolation {
  /** Offset in the text of the token that went too deep. */
  readonly offset: number;
  readonly limit: number;
}

/**
 * The first place where `text` nests deeper than `limit`, or null. The depth
 * counted is an upper bound of the real one: flow collections (`[`, `{`) plus,
 * outside them, the enclosing indentation levels and the block indicators
 * (`- `, `? `, `: `) on the current line. Linear in the text, and stops at
 * the first violation.
 */
export function yamlNestingViolation(
  text: string,
  limit = MAX_NESTING_DEPTH,
): NestingViolation | null {
  let offset = 0;
  let flowDepth = 0;
  const indents: number[] = [];
  let lineIndent = 0;
  let lineIndicators = 0;
  let atLineStart = true;
  let lineHasContent = false;
  let skipNext = false;
  for (const token of new Lexer().lex(text)) {
    const at = offset;
    offset += token.length;
    if (skipNext) {
      // The source of a scalar, whatever characters it holds (block scalars included).
      skipNext = false;
      continue;
    }
    const type = CST.tokenType(token);
    if (type === 'newline') {
      atLineStart = true;
      lineIndent = 0;
      lineIndicators = 0;
      lineHasContent = false;
      continue;
    }
    if (type === 'doc-start' || type === 'doc-mode') {
      flowDepth = 0;
      indents.length = 0;
    }
    if (atLineStart && type === 'space') {
      lineIndent = token.length;
      continue;
    }
    atLineStart = false;
    if (type === 'space' || type === 'comment') continue;
    if (type === 'scalar') skipNext = true;
    if (flowDepth === 0 && !lineHasContent && type !== 'doc-mode') {
      lineHasContent = true;
      while (indents.length > 0 && indents[indents.length - 1] >= lineIndent) indents.pop();
      indents.push(lineIndent);
    }
    if (type === 'flow-seq-start' || type === 'flow-map-start') flowDepth++;
    else if (type === 'flow-seq-end' || type === 'flow-map-end')
      flowDepth = Math.max(0, flowDepth - 1);
    else if (
      flowDepth === 0 &&
      (type === 'seq-item-ind' || type === 'explicit-key-ind' || type === 'map-value-ind')
    ) {
      lineIndicators++;
    }
    if (indents.length + lineIndicators + flowDepth > limit) return { offset: at, limit };
  }
  return null;
}

/** True when a parsed JSON value nests deeper than `limit` (lists and maps count). */
export function jsonNestingExceeds(value: unknown, limit = MAX_NESTING_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
