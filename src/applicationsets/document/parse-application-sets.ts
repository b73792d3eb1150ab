/**
 * Reads ApplicationSet documents from YAML (several per text) or JSON (one
 * object) and validates each against the schema. Every problem names its
 * field path, rule, and line, and carries the document's index and the
 * caller's source name, so the REST API can answer all problems at once and
 * a Git source can apply the valid documents of a file while reporting the
 * others.
 */
import { ApplicationSet } from '../../argo/applicationset.types';
import { FieldProblem } from '../../common/field-problem';
import { unstorableTextProblems } from '../../common/storable-text';
import { isPlainObject } from '../../labels';
import { DocumentProblem } from './document-problem';
import { TextFormat, readDocuments } from './read-documents';
import { APPLICATION_SET_KIND, readApplicationSet } from './schema/application-set.schema';
import { SchemaContext, describeValue } from './schema/schema-context';
import { DEFAULT_READ_LIMITS, ReadLimits, SourceDocument } from './source-document';

export interface ParseOptions {
  /** Names the text in every problem (a file path in a Git source). */
  readonly source?: string;
  /**
   * Skip documents that are not ApplicationSets instead of reporting them:
   * a Git source path may also hold other YAML (Deployments, values files).
   */
  readonly ignoreOtherKinds?: boolean;
  /** Default `auto`: JSON when the text starts with `{`, YAML otherwise. */
  readonly format?: TextFormat;
  /** Overrides of DEFAULT_READ_LIMITS. */
  readonly limits?: Partial<ReadLimits>;
}

/** A valid ApplicationSet and where it came from. */
export interface ParsedApplicationSet {
  readonly applicationSet: ApplicationSet;
  /** 0-based position in the YAML stream (empty documents count). */
  readonly documentIndex: number;
  /** 1-based line where the document starts. */
  readonly line: number;
  readonly source?: string;
}

/**
 * A document that looked like an ApplicationSet (or could not be read at
 * all) and was refused. `name` is set when `metadata.name` could be read, so
 * a Git source can keep that ApplicationSet's previous version rather than
 * delete its Applications: a change must never come from an error
 * (semantics.md, "Changes never come from an error"). Without a name, the
 * caller cannot tell which ApplicationSet the document was and should keep
 * every ApplicationSet previously read from this source.
 */
export interface RejectedDocument {
  readonly documentIndex: number;
  readonly name?: string;
  readonly line?: number;
  readonly source?: string;
}

export interface ParseResult {
  readonly documents: ParsedApplicationSet[];
  /** Every problem of every document; a document with a problem is not in `documents`. */
  readonly problems: DocumentProblem[];
  /** Things that change nothing but deserve attention (ignored fields). */
  readonly warnings: DocumentProblem[];
  readonly rejected: RejectedDocument[];
}

/**
 * Parses and validates every ApplicationSet in `text` (pure function). Empty
 * documents are skipped; a document of another kind is a problem unless
 * `ignoreOtherKinds`. Problems of one document never hide the others.
 */
export function parseApplicationSets(text: string, options: ParseOptions = {}): ParseResult {
  const limits = { ...DEFAULT_READ_LIMITS, ...options.limits };
  const read = readDocuments(text, options.format ?? 'auto', limits);
  const withSource = <T extends object>(item: T) =>
    options.source === undefined ? item : { ...item, source: options.source };
  const problems: DocumentProblem[] = read.problems.map(withSource);
  const warnings: DocumentProblem[] = read.warnings.map(withSource);
  const rejected = new Map<number, RejectedDocument>();
  for (const problem of read.problems) {
    const index = problem.documentIndex ?? 0;
    if (!rejected.has(index)) {
      rejected.set(index, withSource({ documentIndex: index, line: problem.line }));
    }
  }

  const accepted: Accepted[] = [];
  for (const document of read.documents) {
    const checked = checkDocument(document, options.ignoreOtherKinds ?? false);
    if (checked === 'skipped') continue;
    const locate = (found: FieldProblem): DocumentProblem =>
      withSource({ ...found, ...document.locate(found.field), documentIndex: document.index });
    problems.push(...checked.problems.map(locate));
    warnings.push(...checked.warnings.map(locate));
    if (checked.applicationSet && checked.problems.length === 0) {
      accepted.push({
        parsed: withSource({
          applicationSet: checked.applicationSet,
          documentIndex: document.index,
          line: document.line,
        }),
        locate: document.locate,
      });
    } else if (!checked.otherKind) {
      rejected.set(
        document.index,
        withSource({ documentIndex: document.index, name: checked.name, line: document.line }),
      );
    }
  }

  const documents = refuseDuplicateNames(accepted, problems, rejected, withSource);
  return {
    documents,
    problems: sortByPosition(problems),
    warnings: sortByPosition(warnings),
    rejected: [...rejected.values()].sort((a, b) => a.documentIndex - b.documentIndex),
  };
}

