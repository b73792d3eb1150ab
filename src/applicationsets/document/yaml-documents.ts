/**
 * Reads a multi-document YAML stream into plain values, refusing what is
 * dangerous or surprising rather than guessing: syntax errors, duplicate keys,
 * tags other than YAML 1.2's core ones (`!!binary`, `!foo`), non-scalar keys,
 * alias expansion beyond a limit, oversized documents. Positions are 1-based.
 */
import {
  Document,
  LineCounter,
  Node,
  Pair,
  isCollection,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit,
} from 'yaml';
import { fieldPath } from '../../common/field-problem';
import { DocumentProblem } from './document-problem';
import { locatorFor } from './node-locator';
import { ReadLimits, ReadResult, SourceDocument } from './source-document';

/**
 * Plain scalars that YAML 1.1 reads differently from YAML 1.2. Kubernetes
 * (sigs.k8s.io/yaml over go-yaml v2) reads `yes`/`on`/`off`/`y`/`n` as
 * booleans and `0755` as octal; the `yaml` package (YAML 1.2) reads them as
 * strings and decimals. Accepting them would make Fleetplane and Argo CD see
 * different values for the same file.
 */
const YAML11_BOOLEAN = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const YAML11_OCTAL = /^[-+]?0[0-7]+$/;

/** Options of the `yaml` parser: strict and bounded. */
function yamlParseOptions(lineCounter: LineCounter, limits: ReadLimits) {
  return {
    lineCounter,
    // Plain messages; the default "pretty" ones copy source context and, on
    // pathological nesting, exhaust memory building it.
    prettyErrors: false,
    uniqueKeys: true,
    // `<<: *anchor` merge keys, as kubectl accepts them.
    merge: true,
    // `!!binary`, `!!set`, `!!timestamp`... become unresolved-tag warnings, refused below.
    resolveKnownTags: false,
    maxAliasCount: limits.maxAliasCount,
  } as const;
}

/** Turns a text offset into a located problem position within document `index`. */
type Locate = (offset: number) => { line: number; column: number; documentIndex: number };

/** Reads every document of a YAML stream (pure function of its input). */
export function readYamlStream(text: string, limits: ReadLimits): ReadResult {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, yamlParseOptions(lineCounter, limits));
  const documents: SourceDocument[] = [];
  const problems: DocumentProblem[] = [];
  const warnings: DocumentProblem[] = [];
  Array.from(parsed).forEach((document, index) => {
    const at: Locate = (offset) => {
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col, documentIndex: index };
    };
    warnings.push(...parserWarnings(document, at));
    const refused = readProblems(document, text, limits, at);
    if (refused.length > 0) {
      problems.push(...refused);
      return;
    }
    if (isEmptyDocument(document)) return;
    const value = toPlainValue(document, limits);
    if ('problem' in value) {
      problems.push({ field: '', ...value.problem, ...at(document.range[0]) });
      return;
    }
    const locate = locatorFor(document, lineCounter);
    documents.push({
      index,
      value: value.value,
      line: locate('')?.line ?? at(document.range[0]).line,
      locate,
      valueProblems: ambiguousScalars(document).map(({ field, offset, source }) => ({
        field,
        rule: 'yaml-1.1-ambiguous',
        message: `the unquoted value ${source} means something else to Kubernetes and Argo CD (YAML 1.1: a boolean or an octal number) than to YAML 1.2; quote it, or write true/false`,
        ...at(offset),
      })),
    });
  });
  return { documents, problems, warnings };
}

