/**
 * Resolves a symbolic link inside a tree the way the kernel would resolve it
 * on disk, without touching the disk (pure function).
 *
 * Lexical normalisation is not enough: with `s -> .`, the link
 * `x -> s/../etc/passwd` looks like `etc/passwd` but on disk `s/..` is the
 * parent of the root, so it escapes. Walking component by component, with
 * `..` popping the directory actually reached, catches that
 * (GHSA-q4w5-4gq2-98vm, GHSA-6gcg-hp2x-q54h).
 */

/** What a path names in the tree. Directories are implied by the files below them. */
export type TreeNode =
  { readonly kind: 'file' | 'dir' } | { readonly kind: 'symlink'; readonly target: string };

export type LinkResolution =
  | { readonly ok: true; readonly path: string; readonly kind: 'file' | 'dir' }
  | { readonly ok: false; readonly reason: 'outside' | 'loop' | 'dangling' | 'notdir' };

/** Links followed before giving up, as Linux does (`MAXSYMLINKS`). */
export const MAX_SYMLINK_HOPS = 40;

/**
 * Resolves `path` (usually a symlink's own path) within the tree described
 * by `lookup` (`''` is the root directory). Returns the physical path it
 * reaches and its kind, or why it cannot be followed: `outside` when it
 * leaves the root (an absolute target or `..` above the root), `loop` after
 * MAX_SYMLINK_HOPS links, `dangling` when a component does not exist,
 * `notdir` when a file is used as a directory.
 */
export function resolveInTree(
  path: string,
  lookup: (path: string) => TreeNode | undefined,
  maxHops = MAX_SYMLINK_HOPS,
): LinkResolution {
  const reached: string[] = [];
  let kind: 'file' | 'dir' = 'dir';
  let remaining = path.split('/');
  let hops = 0;
  while (remaining.length > 0) {
    const [component, ...rest] = remaining;
    remaining = rest;
    // Anything after a file, even `/` or `/.`, uses it as a directory.
    if (kind === 'file') return { ok: false, reason: 'notdir' };
    if (component === '' || component === '.') continue;
    if (component === '..') {
      if (reached.length === 0) return { ok: false, reason: 'outside' };
      reached.pop();
      continue;
    }
    const node = lookup([...reached, component].join('/'));
    if (node === undefined) return { ok: false, reason: 'dangling' };
    if (node.kind === 'symlink') {
      if (++hops > maxHops) return { ok: false, reason: 'loop' };
      if (node.target.startsWith('/')) return { ok: false, reason: 'outside' };
      // A target is relative to the directory holding the link: the one reached so far.
      remaining = [...node.target.split('/'), ...remaining];
      continue;
    }
    reached.push(component);
    kind = node.kind;
  }
  return { ok: true, path: reached.join('/'), kind };
}

/**
 * The relative target for a link at `linkPath` pointing at `targetPath`
 * (both from the root), e.g. `a/b/link` → `c/d` gives `../../c/d`.
 */
export function relativeLinkTarget(linkPath: string, targetPath: string): string {
  const from = linkPath.split('/').slice(0, -1);
  const to = targetPath === '' ? [] : targetPath.split('/');
  let common = 0;
  while (common < from.length && common < to.length && from[common] === to[common]) common++;
  const parts = [...from.slice(common).map(() => '..'), ...to.slice(common)];
  return parts.length === 0 ? '.' : parts.join('/');
}
