/**
 * Which files of a commit a Git source reads (pure function): YAML and JSON
 * files directly in `path`, or anywhere below it with `recurse`. Hidden files
 * and directories are skipped, as Argo CD skips them for directory sources.
 */
import { GitTreeEntry } from '../generators/ports';

const MANIFEST = /\.(ya?ml|json)$/i;

export function sourceFiles(
  tree: readonly GitTreeEntry[],
  path: string,
  recurse: boolean,
): string[] {
  const prefix = path === '' || path === '.' ? '' : `${path.replace(/^\.\/|\/+$/g, '')}/`;
  return tree
    .filter(
      (entry) =>
        entry.type !== 'submodule' && entry.path.startsWith(prefix) && MANIFEST.test(entry.path),
    )
    .filter((entry) => {
      const rest = entry.path.slice(prefix.length).split('/');
      return (recurse || rest.length === 1) && !rest.some((segment) => segment.startsWith('.'));
    })
    .map((entry) => entry.path)
    .sort();
}
