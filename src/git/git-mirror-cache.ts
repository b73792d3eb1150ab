/**
 * The Git mirror cache: Fleetplane's only way to read repositories.
 *
 * One bare mirror per repository (directory named by a hash of the
 * normalised URL) under `<rootDir>/mirrors`, created on first use and
 * fetched at most once per interval however many ApplicationSets read it;
 * concurrent callers share one fetch, and `invalidate` (webhooks) forces the
 * next one. Revisions resolve to commit SHAs; trees and files are read at a
 * SHA straight from the object database, without a working tree; what a
 * revision resolved to is remembered until a fetch moves a ref. A failed
 * fetch is an error, never an empty or stale answer: the caller decides.
 * See docs/git.md for settings and security rules.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { DomainError } from '../common/domain-error';
import { GitReader, GitTreeEntry } from '../generators/ports';
import { BatchRecord, ObjectTooLargeError } from './cat-file-batch';
import { RepoCredentialsProvider } from './git-env';
import { notFoundInRepo, upstreamError } from './git-errors';
import {
  assertFullSha,
  assertRepoPath,
  parseRevision,
  revisionCandidates,
} from './git-input-rules';
import { GitProcessError } from './git-process';
import { KnownHostsFile, KnownHostsSource } from './known-hosts';
import { pathExists } from './path-exists';
import { catFileBatch, GitSettings, listTreeRecords } from './mirror-commands';
import { DEFAULT_BRANCH_REF, GitRequestObserver, MirrorFetcher } from './mirror-fetcher';
import { FetchScheduler } from './fetch-scheduler';
import { parseRepoUrl, RepoUrl } from './repo-url';
import { readError, readProblem } from './read-problems';
import { RevisionCache } from './revision-cache';
import { TreeListingCache } from './tree-cache';
import { exportMirrorTree, ExportSummary } from './tree-export';
import { toGitTreeEntries, TreeEntryRecord } from './tree-listing';

/** Settings of a GitMirrorCache; only `rootDir` is required. */
export interface GitMirrorCacheOptions {
  /** Directory for mirrors and working files; the app passes `<dataDir>/git`. */
  readonly rootDir: string;
  /** Minimum seconds between two fetches of one repository (default 180, Argo's requeue). */
  readonly fetchIntervalSeconds?: number;
  /** Allow `file://` URLs (`FLEETPLANE_ALLOW_FILE_REPOS`; tests and local use). */
  readonly allowFileRepos?: boolean;
  readonly credentials?: RepoCredentialsProvider;
  /** Without known hosts every ssh URL is refused. */
  readonly sshKnownHosts?: KnownHostsSource;
  /** Limit for each git process in seconds (default 90, Argo's ARGOCD_EXEC_TIMEOUT). */
  readonly timeoutSeconds?: number;
  /** Largest file `readFile`/`readFiles`/`exportTree` return (default 16 MiB). */
  readonly maxFileBytes?: number;
  /** Largest `exportTree` in bytes (default 256 MiB) and entries (default 100,000). */
  readonly maxExportBytes?: number;
  readonly maxExportEntries?: number;
  /** Network fetches at once across all repositories (default 8). */
  readonly maxConcurrentFetches?: number;
  /** Tree entries kept in the in-memory listing cache (default 500,000, ~75 MB; 0 disables it). */
  readonly treeCacheEntries?: number;
  /** Told about every network request, for metrics. */
  readonly observer?: GitRequestObserver;
  /** Clock in milliseconds for the fetch interval; injectable for tests. */
  readonly now?: () => number;
  readonly gitBinary?: string;
}

interface Mirror {
  /** The URL as the caller gave it (for the credentials provider). */
  readonly requested: string;
  readonly url: RepoUrl;
  readonly dir: string;
}

export class GitMirrorCache implements GitReader {
  private readonly settings: GitSettings;
  private readonly scheduler: FetchScheduler;
  private readonly fetcher: MirrorFetcher;
  private readonly trees: TreeListingCache<TreeEntryRecord>;
  private readonly revisions = new RevisionCache();
  /** Per mirror, the digest of the refs its last fetch brought (see `MirrorFetcher.fetch`). */
  private readonly fetchedRefs = new Map<string, string>();
  private readonly mirrorsDir: string;
  private readonly tempDir: string;
  private ready: Promise<void> | undefined;

