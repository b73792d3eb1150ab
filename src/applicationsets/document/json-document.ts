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
 * text; only its first clause is kept, and `at position N`, when given, is
 * turned into a line and column.
 */
function strictJsonProblem(text: string): Located | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const message = `not valid JSON: ${raw.replace(/, ".*$/s, '')}`;
    const match = /at position (\d+)/.exec(raw);
    if (!match) return { message };
    const before = text.slice(0, Number(match[1])).split('\n');
    return { message, line: before.length, column: before[before.length - 1].length + 1 };
  }
}
