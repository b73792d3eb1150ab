/**
 * Reads a JSON text holding one ApplicationSet object. JSON is YAML 1.2, so
 * the YAML reader parses it (locating every field by line, refusing
 * duplicate keys that `JSON.parse` would silently resolve to the last one);
 * `JSON.parse` then only confirms the text is strict JSON.
 */
import { isPlainObject } from '../../labels';
import { ReadLimits, ReadResult } from './source-document';
import { readYamlStream } from './yaml-documents';

/** Reads one JSON object (pure function of its input). */
export function readJsonObject(text: string, limits: ReadLimits): ReadResult {
  const read = readYamlStream(text, limits);
  if (read.problems.length > 0) return read;
  const strictProblem = strictJsonProblem(text);
  if (strictProblem) return failed(strictProblem);
  if (read.documents.length !== 1 || !isPlainObject(read.documents[0].value)) {
    return failed({ message: 'a JSON ApplicationSet must be a single object', line: 1, column: 1 });
  }
  return read;
}

interface Located {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

function failed(problem: Located): ReadResult {
  return {
    documents: [],
    problems: [{ field: '', rule: 'syntax', documentIndex: 0, ...problem }],
    warnings: [],
  };
}

/**
 * Undefined when `JSON.parse` accepts the text. V8's message may quote the
 * text; only its first clause is kept, and the position, when V8 gives it
 * (`at position N`, or a quoted context around an unexpected token), is
 * turned into a line and column.
 */
function strictJsonProblem(text: string): Located | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const message = `not valid JSON: ${raw.replace(/, (\.\.\.)?".*$/s, '')}`;
    const offset = errorOffset(raw, text);
    if (offset === undefined) return { message };
    const before = text.slice(0, offset).split('\n');
    return { message, line: before.length, column: before[before.length - 1].length + 1 };
  }
}

/** Characters V8 quotes before the offending token when it elides the start (`..."`). */
const V8_CONTEXT_BEFORE = 10;

/**
 * Where V8 says the text breaks: `at position N`, or, for `Unexpected token
 * 'x', ..."<context>"... is not valid JSON`, the token after the first ten
 * characters of the context. Undefined when that cannot be told for sure.
 */
function errorOffset(raw: string, text: string): number | undefined {
  const position = /at position (\d+)/.exec(raw);
  if (position) return Number(position[1]);
  const context =
    /^Unexpected token '(.)', (\.\.\.)?"([\s\S]*)"(?:\.\.\.)? is not valid JSON$/.exec(raw);
  if (!context) return undefined;
  const [, token, elided, quoted] = context;
  const start = text.indexOf(quoted);
  if (start < 0 || text.indexOf(quoted, start + 1) >= 0) return undefined;
  if (elided) {
    const offset = start + V8_CONTEXT_BEFORE;
    return text[offset] === token ? offset : undefined;
  }
  const first = quoted.indexOf(token);
  return first >= 0 && quoted.indexOf(token, first + 1) < 0 ? start + first : undefined;
}
