/**
 * The directories Argo CD's repo-server lists for the Git directory generator
 * (`GetGitDirectories`, semantics.md §1.4), derived from a commit's tree
 * entries instead of a checkout (pure function).
 *
 * What exists on disk after `git checkout`, and so what `filepath.WalkDir`
 * sees:
 * - a directory exists when it holds a file or a symlink, directly or below:
 *   Git does not track empty directories;
 * - a symlink is a file to WalkDir (it does not follow links), so a link to a
 *   directory is never listed, but it does make its parent directory exist;
 * - a submodule (gitlink) is checked out as a directory (Argo initialises
 *   submodules), so its path is listed; what is inside it is not known from
 *   this repository's tree and is not listed.
 */
import { compareBytewise } from '../templates';
import { GitTreeEntry } from './ports';

/**
 * Directory paths relative to the repository root, in the pre-order
 * depth-first order of a walk that visits children in byte-wise name order
 * (`B, _u, a, a/b, a/b/c, a-x, a2`). The root is not listed; a directory whose
 * name starts with `.` is skipped together with its subtree.
 */
export function listDirectories(entries: readonly GitTreeEntry[]): readonly string[] {
  let listed = memo.get(entries);
  if (!listed) {
    listed = Object.freeze(walkOrder(entries));
    memo.set(entries, listed);
  }
  return listed;
}

/**
 * A listing per tree-entries array: the mirror cache hands out the same
 * array for a commit every time, and a commit's tree never changes, so a
 * repository of 5,000 applications is listed once, not on every reconcile.
 */
const memo = new WeakMap<readonly GitTreeEntry[], readonly string[]>();

function walkOrder(entries: readonly GitTreeEntry[]): string[] {
  const directories = new Set<string>();
  for (const entry of entries) {
    const segments = entry.path.split('/');
    const depth = entry.type === 'submodule' ? segments.length : segments.length - 1;
    let path = '';
    for (let i = 0; i < depth; i++) {
      if (segments[i].startsWith('.')) break;
      path = i === 0 ? segments[0] : `${path}/${segments[i]}`;
      directories.add(path);
    }
  }
  return [...directories]
    .map((path) => ({ path, segments: path.split('/') }))
    .sort((a, b) => compareWalkOrder(a.segments, b.segments))
    .map(({ path }) => path);
}

/** Pre-order DFS order: compare segment by segment, a parent before its children. */
function compareWalkOrder(left: readonly string[], right: readonly string[]): number {
  const shared = Math.min(left.length, right.length);
  for (let i = 0; i < shared; i++) {
    if (left[i] !== right[i]) return compareBytewise(left[i], right[i]);
  }
  return left.length - right.length;
}
