/**
 * What the renderer needs from the outside world: the Git mirror cache
 * (`GitMirrorCache` implements this port) and the scope of kinds on the
 * target cluster (discovery, through the cluster clients).
 */
import { ExportSummary } from '../../git/tree-export';
import { GitTreeEntry } from '../../generators/ports';
import { NamespacedLookup } from '../manifests/builtin-kinds';
import { SyncCluster } from '../engine/engine.types';

/** The Git reads rendering uses. */
export interface RenderGit {
  resolveRevision(repoURL: string, revision: string | undefined): Promise<string>;
  /** Makes the next request for `repoURL` fetch, even within the poll interval. */
  invalidate(repoURL: string): void;
  listTree(repoURL: string, sha: string): Promise<readonly GitTreeEntry[]>;
  readFiles(
    repoURL: string,
    sha: string,
    paths: readonly string[],
  ): Promise<ReadonlyMap<string, Buffer>>;
  exportTree(
    repoURL: string,
    sha: string,
    subPath: string,
    destDir: string,
  ): Promise<ExportSummary>;
}

/** A kind whose scope normalisation needs. */
export interface KindQuery {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/**
 * Resolves whether `kinds` are namespaced on `cluster` and returns a
 * synchronous lookup over the answers (undefined for kinds the cluster does
 * not serve). Rejects when the cluster cannot be asked.
 */
export type ScopeResolver = (
  cluster: SyncCluster,
  kinds: readonly KindQuery[],
) => Promise<NamespacedLookup>;
