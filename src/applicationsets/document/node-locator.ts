/**
 * Finds where a field sits in parsed YAML (or JSON) text, so every problem
 * can name a line. Works on the `yaml` package's syntax tree; positions are
 * 1-based and count from the start of the whole text, not of the document.
 */
import { Document, LineCounter, Node, isAlias, isMap, isScalar, isSeq } from 'yaml';
import { PathSegment, parseFieldPath } from './field-path';

/** A 1-based line and column in the text. */
export interface TextPosition {
  readonly line: number;
  readonly column: number;
}

/** Returns the position of the node a printed field path names. */
export type Locator = (field: string) => TextPosition | undefined;

/**
 * Builds the locator of one document. A field that exists points at its key
 * (for map entries) or its item (for list entries); a missing field points
 * at the deepest ancestor that exists, which is where the user must add it.
 */
export function locatorFor(document: Document, lineCounter: LineCounter): Locator {
  return (field) => {
    const segments = parseFieldPath(field);
    const offset = segments === undefined ? undefined : offsetOf(document, segments);
    const fallback = document.contents?.range?.[0];
    const at = offset ?? fallback;
    if (at === undefined) return undefined;
    const { line, col } = lineCounter.linePos(at);
    return { line, column: col };
  };
}

function offsetOf(document: Document, segments: readonly PathSegment[]): number | undefined {
  let node: unknown = document.contents;
  let offset = rangeStart(node);
  for (const segment of segments) {
    if (isAlias(node)) node = node.resolve(document);
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
