/**
 * What reading a text (YAML stream or JSON object) yields before any schema
 * is applied: the documents that could be read, each able to locate its own
 * fields, and the problems of those that could not.
 */
import { DocumentProblem } from './document-problem';
import { Locator } from './node-locator';

/** One readable, non-empty document of the text. */
export interface SourceDocument {
  /** 0-based position in the stream; empty documents count. */
  readonly index: number;
  /** The plain JSON value (objects, lists, strings, numbers, booleans, null). */
  readonly value: unknown;
  /** 1-based line of the document's first node. */
  readonly line: number;
  readonly locate: Locator;
  /**
   * Content problems spotted in the text itself, such as an unquoted `yes`
   * that YAML 1.1 (kubectl, Argo CD) reads as a boolean. Only relevant when
   * the document turns out to be an ApplicationSet.
   */
  readonly valueProblems: readonly DocumentProblem[];
}

export interface ReadResult {
  readonly documents: readonly SourceDocument[];
  /** Syntax and safety problems; a document with one is not in `documents`. */
  readonly problems: readonly DocumentProblem[];
  readonly warnings: readonly DocumentProblem[];
}

/** Bounds that keep a hostile or mistaken text from exhausting the process. */
export interface ReadLimits {
  /** The whole text, in UTF-8 bytes. */
  readonly maxTextBytes: number;
  /** One document; Kubernetes itself refuses objects above about 1.5 MiB (etcd's request limit). */
  readonly maxDocumentBytes: number;
  /** Documents in one stream, counted before parsing so that `---` floods are cheap to refuse. */
  readonly maxDocuments: number;
  /** Aliases the `yaml` package may expand per document (its guard against "billion laughs"). */
  readonly maxAliasCount: number;
}

/**
 * Defaults measured on this project's machines: a 2 MiB YAML text parses in
 * about a second and 250 MB of heap, so 4 MiB per text stays well inside a
 * request's budget; no real ApplicationSet comes near 1 MiB.
 */
export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxTextBytes: 4 * 1024 * 1024,
  maxDocumentBytes: 1024 * 1024,
  maxDocuments: 1000,
  maxAliasCount: 100,
};
