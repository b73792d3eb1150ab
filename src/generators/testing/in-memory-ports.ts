/**
 * In-memory implementations of the generator ports, for specs and
 * benchmarks: real behaviour over data held in memory (revision resolution,
 * tree listing, file reads, failures), and call counts to check memoisation.
 */
import { ClusterRecord, ClusterSource, GitReader, GitTreeEntry } from '../ports';

/** A registry that returns `clusters` in the order given, or fails with `failure`. */
export class InMemoryClusterSource implements ClusterSource {
  calls = 0;

  constructor(
    private readonly clusters: readonly ClusterRecord[],
    private readonly failure?: Error,
  ) {}

  async listClusters(): Promise<readonly ClusterRecord[]> {
    this.calls++;
    if (this.failure) throw this.failure;
    return this.clusters;
  }
}

/** One commit of an in-memory repository: paths to file contents (or to a symlink/submodule marker). */
export interface InMemoryCommit {
  readonly sha: string;
  readonly files: Readonly<
    Record<string, string | { readonly type: 'symlink' | 'submodule'; readonly content?: string }>
  >;
}

/**
 * Repositories keyed by URL; each maps revisions (branch, tag, `HEAD`) to
 * commits. Unknown repositories, revisions, commits and paths fail, as a
 * real Git reader does.
 */
export class InMemoryGitReader implements GitReader {
  readonly calls = { resolveRevision: 0, listTree: 0, readFile: 0 };

  constructor(
    private readonly repositories: Readonly<
      Record<string, Readonly<Record<string, InMemoryCommit>>>
    >,
  ) {}

  async resolveRevision(repoURL: string, revision: string | undefined): Promise<string> {
    this.calls.resolveRevision++;
    const commit = this.repository(repoURL)[revision || 'HEAD'];
    if (!commit) throw new Error(`revision ${revision || 'HEAD'} not found`);
    return commit.sha;
  }

  async listTree(repoURL: string, sha: string): Promise<readonly GitTreeEntry[]> {
    this.calls.listTree++;
    return Object.entries(this.commit(repoURL, sha).files).map(([path, file]) => ({
      path,
      type: typeof file === 'string' ? 'file' : file.type,
    }));
  }

  async readFile(repoURL: string, sha: string, path: string): Promise<Buffer> {
    this.calls.readFile++;
    const file = this.commit(repoURL, sha).files[path];
    if (file === undefined) throw new Error(`path ${path} not found`);
    if (typeof file === 'string') return Buffer.from(file, 'utf8');
    if (file.type === 'symlink' && file.content !== undefined)
      return Buffer.from(file.content, 'utf8');
    throw new Error(`path ${path} is a ${file.type}`);
  }

  private repository(repoURL: string): Readonly<Record<string, InMemoryCommit>> {
    const repository = this.repositories[repoURL];
    if (!repository) throw new Error(`repository not found`);
    return repository;
  }

  private commit(repoURL: string, sha: string): InMemoryCommit {
    const commit = Object.values(this.repository(repoURL)).find((c) => c.sha === sha);
    if (!commit) throw new Error(`commit ${sha} not found`);
    return commit;
  }
}
