/**
 * The sources of an Application as Argo CD reads them (pure functions):
 * `spec.sources` when it has any, and then `spec.source` is ignored
 * (`ApplicationSpec.HasMultipleSources`), else `spec.source`.
 *
 * A multi-source Application is at one commit per source. Fleetplane keeps
 * those commits as one revision string, the SHAs in source order joined
 * with commas, so that "the revision" stays one comparable value through the
 * auto-sync guard, retries, history and rollback; the API shows it as
 * Argo's `revisions` list (`presentRevision`). A resolved revision is always
 * a full SHA, which holds no comma, so the join cannot be ambiguous.
 */
import { FieldProblem, fieldPath } from '../common/field-problem';
import { isPlainObject } from '../labels/label-rules';
import { Application, ApplicationSource } from './application.types';

/** True when the Application uses `spec.sources` (non-empty), as Argo's `HasMultipleSources`. */
export function hasMultipleSources(app: Application): boolean {
  return Array.isArray(app.spec.sources) && app.spec.sources.length > 0;
}

/** The sources to resolve and render, in order (empty when the Application has none). */
export function sourcesOf(app: Application): readonly ApplicationSource[] {
  if (hasMultipleSources(app)) return app.spec.sources ?? [];
  return app.spec.source ? [app.spec.source] : [];
}

/**
 * The sources as Argo records them beside a revision (`comparedTo`, history
 * entries): `{sources}` for `spec.sources`, `{source}` otherwise.
 */
export function recordedSources(
  app: Application,
): { sources: ApplicationSource[] } | { source: ApplicationSource } | Record<string, never> {
  if (hasMultipleSources(app)) return { sources: [...sourcesOf(app)] };
  return app.spec.source ? { source: app.spec.source } : {};
}

/** The field path of source `index` in messages: `spec.source`, or `spec.sources[1]`. */
export function sourceField(app: Application, index: number): string {
  return hasMultipleSources(app) ? fieldPath('spec.sources', index) : 'spec.source';
}

/**
 * True for a source that only lends its files to others (`ref` set and no
 * `path`): Argo renders nothing from it, Helm value files reach it as
 * `$<ref>/...`.
 */
export function isReferenceOnly(source: ApplicationSource): boolean {
  return !!source.ref && !source.path && !source.chart;
}

/** The one revision of an Application whose sources are at `shas` (in source order). */
export function joinRevisions(shas: readonly string[]): string {
  return shas.join(',');
}

/**
 * The commit of each source in `revision`, or a problem when the revision
 * does not name one commit per source (a request or history entry made
 * before the list of sources changed).
 */
export function splitRevision(
  revision: string,
  sourceCount: number,
): { shas: string[] } | { problem: FieldProblem } {
  const shas = revision.split(',');
  if (shas.length !== sourceCount) {
    return {
      problem: {
        field: 'revision',
        rule: 'one-per-source',
        message: `names ${shas.length} commit(s), but the Application has ${sourceCount} source(s)`,
      },
    };
  }
  return { shas };
}

/** `{revision}` for a single-source Application, `{revisions: [...]}` for `spec.sources` (Argo's fields). */
export function presentRevision(
  multiple: boolean,
  revision: string,
): { revision: string } | { revisions: string[] } {
  return multiple ? { revisions: revision === '' ? [] : revision.split(',') } : { revision };
}

