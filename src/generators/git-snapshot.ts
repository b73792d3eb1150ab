/**
 * The commit and tree a Git generator reads, through the expansion's
 * memoised ports; port failures become Upstream generation errors.
 */
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { fieldPath } from '../common/field-problem';
import { GenerationContext } from './generator';
import { GitTreeEntry } from './ports';

export interface GitSnapshot {
  readonly repoURL: string;
  readonly sha: string;
  readonly entries: readonly GitTreeEntry[];
}

/** Resolves `revision` (empty: `HEAD`) of `repoURL` and lists its tree. */
export async function readGitSnapshot(
  repoURL: string,
  revision: string | undefined,
  context: GenerationContext,
): Promise<GitSnapshot> {
  let sha: string;
  try {
    sha = await context.sources.resolveRevision(repoURL, revision);
  } catch (error) {
    // A URL or revision the mirror cache refuses to touch is the spec's fault: retrying won't help.
    if (error instanceof DomainError && error.code === DomainErrorCode.Invalid) {
      throw context.invalid(
        error.details[0]?.field === 'revision'
          ? fieldPath(context.specPath, 'revision')
          : fieldPath(context.specPath, 'repoURL'),
        error.details[0]?.rule ?? 'invalid',
        error.details[0]?.message ?? error.message,
      );
    }
    throw context.upstream(
      fieldPath(context.specPath, 'revision'),
      `unable to resolve revision "${revision || 'HEAD'}" of ${repoURL}`,
      error,
    );
  }
  try {
    return { repoURL, sha, entries: await context.sources.listTree(repoURL, sha) };
  } catch (error) {
    throw context.upstream(
      fieldPath(context.specPath, 'repoURL'),
      `unable to list the files of ${repoURL} at ${sha}`,
      error,
    );
  }
}