  constructor(private readonly options: GitMirrorCacheOptions) {
    const root = path.resolve(options.rootDir);
    this.mirrorsDir = path.join(root, 'mirrors');
    this.tempDir = path.join(root, 'tmp');
    this.settings = {
      binary: options.gitBinary ?? 'git',
      timeoutMs: (options.timeoutSeconds ?? 90) * 1000,
      homeDir: path.join(root, 'home'),
    };
    this.scheduler = new FetchScheduler({
      intervalMs: (options.fetchIntervalSeconds ?? 180) * 1000,
      now: options.now,
    });
    const knownHosts = new KnownHostsFile(
      options.sshKnownHosts,
      path.join(root, 'ssh', 'known_hosts'),
    );
    this.fetcher = new MirrorFetcher({
      settings: this.settings,
      tempDir: this.tempDir,
      observer: options.observer,
      maxConcurrentFetches: options.maxConcurrentFetches ?? 8,
      access: {
        tempDir: this.tempDir,
        credentials: options.credentials,
        knownHostsFile: () => knownHosts.path(),
      },
    });
    this.trees = new TreeListingCache(options.treeCacheEntries ?? 500_000);
  }

  /**
   * Resolves a branch, tag (annotated tags peeled), full or abbreviated
   * commit SHA, `HEAD` or empty (the remote's default branch) to a full
   * commit SHA. Branches win over tags of the same name, as in Argo CD. A
   * full SHA already in the mirror needs no fetch. Throws `NotFound` naming
   * the revision when it does not exist, `Invalid` for a malformed one,
   * `Upstream` when the fetch fails.
   */
  async resolveRevision(repoURL: string, revision: string | undefined): Promise<string> {
    const request = parseRevision(revision);
    const mirror = this.mirror(repoURL);
    if (request.kind === 'commit') {
      if (await this.ensureCommit(mirror, request.sha)) return request.sha;
      throw notFoundInRepo(`revision "${request.sha}"`, mirror.url.fetchUrl);
    }
    await this.ensureFresh(mirror);
    const revisionKey = revision || 'HEAD';
    const known = this.revisions.get(mirror.url.key, revisionKey);
    if (known) return known;
    const generation = this.revisions.generation(mirror.url.key);
    const answers = await this.local(mirror, 'resolve revision', () =>
      catFileBatch(
        this.settings,
        mirror.dir,
        revisionCandidates(request, DEFAULT_BRANCH_REF).map((c) => `${c}^{commit}`),
        { content: false },
      ),
    );
    const found = answers.find((answer) => answer.kind === 'object');
    if (found?.kind === 'object') {
      this.revisions.set(mirror.url.key, revisionKey, found.oid, generation);
      return found.oid;
    }
    if (answers.some((answer) => answer.kind === 'ambiguous')) {
      throw DomainError.invalid([
        {
          field: 'revision',
          rule: 'git-ambiguous-sha',
          message: `"${revision}" matches several commits in ${mirror.url.fetchUrl}; give more digits`,
        },
      ]);
    }
    const what =
      request.kind === 'default-branch' ? 'default branch (HEAD)' : `revision "${revision}"`;
    throw notFoundInRepo(what, mirror.url.fetchUrl);
  }

  /**
   * Every file, symlink and submodule of the tree at `sha`, from one
   * `git ls-tree` call (cached by SHA: a tree never changes). Throws, never
   * returns a partial listing.
   */
  async listTree(repoURL: string, sha: string): Promise<readonly GitTreeEntry[]> {
    assertFullSha(sha);
    return toGitTreeEntries(await this.treeRecords(this.mirror(repoURL), sha));
  }

  /**
   * Content of the file at `path` in commit `sha`. In-repository symlinks
   * are followed; `..`, absolute paths, links leaving the repository and
   * files over the size limit are refused. Errors name the repository and
   * path, never content.
   */
  async readFile(repoURL: string, sha: string, path: string): Promise<Buffer> {
    assertRepoPath(path);
    return (await this.readFiles(repoURL, sha, [path])).get(path)!;
  }

