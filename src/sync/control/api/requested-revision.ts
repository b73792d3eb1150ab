/**
 * The revision a manual sync deploys (`POST .../sync`), resolved when the
 * request is accepted: `revision` for an Application with one source; for
 * `spec.sources`, `revisions` at their 1-based positions or for the sources
 * of those names (Argo CD's `sourcePositions`, `sourceNames`) and every other
 * source at its target revision, joined
 * into one revision (see `application-sources.ts`). Absent: the target
 * revision as resolved when the sync runs. Any mismatch between the request
 * and the Application's sources is a 422 naming the field.
 */
import { hasMultipleSources, joinRevisions, sourcesOf } from '../../../argo/application-sources';
import { Application, ApplicationSource } from '../../../argo/application.types';
import { DomainError, DomainErrorCode } from '../../../common/domain-error';
import { FieldProblem } from '../../../common/field-problem';
import { RevisionChoice, SourceRevision } from './operation-requests';

/**
 * Resolves `source` to a commit SHA: at `given.revision` when set (an unknown
 * one is a problem of `given.field`), else at its own target revision.
 */
export type SourceResolver = (
  source: ApplicationSource,
  given?: { readonly revision: string; readonly field: string },
) => Promise<string>;

/** The revision to sync, or undefined for "the target revision at run time". */
export async function requestedRevision(
  app: Application,
  request: RevisionChoice,
  resolve: SourceResolver,
): Promise<string | undefined> {
  const sources = sourcesOf(app);
  const multiple = hasMultipleSources(app);
  if (sources.length === 0 && (request.revision !== undefined || request.revisions)) {
    throw new DomainError(
      DomainErrorCode.Conflict,
      `Application "${app.metadata.name}" has no spec.source`,
    );
  }
  if (request.revisions) {
    if (!multiple) {
      throw DomainError.invalid([
        {
          field: 'revisions',
          rule: 'multiple-sources',
          message:
            'is for an Application with spec.sources; this one has spec.source: use revision',
        },
      ]);
    }
    const positions = sourcePositions(app, request.revisions);
    const given = request.revisions;
    return joinRevisions(
      await Promise.all(
        sources.map((source, index) => {
          const at = positions.indexOf(index + 1);
          return at >= 0
            ? resolve(source, { revision: given[at].revision, field: `revisions[${at}]` })
            : resolve(source);
        }),
      ),
    );
  }
  if (request.revision === undefined) return undefined;
  if (multiple) {
    throw DomainError.invalid([
      {
        field: 'revision',
        rule: 'multiple-sources',
        message: `the Application has ${sources.length} sources (spec.sources): give revisions, with sourcePositions (1-based) or sourceNames unless there is one per source`,
      },
    ]);
  }
  return resolve(sources[0], { revision: request.revision, field: 'revision' });
}

/**
 * The 1-based position of the source each revision is for. A position past
 * the last source, or a name no source has, or several have (Argo CD does
 * not make names unique), is a 422 naming the field.
 */
function sourcePositions(app: Application, revisions: readonly SourceRevision[]): number[] {
  const sources = sourcesOf(app);
  const problems: FieldProblem[] = [];
  const positions = revisions.map((item, index) => {
    if ('position' in item) {
      if (item.position > sources.length) {
        problems.push({
          field: `revisions[${index}]`,
          rule: 'source-position',
          message: `is for source position ${item.position}, but spec.sources has ${sources.length}`,
        });
      }
      return item.position;
    }
    const named = sources.flatMap((source, at) => (source.name === item.name ? [at + 1] : []));
    if (named.length !== 1) {
      const names = [...new Set(sources.flatMap((s) => (s.name ? [`"${s.name}"`] : [])))];
      problems.push({
        field: `sourceNames[${index}]`,
        rule: 'source-name',
        message:
          named.length === 0
            ? `no source of spec.sources is named "${item.name}" (${names.length > 0 ? `names: ${names.join(', ')}` : 'none has a name'})`
            : `${named.length} sources are named "${item.name}" (positions ${named.join(', ')}): give sourcePositions`,
      });
    }
    return named[0] ?? 0;
  });
  if (problems.length > 0) throw DomainError.invalid(problems);
  return positions;
}
