/**
 * Git's default ("legacy") pathspec matching, as `git ls-files -- <pattern>`
 * applies it for Argo CD's Git files generator (semantics.md §1.5; Argo's
 * `LsFiles` without new globbing). Pure functions, checked against real
 * `git ls-files` in git-pathspec.spec.ts.
 *
 * After normalisation (`./`, `//` and `..` resolved inside the repository),
 * a path matches when it equals the pattern, lies below it (`p1` and `p1/`
 * match `p1/x`), or, for a pattern with wildcards, when its literal prefix
 * matches and the rest matches `wildmatch` without `WM_PATHNAME`: `*` crosses
 * `/`, so `*.json` matches at every depth and `**` is just `*`
 * (`**\/config.json` does not match a root `config.json`).
 */
import { wildmatch } from './wildmatch';

/** A pattern `git ls-files` would refuse, with Git's reason. */
export class PathspecError extends Error {
  constructor(pattern: string, reason: string) {
    super(`invalid files pattern ${JSON.stringify(pattern)}: ${reason}`);
    this.name = 'PathspecError';
  }
}

/** A compiled pattern: true for each path `git ls-files -- <pattern>` would list. */
export type PathspecMatcher = (path: string) => boolean;

const GLOB_SPECIAL = /[*?[\\]/;

/** Compiles `pattern`, or throws PathspecError where Git would fail. */
export function compilePathspec(pattern: string): PathspecMatcher {
  const match = normalizePathspec(pattern);
  if (match === '') return () => true;
  const wildcardAt = match.search(GLOB_SPECIAL);
  const literalPrefix = wildcardAt < 0 ? match : match.slice(0, wildcardAt);
  const wildcardPart = wildcardAt < 0 ? null : match.slice(wildcardAt);
  return (path) => {
    if (path.startsWith(match)) {
      if (path.length === match.length) return true;
      if (match.endsWith('/') || path[match.length] === '/') return true;
    }
    if (wildcardPart === null || !path.startsWith(literalPrefix)) return false;
    return wildmatch(wildcardPart, path.slice(literalPrefix.length));
  };
}

/**
 * The pattern as Git's `prefix_path` leaves it when run at the repository
 * root: `.` segments and repeated slashes dropped, `..` applied; a trailing
 * slash kept. `""` means the whole repository.
 */
export function normalizePathspec(pattern: string): string {
  if (pattern === '') {
    throw new PathspecError(
      pattern,
      'an empty string is not a valid pathspec (use "." for all files)',
    );
  }
  if (pattern.startsWith(':')) {
    throw new PathspecError(pattern, 'pathspec magic (":(glob)", ":!", ":/") is not supported');
  }
  if (pattern.startsWith('/')) {
    throw new PathspecError(pattern, 'an absolute path is outside the repository');
  }
  const segments: string[] = [];
  for (const segment of pattern.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) throw new PathspecError(pattern, 'it is outside the repository');
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  const joined = segments.join('/');
  const trailingSlash = /\/\.?$/.test(pattern) || /(^|\/)\.\.$/.test(pattern);
  return joined !== '' && trailingSlash ? `${joined}/` : joined;
}
