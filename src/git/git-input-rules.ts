/**
 * Rules for the other user-controlled strings that reach git: revisions,
 * commit SHAs and paths inside a repository (pure functions).
 *
 * A revision is passed to git as an object name, so anything beyond a plain
 * ref name or hex SHA (`-opt`, `main:secret`, `@{-1}`, `:/message`) is refused
 * before a process starts. Paths are refused when they could step outside
 * the repository: `..` segments and absolute paths (GHSA-63qx-x74g-jcr7).
 */
import { DomainError } from '../common/domain-error';
import { FieldProblem } from '../common/field-problem';

/** What a revision asks for, once validated. */
export type RevisionRequest =
  | { readonly kind: 'default-branch' }
  | { readonly kind: 'commit'; readonly sha: string }
  | {
      readonly kind: 'name';
      readonly name: string;
      /** Hex of 4 to 39 digits: tried as an abbreviated SHA after branches and tags. */
      readonly mayBeAbbreviatedSha: boolean;
    };

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ABBREVIATED_SHA = /^[0-9a-fA-F]{4,39}$/;
const MAX_REVISION_LENGTH = 255;
const MAX_PATH_LENGTH = 4096;

/** True for a full, lower-case SHA-1 (40) or SHA-256 (64) object name. */
export function isFullSha(value: string): boolean {
  return FULL_SHA.test(value);
}

/**
 * Problems of a revision (branch, tag, `refs/...` name, commit SHA, `HEAD` or
 * empty), following `git check-ref-format` plus a ban on a leading `-`.
 * Empty when valid.
 */
export function revisionProblems(revision: string, field = 'revision'): FieldProblem[] {
  const problem = (message: string): FieldProblem[] => [{ field, rule: 'git-revision', message }];
  if (revision.length > MAX_REVISION_LENGTH) {
    return problem(`must be at most ${MAX_REVISION_LENGTH} characters`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(revision)) {
    return problem(
      `"${revision}" must not contain spaces, control characters or any of ~ ^ : ? * [ \\ (revision expressions are not supported)`,
    );
  }
  if (revision.startsWith('-')) return problem(`"${revision}" must not start with "-"`);
  if (revision.includes('..') || revision.includes('@{') || revision === '@') {
    return problem(`"${revision}" must not contain ".." or "@{" or be "@"`);
  }
  if (
    revision.startsWith('/') ||
    revision.endsWith('/') ||
    revision.endsWith('.') ||
    revision.includes('//') ||
    revision.split('/').some((part) => part.startsWith('.') || part.endsWith('.lock'))
  ) {
    return problem(
      `"${revision}" is not a valid ref name (no leading, trailing or double "/", no component starting with "." or ending with ".lock", no trailing ".")`,
    );
  }
  return [];
}

/**
 * Classifies a validated revision. Empty, missing and `HEAD` mean the
 * remote's default branch (semantics.md §1.4: empty resolves like `HEAD`).
 * Throws a DomainError (`Invalid`) naming the field when the revision breaks
 * a rule of `revisionProblems`.
 */
export function parseRevision(revision: string | undefined, field = 'revision'): RevisionRequest {
  if (revision === undefined || revision === '' || revision === 'HEAD') {
    return { kind: 'default-branch' };
  }
  const problems = revisionProblems(revision, field);
  if (problems.length > 0) throw DomainError.invalid(problems);
  const lower = revision.toLowerCase();
  if (isFullSha(lower)) return { kind: 'commit', sha: lower };
  return { kind: 'name', name: revision, mayBeAbbreviatedSha: ABBREVIATED_SHA.test(revision) };
}

/**
 * The object names to try for a branch, tag or default-branch request, in
 * order; the first that names a commit wins. Branches come before tags of
 * the same name, as in Argo CD's ref matching; an abbreviated SHA comes last.
 */
export function revisionCandidates(
  request: Exclude<RevisionRequest, { kind: 'commit' }>,
  defaultBranchRef: string,
): string[] {
  if (request.kind === 'default-branch') return [defaultBranchRef];
  if (request.name.startsWith('refs/')) return [request.name];
  return [
    `refs/heads/${request.name}`,
    `refs/tags/${request.name}`,
    ...(request.mayBeAbbreviatedSha ? [request.name] : []),
  ];
}

/**
 * Throws a DomainError (`Invalid`) unless `sha` is a full commit SHA, the
 * form `resolveRevision` returns. Reads take only full SHAs so that what
 * they read cannot change under them.
 */
export function assertFullSha(sha: unknown, field = 'sha'): asserts sha is string {
  if (typeof sha !== 'string' || !isFullSha(sha)) {
    throw DomainError.invalid([
      {
        field,
        rule: 'git-sha',
        message: `must be a full lower-case commit SHA as resolveRevision returns it, got ${JSON.stringify(String(sha)).slice(0, 80)}`,
      },
    ]);
  }
}

/**
 * Problems of a path inside a repository: relative, `/`-separated, no empty,
 * `.` or `..` segments, no NUL or line breaks. Empty when valid.
 */
export function repoPathProblems(path: unknown, field = 'path'): FieldProblem[] {
  const problem = (message: string): FieldProblem[] => [{ field, rule: 'repo-path', message }];
  if (typeof path !== 'string' || path === '') return problem('must be a non-empty string');
  if (path.length > MAX_PATH_LENGTH)
    return problem(`must be at most ${MAX_PATH_LENGTH} characters`);
  if (/[\0\r\n]/.test(path)) return problem('must not contain NUL or line breaks');
  if (path.startsWith('/')) return problem(`"${path}" must be relative to the repository root`);
  const segments = path.split('/');
  if (segments.includes('..')) return problem(`"${path}" must not contain ".." segments`);
  if (segments.some((segment) => segment === '' || segment === '.')) {
    return problem(
      `"${path}" must not contain empty or "." segments (no "//", "./" or trailing "/")`,
    );
  }
  return [];
}

/** Throws a DomainError (`Invalid`) when `repoPathProblems` finds a problem. */
export function assertRepoPath(path: unknown, field = 'path'): asserts path is string {
  const problems = repoPathProblems(path, field);
  if (problems.length > 0) throw DomainError.invalid(problems);
}
