/**
 * Splits YAML text into documents and decodes each to plain JSON values, with
 * the 1-based line every document starts on. Errors come back as values with
 * a fixed description per error code, so no fragment of the (possibly
 * secret) text ever reaches a message.
 *
 * Scalars resolve as Kubernetes tooling resolves them (sigs.k8s.io/yaml on
 * go-yaml v2, YAML 1.1): `yes`/`no`/`on`/`off` are booleans and `0777` is
 * octal. Two YAML 1.1 forms go-yaml v2 never decodes stay strings here too:
 * sexagesimal numbers (`8080:80`) and timestamps (`2024-01-01`). Deliberate
 * difference: a duplicate mapping key is an error (go-yaml v2 silently keeps
 * the last one, which hides mistakes).
 */
import { LineCounter, parseAllDocuments, type ErrorCode, type Tags } from 'yaml';
import { MAX_NESTING_DEPTH, yamlNestingViolation } from '../../common/nesting-depth';
import { JsonValue } from './kube-object';

/** One `---`-separated document of a YAML stream. */
export type YamlDocument =
  | { readonly index: number; readonly line: number; readonly value: JsonValue }
  | { readonly index: number; readonly line: number; readonly error: string };

/** The tag names go-yaml v2 resolves on its own; the rest of YAML 1.1's tags are left out. */
const KEPT_TAGS = new Set([
  'tag:yaml.org,2002:map',
  'tag:yaml.org,2002:seq',
  'tag:yaml.org,2002:str',
  'tag:yaml.org,2002:null',
  'tag:yaml.org,2002:bool',
  'tag:yaml.org,2002:int',
  'tag:yaml.org,2002:float',
  'tag:yaml.org,2002:merge',
]);

function goYamlTags(tags: Tags): Tags {
  return tags.filter(
    (tag) => typeof tag === 'object' && KEPT_TAGS.has(tag.tag) && tag.format !== 'TIME',
  );
}

/** Fixed wording per parser error code: says what is wrong without quoting the text. */
const ERROR_DESCRIPTIONS: Partial<Record<ErrorCode, string>> = {
  ALIAS_PROPS: 'an alias cannot carry a tag or an anchor',
  BAD_ALIAS: 'an alias refers to an anchor that is not defined',
  BAD_DIRECTIVE: 'a directive is malformed',
  BAD_DQ_ESCAPE: 'a double-quoted string has an invalid escape sequence',
  BAD_INDENT: 'the indentation is inconsistent',
  BAD_PROP_ORDER: 'an anchor or tag is misplaced',
  BAD_SCALAR_START: 'a plain value starts with a reserved character',
  BLOCK_AS_IMPLICIT_KEY: 'a block mapping or sequence stands where a key was expected',
  BLOCK_IN_FLOW: 'a block value appears inside a flow collection',
  DUPLICATE_KEY: 'a mapping has the same key twice',
  KEY_OVER_1024_CHARS: 'a mapping key is longer than 1024 characters',
  MISSING_CHAR: 'a closing quote or bracket is missing',
  MULTILINE_IMPLICIT_KEY: 'a mapping key spans several lines',
  MULTIPLE_ANCHORS: 'a node has more than one anchor',
  MULTIPLE_TAGS: 'a node has more than one tag',
  NON_STRING_KEY: 'a mapping key is not a string',
  TAB_AS_INDENT: 'a tab is used for indentation',
  UNEXPECTED_TOKEN: 'an unexpected token was found',
  BAD_COLLECTION_TYPE: 'a collection has a tag of the wrong kind',
};

/** Aliases allowed per document; guards against "billion laughs" expansion. */
const MAX_ALIAS_COUNT = 100;

/**
 * Parses a YAML stream (pure function). Documents with no content (only
 * comments, or an explicit null) are returned with value `null`; the caller
 * decides to skip them. A document that fails to parse yields `error` and
 * does not stop the others from being read.
 */
export function splitYamlDocuments(text: string): YamlDocument[] {
  // A few kilobytes of `[[[[` in a Git file must not take the worker down (see nesting-depth.ts).
  const tooDeep = yamlNestingViolation(text);
  if (tooDeep) {
    return [
      {
        index: 1,
        line: text.slice(0, tooDeep.offset).split('\n').length,
        error: `the text nests deeper than ${MAX_NESTING_DEPTH} levels`,
      },
    ];
  }
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    version: '1.1',
    customTags: goYamlTags,
    merge: true,
    uniqueKeys: true,
    prettyErrors: false,
    lineCounter,
  });
  if (!Array.isArray(documents)) return [];
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  return documents.map((document, i) => {
    const index = i + 1;
    const start = document.contents?.range?.[0] ?? document.range[0];
    const firstError = document.errors[0];
    if (firstError) {
      const description = ERROR_DESCRIPTIONS[firstError.code] ?? 'the text is not valid YAML';
      return { index, line: lineAt(firstError.pos[0]), error: description };
    }
    try {
      const value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as JsonValue | undefined;
      return { index, line: lineAt(start), value: value ?? null };
    } catch {
      // toJS throws on alias abuse (too many, or an alias to a later anchor).
      return { index, line: lineAt(start), error: 'aliases are used too often or wrongly' };
    }
  });
}
