/**
 * The narrow ports through which generators read the outside world. They are
 * implemented by the cluster registry and the Git mirror cache; generators
 * never see TypeORM, Nest or simple-git.
 */

/** A registered cluster as the cluster generator sees it. */
export interface ClusterRecord {
  readonly name: string;
  readonly server: string;
  /** `null`/absent when unset; the generator emits `project: ""` then. */
  readonly project: string | null;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export interface ClusterSource {
  /**
   * Every registered cluster, in name order. Implementations may pre-filter
   * but must not drop clusters the selector would match. Fails (throws)
   * rather than returning an empty list when the registry cannot be read.
   */
  listClusters(): Promise<readonly ClusterRecord[]>;
}

/** One entry of a Git tree at a commit, as `git ls-tree -r` lists it. */
export interface GitTreeEntry {
  /** Path from the repository root, `/`-separated, no leading `./` or `/`. */
  readonly path: string;
  /** `file` for regular blobs, `symlink` for links (mode 120000), `submodule` for gitlinks. */
  readonly type: 'file' | 'symlink' | 'submodule';
}

export interface GitReader {
  /** Resolves a branch, tag, commit or `HEAD`/empty to a full commit SHA. Throws on failure. */
  resolveRevision(repoURL: string, revision: string | undefined): Promise<string>;
  /** Every entry of the tree at `sha`, recursively. Throws on failure, never returns a partial list. */
  listTree(repoURL: string, sha: string): Promise<readonly GitTreeEntry[]>;
  /**
   * Content of the file at `path` in commit `sha`. Refuses paths with `..`,
   * absolute paths, and symlinks whose target leaves the repository.
   */
  readFile(repoURL: string, sha: string, path: string): Promise<Buffer>;
}

/** Nest injection token of the application's GitReader (the shared mirror cache). */
export const GIT_READER = Symbol('GitReader');