/** Why a document cannot be read: size, syntax, duplicate keys, tags, complex keys. */
function readProblems(
  document: Document.Parsed,
  text: string,
  limits: ReadLimits,
  at: Locate,
): DocumentProblem[] {
  const [start, , end] = document.range;
  const size = Buffer.byteLength(text.slice(start, end));
  if (size > limits.maxDocumentBytes) {
    return [
      {
        field: '',
        rule: 'size-limit',
        message: `the document is ${size} bytes; at most ${limits.maxDocumentBytes} are accepted`,
        ...at(start),
      },
    ];
  }
  return [
    ...document.errors.map((error) => ({
      field: error.code === 'DUPLICATE_KEY' ? keyPathAt(document, error.pos[0]) : '',
      rule: error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'syntax',
      message:
        error.code === 'DUPLICATE_KEY'
          ? `duplicate key ${keyTextAt(text, error.pos[0])}: map keys must be unique`
          : error.message,
      ...at(error.pos[0]),
    })),
    ...document.warnings
      .filter((warning) => warning.code === 'TAG_RESOLVE_FAILED')
      .map((warning) => ({
        field: '',
        rule: 'yaml-tag',
        message: `${warning.message.replace(/ at line .*$/s, '')}; only the YAML 1.2 core tags (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq) are accepted`,
        ...at(warning.pos[0]),
      })),
    ...complexKeyProblems(document).map((offset) => ({
      field: '',
      rule: 'yaml-complex-key',
      message: 'a mapping key must be a string, not a list or a mapping',
      ...at(offset),
    })),
  ];
}

/** The parser's other warnings, passed on: they change nothing in the value read. */
function parserWarnings(document: Document, at: Locate): DocumentProblem[] {
  return document.warnings
    .filter((warning) => warning.code !== 'TAG_RESOLVE_FAILED')
    .map((warning) => ({
      field: '',
      rule: 'yaml',
      message: warning.message,
      ...at(warning.pos[0]),
    }));
}

/** The field path of the map key written at `offset` (`spec.generators`), or '' if none starts there. */
function keyPathAt(document: Document, offset: number): string {
  let found = '';
  visit(document, {
    Pair(_, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.range?.[0] !== offset) return undefined;
      found = fieldOf(ancestors, pair as unknown as Node);
      return visit.BREAK;
    },
  });
  return found;
}

/** The key written at `offset`: a quoted string, or plain text up to `:`. */
function keyTextAt(text: string, offset: number): string {
  const quoted = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*')/.exec(text.slice(offset, offset + 300));
  if (quoted) return quoted[0];
  return JSON.stringify(/^[^:\n]*/.exec(text.slice(offset, offset + 300))?.[0].trim() ?? '');
}

/** Empty documents (`---` alone, comments only, or `~`) are skipped, not errors. */
function isEmptyDocument(document: Document): boolean {
  const contents = document.contents;
  return contents === null || (isScalar(contents) && contents.value === null);
}

function toPlainValue(
  document: Document,
  limits: ReadLimits,
): { value: unknown } | { problem: { rule: string; message: string } } {
  try {
    return { value: document.toJS({ maxAliasCount: limits.maxAliasCount }) };
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return {
        problem: {
          rule: 'yaml-alias-limit',
          message: `aliases expand to too many nodes (more than ${limits.maxAliasCount}); this is how "billion laughs" documents exhaust memory`,
        },
      };
    }
    return { problem: { rule: 'syntax', message: `cannot read the document: ${String(error)}` } };
  }
}

function complexKeyProblems(document: Document): number[] {
  const offsets: number[] = [];
  visit(document, {
    Pair(_, pair) {
      if (isCollection(pair.key)) offsets.push(pair.key.range?.[0] ?? 0);
    },
  });
  return offsets;
}

interface AmbiguousScalar {
  readonly field: string;
  readonly offset: number;
  readonly source: string;
}

function ambiguousScalars(document: Document): AmbiguousScalar[] {
  const found: AmbiguousScalar[] = [];
  visit(document, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || node.type !== 'PLAIN' || typeof node.source !== 'string') return;
      if (!YAML11_BOOLEAN.test(node.source) && !YAML11_OCTAL.test(node.source)) return;
      found.push({
        field: fieldOf(ancestors, node),
        offset: node.range?.[0] ?? 0,
        source: node.source,
      });
    },
  });
  return found;
}

/** The printed field path of a node from its ancestors (Document, collections and pairs). */
function fieldOf(ancestors: readonly unknown[], node: Node): string {
  let field = '';
  const chain = [...ancestors, node];
  chain.forEach((current, i) => {
    const child = chain[i + 1];
    if (isPair(current)) {
      const key = (current as Pair).key;
      field = fieldPath(field, isScalar(key) ? String(key.value) : '?');
    } else if (isSeq(current) && child !== undefined) {
      field = fieldPath(field, current.items.indexOf(child as Node));
    }
  });
  return field;
}