const REF_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Problems of the `ref` names of `spec.sources`: each a name of letters,
 * digits, `-` or `_`, unique, and never on a chart source (Argo: "sources
 * with the ref field set cannot include the chart field"); and Helm value
 * files `$<ref>/...` naming a ref no source declares. A source's `name`
 * (what a sync or diff may pick it by) must be a non-empty string; it need not
 * be unique, as in Argo CD (picking a repeated name is refused then).
 */
export function referenceProblems(app: Application): FieldProblem[] {
  if (!hasMultipleSources(app)) return [];
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  sourcesOf(app).forEach((source, index) => {
    const name: unknown = source.name;
    if (name !== undefined && name !== null && (typeof name !== 'string' || name.trim() === '')) {
      problems.push({
        field: fieldPath(sourceField(app, index), 'name'),
        rule: 'type',
        message: 'must be a non-empty string (the name a sync or diff can pick this source by)',
      });
    }
    if (source.ref === undefined || source.ref === null) return;
    const field = fieldPath(sourceField(app, index), 'ref');
    if (typeof source.ref !== 'string' || !REF_NAME.test(source.ref)) {
      problems.push({
        field,
        rule: 'ref-name',
        message: 'must be a name of letters, digits, "-" or "_" (used as $<ref> in value files)',
      });
    } else if (seen.has(source.ref)) {
      problems.push({ field, rule: 'unique', message: `ref "${source.ref}" is used twice` });
    }
    if (typeof source.ref === 'string') seen.add(source.ref);
    if (source.chart) {
      problems.push({
        field,
        rule: 'ref-chart',
        message: 'a source with ref cannot include chart (only Git sources lend files)',
      });
    }
  });
  sourcesOf(app).forEach((source, index) => {
    const valueFiles = source.helm?.valueFiles;
    if (!Array.isArray(valueFiles)) return;
    valueFiles.forEach((file, fileIndex) => {
      const ref = typeof file === 'string' ? valueFileReference(file)?.ref : undefined;
      if (ref === undefined || seen.has(ref)) return;
      problems.push({
        field: `${sourceField(app, index)}.helm.valueFiles[${fileIndex}]`,
        rule: 'ref',
        message: unknownReferenceMessage(ref, seen),
      });
    });
  });
  return problems;
}

/**
 * A Helm value file that names another source, `$<ref>/<path>` (Argo reads
 * `$<ref>` only at the start), split into the ref and the path below that
 * source's root (`''` for `$<ref>` alone); undefined for any other file.
 */
export function valueFileReference(file: string): { ref: string; path: string } | undefined {
  const match = /^\$([^/]+)(?:\/(.*))?$/.exec(file);
  return match ? { ref: match[1], path: match[2] ?? '' } : undefined;
}

/** What an unknown `$<ref>` is told, with the refs the Application does declare. */
export function unknownReferenceMessage(ref: string, known: ReadonlySet<string>): string {
  const declared = known.size > 0 ? ` (known: ${[...known].join(', ')})` : '';
  return `no source of the Application has ref "${ref}"${declared}`;
}

type Json = Record<string, unknown>;

/**
 * A stored status as the API shows it (pure function): for an Application
 * with `spec.sources`, the comma-joined revisions of `sync`, the operation
 * and its result become Argo's `revisions` lists, and so do those of history
 * entries recorded with `sources`. Anything else is returned as it is.
 */
export function presentStatusRevisions(app: Application, status: Json): Json {
  const multiple = hasMultipleSources(app);
  const history = Array.isArray(status.history) ? (status.history as Json[]) : undefined;
  if (!multiple && !history?.some((entry) => Array.isArray(entry.sources))) return status;
  const operationState = status.operationState;
  return {
    ...status,
    ...(status.sync ? { sync: withRevisions(status.sync, multiple) } : {}),
    ...(isPlainObject(operationState)
      ? {
          operationState: {
            ...operationState,
            operation: withRevisions(operationState.operation, multiple),
            ...(operationState.syncResult
              ? { syncResult: withRevisions(operationState.syncResult, multiple) }
              : {}),
          },
        }
      : {}),
    ...(history
      ? { history: history.map((entry) => withRevisions(entry, Array.isArray(entry.sources))) }
      : {}),
  };
}

/**
 * `part` with its `revision` shown as Argo's `revisions` list when `several`
 * (a requested operation, a history entry, a sync result).
 */
export function withRevisions<T>(part: T, several: boolean): T | Json {
  if (!several || !isPlainObject(part) || typeof part.revision !== 'string') return part;
  const { revision, ...rest } = part;
  return { ...rest, ...presentRevision(true, revision) };
}
