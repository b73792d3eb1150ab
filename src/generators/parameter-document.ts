/**
 * Parses the YAML or JSON that generators read (Git files, `elementsYaml`)
 * the way Argo CD's `sigs.k8s.io/yaml` does (pure function): YAML 1.1 scalars
 * (`yes`/`on` are booleans, `0777` is octal), dates left as strings, numbers
 * as float64, first document only. JSON is tried first because JSON indented
 * with tabs is valid JSON but not valid YAML (semantics.md §1.5).
 */
import { DocumentOptions, ParseOptions, SchemaOptions, parseAllDocuments } from 'yaml';
import {
  MAX_NESTING_DEPTH,
  jsonNestingExceeds,
  yamlNestingViolation,
} from '../common/nesting-depth';

/** Unparseable input. The message gives a position, never the content. */
export class DocumentParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DocumentParseError';
  }
}

const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: '1.1',
  // goyaml.v2 keeps timestamps as strings when decoding into interface{} and
  // has no sexagesimal numbers (`1:20` stays a string).
  customTags: (tags) =>
    tags.filter((tag) => {
      if (typeof tag === 'string')
        return tag !== 'timestamp' && tag !== 'intTime' && tag !== 'floatTime';
      return tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME';
    }),
  uniqueKeys: false,
  prettyErrors: true, // computes linePos; the message (which quotes the source) is never used
  logLevel: 'error',
};

/** Deep nesting is refused before anything recurses over it (see nesting-depth.ts). */
function tooDeep(where = ''): DocumentParseError {
  return new DocumentParseError(
    `it nests deeper than ${MAX_NESTING_DEPTH} levels of lists and maps${where}`,
  );
}

/**
 * The first document of `text` as plain JSON values; null for an empty
 * document. Throws DocumentParseError.
 */
export function parseParameterDocument(text: string): unknown {
  let json: { value: unknown } | undefined;
  try {
    json = { value: JSON.parse(text) as unknown };
  } catch {
    // Not JSON: read it as YAML.
  }
  if (json) {
    if (jsonNestingExceeds(json.value)) throw tooDeep();
    return json.value;
  }
  const violation = yamlNestingViolation(text);
  if (violation) {
    const before = text.slice(0, violation.offset);
    throw tooDeep(` at line ${before.split('\n').length}`);
  }
  const documents = parseAllDocuments(text, YAML_OPTIONS);
  if (!Array.isArray(documents)) return null; // only comments or whitespace
  const [document] = documents;
  if (!document) return null;
  const [error] = document.errors;
  if (error) {
    const [position] = error.linePos ?? [];
    const where = position ? ` at line ${position.line}, column ${position.col}` : '';
    throw new DocumentParseError(`invalid YAML${where} (${error.code})`);
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 100 });
  } catch {
    throw new DocumentParseError('invalid YAML (an alias is used too often)');
  }
  try {
    // Plain JSON values only: no cycles from self-referencing aliases, no Maps or binary.
    return JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
  } catch {
    throw new DocumentParseError('invalid YAML (an alias refers to the node that contains it)');
  }
}
