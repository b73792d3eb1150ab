/**
 * The stored form of a validated ApplicationSet document (pure function):
 * its spec hash, and what the reconciler's triggers need to know without
 * re-reading it: cluster selectors (relabel targeting) and the Git
 * repositories it reads (push targeting).
 */
import { ApplicationSet } from '../argo/applicationset.types';
import { clusterSelectorsOf, gitSourcesOf } from '../generators';
import { parseRepoUrl } from '../git/repo-url';
import { contentHash } from '../sync/manifests/content-hash';
import { ApplicationSetWrite } from './applicationset.model';

/** Matches every repository: the ApplicationSet reads a repository chosen at generation time. */
export const ANY_REPO = '*';

/** The columns stored for `appSet`, from the REST API or a Git source (at `sourceRevision`). */
export function toApplicationSetWrite(
  appSet: ApplicationSet,
  origin: { sourceId: string | null; sourcePath: string | null; sourceRevision?: string },
): ApplicationSetWrite {
  return {
    name: appSet.metadata.name,
    document: appSet,
    specHash: contentHash({ metadata: appSet.metadata, spec: appSet.spec }),
    clusterSelectors: clusterSelectorsOf(appSet),
    gitRepos: repositoriesRead(appSet),
    sourceId: origin.sourceId,
    sourcePath: origin.sourcePath,
    sourceRevision: origin.sourceRevision ?? null,
  };
}

/** Mirror keys of the repositories the Git generators read; `*` when one is interpolated. */
export function repositoriesRead(appSet: ApplicationSet): string[] {
  const keys = new Set<string>();
  for (const use of gitSourcesOf(appSet)) {
    if (use.dependsOnInterpolation) keys.add(ANY_REPO);
    else keys.add(repoKey(use.repoURL));
  }
  return [...keys].sort();
}

/** The mirror-cache identity of a repository URL, or the URL itself when it is not valid. */
export function repoKey(url: string): string {
  try {
    return parseRepoUrl(url, { allowFileRepos: true }).key;
  } catch {
    return url;
  }
}
