/**
 * The directory of an Application's source inside its repository (pure
 * function): `''` for the root (`path` absent, `''`, `.` or `/`), otherwise
 * the path without `./` prefixes or trailing `/`. Paths that climb out of
 * the repository or are absolute are refused, naming `spec.source.path`.
 */
import { FieldProblem } from '../../common/field-problem';

/** The normalised path, or the problem with it. */
export function normalizeSourcePath(
  raw: string | undefined,
  field = 'spec.source.path',
): { path: string } | { problem: FieldProblem } {
  const text = (raw ?? '').trim();
  if (text.startsWith('/') && text.replace(/\/+$/, '') !== '') {
    return {
      problem: { field, rule: 'relative-path', message: 'must be relative to the repository root' },
    };
  }
  const segments = text.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) {
    return {
      problem: {
        field,
        rule: 'relative-path',
        message: 'must stay inside the repository (no "..")',
      },
    };
  }
  return { path: segments.join('/') };
}

/** `path` under `root` (`''` is the repository root). */
export function joinRepoPath(root: string, path: string): string {
  return root ? `${root}/${path}` : path;
}