interface Accepted {
  readonly parsed: ParsedApplicationSet;
  readonly locate: SourceDocument['locate'];
}

interface CheckedDocument {
  /** A document of another kind: reported, but no ApplicationSet was refused. */
  readonly otherKind?: boolean;
  readonly applicationSet?: ApplicationSet;
  readonly name?: string;
  readonly problems: readonly FieldProblem[];
  readonly warnings: readonly FieldProblem[];
}

function checkDocument(
  document: SourceDocument,
  ignoreOtherKinds: boolean,
): CheckedDocument | 'skipped' {
  const { value } = document;
  const kind = isPlainObject(value) ? value.kind : undefined;
  const looksLikeApplicationSet =
    isPlainObject(value) &&
    kind === APPLICATION_SET_KIND &&
    (value.apiVersion === undefined ||
      (typeof value.apiVersion === 'string' && value.apiVersion.startsWith('argoproj.io/')));
  if (!looksLikeApplicationSet && ignoreOtherKinds) return 'skipped';
  if (!isPlainObject(value)) {
    return {
      otherKind: true,
      problems: [
        {
          field: '',
          rule: 'type',
          message: `an ApplicationSet must be an object, found ${describeValue(value)}`,
        },
      ],
      warnings: [],
    };
  }
  if (typeof kind === 'string' && kind !== APPLICATION_SET_KIND) {
    return {
      otherKind: true,
      problems: [
        {
          field: 'kind',
          rule: 'kind',
          message: `expected an ApplicationSet, found a ${kind} document`,
        },
      ],
      warnings: [],
    };
  }
  const ctx = new SchemaContext();
  const applicationSet = readApplicationSet(ctx, value);
  return {
    applicationSet,
    name: nameOf(value.metadata),
    problems: [...document.valueProblems, ...unstorableTextProblems(value), ...ctx.problems],
    warnings: ctx.warnings,
  };
}

function nameOf(metadata: unknown): string | undefined {
  return isPlainObject(metadata) && typeof metadata.name === 'string' ? metadata.name : undefined;
}

/**
 * Two documents of one text with the same name would silently replace each
 * other (kubectl applies the last): both are refused instead.
 */
function refuseDuplicateNames(
  accepted: readonly Accepted[],
  problems: DocumentProblem[],
  rejected: Map<number, RejectedDocument>,
  withSource: <T extends object>(item: T) => T,
): ParsedApplicationSet[] {
  const counts = new Map<string, number>();
  for (const { parsed } of accepted) {
    const name = parsed.applicationSet.metadata.name;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return accepted
    .filter(({ parsed, locate }) => {
      const name = parsed.applicationSet.metadata.name;
      if ((counts.get(name) ?? 0) < 2) return true;
      problems.push(
        withSource({
          field: 'metadata.name',
          rule: 'duplicate-name',
          message: `another document of this text is also named ${JSON.stringify(name)}; both are refused`,
          ...locate('metadata.name'),
          documentIndex: parsed.documentIndex,
        }),
      );
      rejected.set(
        parsed.documentIndex,
        withSource({ documentIndex: parsed.documentIndex, name, line: parsed.line }),
      );
      return false;
    })
    .map(({ parsed }) => parsed);
}

function sortByPosition(problems: DocumentProblem[]): DocumentProblem[] {
  return problems.sort(
    (a, b) =>
      (a.documentIndex ?? 0) - (b.documentIndex ?? 0) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}
