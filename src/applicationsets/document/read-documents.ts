/**
 * Chooses the reader for a text (YAML stream or JSON object) and enforces
 * the limits that must hold before any parsing starts.
 */
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

function refused(message: string): ReadResult {
  return {
    documents: [],
    problems: [{ field: '', rule: 'size-limit', message, line: 1, column: 1 }],
    warnings: [],
  };
}
