/**
 * Chooses the reader for a text (YAML stream or JSON object) and enforces
 * the limits that must hold before any parsing starts.
 */
import { yamlNestingViolation } from '../../common/nesting-depth';
import { readJsonObject } from './json-document';
import { ReadLimits, ReadResult } from './source-document';
import { readYamlStream } from './yaml-documents';

/** `auto` reads a text whose first non-blank character is `{` as JSON, anything else as YAML. */
export type TextFormat = 'auto' | 'yaml' | 'json';

const DOCUMENT_MARKER = /^---(?=[ \t\r\n]|$)/gm;

/** Reads a text into documents, refusing it whole when it is too large (pure function). */
export function readDocuments(text: string, format: TextFormat, limits: ReadLimits): ReadResult {
  const body = text.replace(/^\uFEFF/, '');
  const size = Buffer.byteLength(body);
  if (size > limits.maxTextBytes) {
    return refused(`the text is ${size} bytes; at most ${limits.maxTextBytes} are accepted`);
  }
  const tooDeep = yamlNestingViolation(body);
  if (tooDeep) return refusedTooDeep(body, tooDeep.offset, tooDeep.limit);
  const json = format === 'json' || (format === 'auto' && body.trimStart().startsWith('{'));
  if (json) return readJsonObject(body, limits);
  const markers = body.match(DOCUMENT_MARKER)?.length ?? 0;
  if (markers + 1 > limits.maxDocuments) {
    return refused(
      `the text holds about ${markers + 1} documents; at most ${limits.maxDocuments} are accepted`,
    );
  }
  return readYamlStream(body, limits);
}

/**
 * Refuses a text that nests too deeply before the parser sees it: the
 * parser recurses per level, and on a few kilobytes of `[[[[…` it can abort
 * the process instead of failing (see nesting-depth.ts).
 */
function refusedTooDeep(text: string, offset: number, limit: number): ReadResult {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const documentIndex = before.match(DOCUMENT_MARKER)?.length ?? 0;
  return {
    documents: [],
    problems: [
      {
        field: '',
        rule: 'nesting-limit',
        message: `the text nests deeper than ${limit} levels of lists and maps`,
        line,
        column,
        documentIndex,
      },
    ],
    warnings: [],
  };
}

function refused(message: string): ReadResult {
  return {
    documents: [],
    problems: [{ field: '', rule: 'size-limit', message, line: 1, column: 1 }],
    warnings: [],
  };
}