  /**
   * Contents of several files at one commit through a single
   * `git cat-file --batch` process, keyed by the requested path. All or
   * nothing: any missing, refused or oversized file fails the call, with one
   * problem per path in the error's details.
   */
  async readFiles(
    repoURL: string,
    sha: string,
    paths: readonly string[],
  ): Promise<ReadonlyMap<string, Buffer>> {
    assertFullSha(sha);
    paths.forEach((p, index) => assertRepoPath(p, `paths[${index}]`));
    const unique = [...new Set(paths)];
    const mirror = this.mirror(repoURL);
    const maxObjectBytes = this.options.maxFileBytes ?? 16 * 1024 * 1024;
    const objectNames = await this.objectNames(mirror, sha, unique);
    let records: BatchRecord[];
    try {
      records = await this.atCommit(mirror, sha, async () => {
        // The commit itself comes first: its absence means "fetch", not "no such file".
        const answers = await catFileBatch(this.settings, mirror.dir, [sha, ...objectNames], {
          content: true,
          followSymlinks: true,
          maxObjectBytes,
        });
        if (answers[0].kind !== 'object' || answers[0].type !== 'commit') throw new CommitMissing();
        return answers.slice(1);
      });
    } catch (error) {
      if (!(error instanceof ObjectTooLargeError)) throw error;
      // Record 0 is the commit itself.
      const file = unique[error.index - 1] ?? sha;
      throw DomainError.invalid([
        {
          field: 'path',
          rule: 'git-max-file-size',
          message: `${file} in ${mirror.url.fetchUrl} has ${error.size} bytes, more than the limit of ${maxObjectBytes}`,
        },
      ]);
    }
    const problems = records.flatMap((record, index) => {
      const problem = readProblem(record, unique[index]);
      return problem ? [problem] : [];
    });
    if (problems.length > 0)
      throw readError(problems, `${mirror.url.fetchUrl} at ${sha.slice(0, 12)}`);
    return new Map(
      records.map((record, index) => [unique[index], (record as { content: Buffer }).content]),
    );
  }

  /**
   * Writes the directory `subPath` (`''` for the whole repository) at `sha`
   * into `destDir` (created, must be empty), for tools such as
   * `kubectl kustomize`. Links are re-pointed inside the export; a link
   * leaving it fails the export. Size and entry limits apply.
   */
  async exportTree(
    repoURL: string,
    sha: string,
    subPath: string,
    destDir: string,
  ): Promise<ExportSummary> {
    assertFullSha(sha);
    const whole = subPath === '' || subPath === '.';
    if (!whole) assertRepoPath(subPath, 'subPath');
    const mirror = this.mirror(repoURL);
    const where = `${mirror.url.fetchUrl}${whole ? '' : ` directory ${subPath}`} at ${sha.slice(0, 12)}`;
    const limits = {
      maxEntries: this.options.maxExportEntries ?? 100_000,
      maxTotalBytes: this.options.maxExportBytes ?? 256 * 1024 * 1024,
      maxFileBytes: this.options.maxFileBytes ?? 16 * 1024 * 1024,
    };
    if (!(await this.ensureCommit(mirror, sha))) {
      throw notFoundInRepo(`commit ${sha}`, mirror.url.fetchUrl);
    }
    try {
      return await exportMirrorTree(
        this.settings,
        mirror.dir,
        whole ? sha : `${sha}:${subPath}`,
        destDir,
        limits,
        where,
      );
    } catch (error) {
      if (
        error instanceof GitProcessError &&
        /not a tree object|Not a valid object name/i.test(error.stderr)
      ) {
        throw notFoundInRepo(`directory "${subPath}" at ${sha.slice(0, 12)}`, mirror.url.fetchUrl);
      }
      throw error instanceof DomainError ? error : upstreamError('export', where, error);
    }
  }

  /** Makes the next request for `repoURL` fetch, even within the interval (webhooks). */
  invalidate(repoURL: string): void {
    this.scheduler.invalidate(this.mirror(repoURL).url.key);
  }

  /** Fetches `repoURL` now (after any fetch already running that started before this call). */
  async fetchNow(repoURL: string): Promise<void> {
    this.invalidate(repoURL);
    await this.ensureFresh(this.mirror(repoURL));
  }

  /** The cached listing of the tree at `sha`, with object names. */
  private treeRecords(mirror: Mirror, sha: string): Promise<readonly TreeEntryRecord[]> {
    return this.trees.get(`${mirror.url.key}\0${sha}`, () =>
      this.atCommit(mirror, sha, () => listTreeRecords(this.settings, mirror.dir, sha)),
    );
  }

