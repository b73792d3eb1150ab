/**
 * The ports as one expansion sees them: every answer is memoised for the
 * duration of the expansion, so a matrix that re-renders a Git generator for
 * N clusters resolves the revision, lists the tree and reads each file once,
 * and all its children see the same commit. Resolved revisions are recorded
 * for `Expansion.gitRevisions`.
 */
import { ClusterRecord, ClusterSource, GitReader, GitTreeEntry } from './ports';

/** A Git revision resolved during the expansion. */
export interface ResolvedRevision {
  readonly repoURL: string;
  /** As the spec wrote it; `HEAD` when unset or empty. */
  readonly revision: string;
  readonly sha: string;
}

export interface ExpansionPorts {
  readonly clusters: ClusterSource;
  readonly git: GitReader;
}

export class ExpansionSources {
  private clusterList?: Promise<readonly ClusterRecord[]>;
  private readonly promises = new Map<string, Promise<unknown>>();
  private readonly derivedValues = new Map<string, unknown>();
  private readonly revisions: ResolvedRevision[] = [];

  constructor(private readonly ports: ExpansionPorts) {}

  /** Every registered cluster, read once per expansion. */
  listClusters(): Promise<readonly ClusterRecord[]> {
    this.clusterList ??= this.ports.clusters.listClusters();
    return this.clusterList;
  }

  /** The commit `revision` (empty: `HEAD`) of `repoURL` points to, resolved once per expansion. */
  resolveRevision(repoURL: string, revision: string | undefined): Promise<string> {
    const wanted = revision || 'HEAD';
    return this.once(`rev\0${repoURL}\0${wanted}`, async () => {
      const sha = await this.ports.git.resolveRevision(repoURL, revision || undefined);
      this.revisions.push({ repoURL, revision: wanted, sha });
      return sha;
    });
  }

  /** The tree of `sha`, listed once per expansion. */
  listTree(repoURL: string, sha: string): Promise<readonly GitTreeEntry[]> {
    return this.once(`tree\0${repoURL}\0${sha}`, () => this.ports.git.listTree(repoURL, sha));
  }

  /** The content of `path` at `sha`, read once per expansion. */
  readFile(repoURL: string, sha: string, path: string): Promise<Buffer> {
    return this.once(`file\0${repoURL}\0${sha}\0${path}`, () =>
      this.ports.git.readFile(repoURL, sha, path),
    );
  }

  /** A pure derivation (a directory listing of a tree), computed once per key. */
  derived<T>(key: string, compute: () => T): T {
    if (!this.derivedValues.has(key)) this.derivedValues.set(key, compute());
    return this.derivedValues.get(key) as T;
  }

  /** Revisions resolved so far, in the order they were first resolved. */
  get gitRevisions(): readonly ResolvedRevision[] {
    return this.revisions;
  }

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let promise = this.promises.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = load();
      this.promises.set(key, promise);
    }
    return promise;
  }
}
