/**
 * Renders a plain directory source: the manifest files of the source path
 * (Argo's selection rules, `selectManifestFiles`) read at the commit through
 * the mirror cache in one batch (no working tree), parsed all or nothing.
 */
import { DirectorySource } from '../../argo/application.types';
import { DomainError } from '../../common/domain-error';
import { GitTreeEntry } from '../../generators/ports';
import { ManifestError } from '../manifests/manifest-problem';
import { SourcedObject, parseManifestFiles } from '../manifests/parse-manifests';
import { selectManifestFiles } from '../manifests/source-files';
import { RenderGit } from './render.types';
import { joinRepoPath } from './source-path';

/** The files of the tree below `sourcePath`, relative to it (links included, submodules not). */
export function filesUnder(entries: readonly GitTreeEntry[], sourcePath: string): string[] {
  const prefix = sourcePath ? `${sourcePath}/` : '';
  return entries
    .filter((entry) => entry.type !== 'submodule' && entry.path.startsWith(prefix))
    .map((entry) => entry.path.slice(prefix.length));
}

/**
 * The parsed objects of a directory source. Rejects with a DomainError
 * naming `spec.source.directory` settings, or a ManifestError naming file,
 * document and line of every malformed manifest.
 */
export async function renderDirectory(
  git: RenderGit,
  repoURL: string,
  sha: string,
  sourcePath: string,
  entries: readonly GitTreeEntry[],
  directory: DirectorySource | undefined,
): Promise<SourcedObject[]> {
  const selection = selectManifestFiles(filesUnder(entries, sourcePath), directory);
  if (selection.problems.length > 0) throw DomainError.invalid(selection.problems);
  if (selection.files.length === 0) return [];
  const contents = await git.readFiles(
    repoURL,
    sha,
    selection.files.map((file) => joinRepoPath(sourcePath, file)),
  );
  const files: Record<string, string> = {};
  for (const file of selection.files) {
    files[file] = contents.get(joinRepoPath(sourcePath, file))!.toString('utf8');
  }
  const parsed = parseManifestFiles(files, 'directory');
  if (parsed.problems.length > 0) throw new ManifestError(parsed.problems);
  return parsed.objects;
}
