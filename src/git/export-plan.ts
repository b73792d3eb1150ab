/**
 * Decides what exporting a tree writes (pure function): regular files as
 * they are, and each symbolic link re-pointed at the physical path it
 * resolves to inside the exported tree. A link that leaves the exported
 * tree makes the whole export fail, as Argo CD refuses out-of-bounds
 * symlinks (GHSA-q4w5-4gq2-98vm, GHSA-6gcg-hp2x-q54h); a tool such as
 * kustomize run on the export can then only read what the export holds.
 */
import { DomainError } from '../common/domain-error';
import { repoPathProblems } from './git-input-rules';
import { relativeLinkTarget, resolveInTree, TreeNode } from './symlink-resolution';
import { TreeEntryRecord } from './tree-listing';

/** What to write, relative to the export directory. */
export interface ExportPlan {
  readonly files: readonly {
    readonly path: string;
    readonly oid: string;
    readonly executable: boolean;
  }[];
  /** Links with targets rewritten to the resolved in-tree path. */
  readonly links: readonly { readonly path: string; readonly target: string }[];
  /** Links that dangle or loop, and submodules: not written. */
  readonly skipped: readonly string[];
}

/**
 * Plans the export of `entries` (paths relative to the exported directory).
 * `linkTargets` maps a symlink blob's oid to its target. Throws a
 * DomainError (`Invalid`, rule `git-symlink-outside` or `git-unsafe-path`)
 * naming the offending path but not the link target, which is repository
 * content.
 */
export function planExport(
  entries: readonly TreeEntryRecord[],
  linkTargets: ReadonlyMap<string, string>,
  where: string,
): ExportPlan {
  const nodes = new Map<string, TreeNode>();
  for (const entry of entries) {
    // A tree from a hostile server may hold `..` or empty names; never write those.
    if (repoPathProblems(entry.path).length > 0) {
      throw DomainError.invalid([
        {
          field: 'path',
          rule: 'git-unsafe-path',
          message: `${where} holds an unsafe path ${JSON.stringify(entry.path)}`,
        },
      ]);
    }
    if (entry.type === 'submodule') continue;
    nodes.set(
      entry.path,
      entry.type === 'symlink'
        ? { kind: 'symlink', target: linkTargets.get(entry.oid) ?? '' }
        : { kind: 'file' },
    );
    for (
      let slash = entry.path.indexOf('/');
      slash !== -1;
      slash = entry.path.indexOf('/', slash + 1)
    ) {
      nodes.set(entry.path.slice(0, slash), { kind: 'dir' });
    }
  }

  const files: { path: string; oid: string; executable: boolean }[] = [];
  const links: { path: string; target: string }[] = [];
  const skipped: string[] = [];
  for (const entry of entries) {
    if (entry.type === 'file') {
      files.push({ path: entry.path, oid: entry.oid, executable: entry.mode === '100755' });
      continue;
    }
    if (entry.type === 'submodule') {
      skipped.push(entry.path);
      continue;
    }
    const resolution = resolveInTree(entry.path, (p) => nodes.get(p));
    if (resolution.ok) {
      links.push({ path: entry.path, target: relativeLinkTarget(entry.path, resolution.path) });
    } else if (resolution.reason === 'outside') {
      throw DomainError.invalid([
        {
          field: 'path',
          rule: 'git-symlink-outside',
          message: `${where}: symbolic link ${JSON.stringify(entry.path)} points outside the exported directory; such links are never followed`,
        },
      ]);
    } else {
      skipped.push(entry.path);
    }
  }
  return { files, links, skipped };
}