  /**
   * What to ask cat-file for each path. `<sha>:<path>` makes git walk the
   * trees again for every path, about 50 µs each; for many paths the blob
   * names come from the (usually cached) tree listing instead, which is ten
   * times faster. Links and paths not in the listing keep `<sha>:<path>` so
   * git follows in-repository links and reports the rest.
   */
  private async objectNames(
    mirror: Mirror,
    sha: string,
    paths: readonly string[],
  ): Promise<string[]> {
    const byName = (p: string): string => `${sha}:${p}`;
    if (paths.length < BULK_READ_PATHS) return paths.map(byName);
    const files = new Map<string, string>();
    for (const entry of await this.treeRecords(mirror, sha)) {
      if (entry.type === 'file') files.set(entry.path, entry.oid);
    }
    return paths.map((p) => files.get(p) ?? byName(p));
  }

  private mirror(repoURL: string): Mirror {
    const url = parseRepoUrl(repoURL, { allowFileRepos: this.options.allowFileRepos ?? false });
    const name = createHash('sha256').update(url.key).digest('hex').slice(0, 40);
    return { requested: repoURL, url, dir: path.join(this.mirrorsDir, `${name}.git`) };
  }

  private async ensureFresh(mirror: Mirror): Promise<void> {
    await this.prepare();
    const missing = !(await pathExists(mirror.dir));
    await this.scheduler.ensureFresh(
      mirror.url.key,
      async () => {
        const key = mirror.url.key;
        let fetched: string | undefined;
        try {
          fetched = await this.fetcher.fetch(mirror.requested, mirror.url, mirror.dir);
        } finally {
          // A fetch that moved no ref keeps what revisions resolved to: a poll of an unchanged
          // repository then costs one git process, not two (each spawn of this large process
          // blocks its event loop 10-25 ms). Anything else, a failed fetch included (it may
          // have moved some refs), forgets them.
          const unchanged = fetched !== undefined && this.fetchedRefs.get(key) === fetched;
          if (fetched === undefined) this.fetchedRefs.delete(key);
          else this.fetchedRefs.set(key, fetched);
          if (!unchanged) this.revisions.fetched(key);
        }
      },
      missing,
    );
  }

  /** True once `sha` is a commit in the mirror, fetching (by SHA if need be) when it is not. */
  private async ensureCommit(mirror: Mirror, sha: string): Promise<boolean> {
    const present = async (): Promise<boolean> => {
      const [answer] = await this.local(mirror, 'look up commit', () =>
        catFileBatch(this.settings, mirror.dir, [`${sha}^{commit}`], { content: false }),
      );
      return answer.kind === 'object';
    };
    if ((await pathExists(mirror.dir)) && (await present())) return true;
    await this.ensureFresh(mirror);
    if (await present()) return true;
    return (
      (await this.fetcher.fetchCommit(mirror.requested, mirror.url, mirror.dir, sha)) && present()
    );
  }

  /**
   * Runs a read at `sha`; when the commit is not in the mirror (a fresh data
   * directory, another replica resolved it) fetches it and retries once.
   */
  private async atCommit<T>(mirror: Mirror, sha: string, read: () => Promise<T>): Promise<T> {
    if (!(await pathExists(mirror.dir))) await this.ensureFresh(mirror);
    try {
      return await this.local(mirror, 'read', read);
    } catch (error) {
      if (!(error instanceof CommitMissing)) throw error;
    }
    if (!(await this.ensureCommit(mirror, sha))) {
      throw notFoundInRepo(`commit ${sha}`, mirror.url.fetchUrl);
    }
    return this.local(mirror, 'read', read);
  }

  /** Maps a failed local git command: a missing object becomes CommitMissing, the rest Upstream. */
  private async local<T>(mirror: Mirror, action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (
        error instanceof GitProcessError &&
        /not a tree object|Not a valid object name|bad object/i.test(error.stderr)
      ) {
        throw new CommitMissing();
      }
      if (
        error instanceof DomainError ||
        error instanceof CommitMissing ||
        error instanceof ObjectTooLargeError
      )
        throw error;
      throw upstreamError(`git ${action}`, mirror.url.fetchUrl, error);
    }
  }

  private prepare(): Promise<void> {
    this.ready ??= (async () => {
      for (const dir of [this.mirrorsDir, this.tempDir, this.settings.homeDir]) {
        await mkdir(dir, { recursive: true, mode: 0o700 });
      }
    })();
    return this.ready;
  }
}

/** From this many paths on, `readFiles` reads blobs by object name from the tree listing. */
const BULK_READ_PATHS = 32;

/** The commit is not in the mirror (yet). */
class CommitMissing extends Error {}
