/**
 * Network side of the mirror cache: creates a bare mirror on first use and
 * fetches into it. A new mirror is built in a temporary directory and renamed
 * into place, so a crash or a second process sharing the data directory
 * never sees a half-cloned mirror. The mirror's config holds no remote and
 * no URL: every fetch names the URL and refspecs explicitly.
 */
import { hash } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DomainError } from '../common/domain-error';
import { isLockContention, upstreamError } from './git-errors';
import { GitProcessError } from './git-process';
import { pathExists } from './path-exists';
import { GitSettings, runInMirror } from './mirror-commands';
import { RepoUrl } from './repo-url';
import { OpenedAccess, openTransportAccess, TransportAccessSources } from './transport-access';

/** One network request to a Git server, for metrics (`fleetplane_git_request_*`). */
export interface GitRequestEvent {
  /** The repository URL without credentials. */
  readonly repo: string;
  readonly requestType: 'fetch';
  readonly outcome: 'success' | 'failure';
  readonly durationSeconds: number;
}

/** Called after every network request; it must not throw (errors are ignored). */
export type GitRequestObserver = (event: GitRequestEvent) => void;

/** What a MirrorFetcher needs. */
export interface MirrorFetcherOptions {
  readonly settings: GitSettings;
  /** Private directory for mirrors under construction and key files (same file system as the mirrors). */
  readonly tempDir: string;
  readonly access: TransportAccessSources;
  readonly observer?: GitRequestObserver;
  /** Network fetches running at once across all repositories. */
  readonly maxConcurrentFetches: number;
}

/** Branches and tags, pruned; the remote's HEAD under a private ref (its default branch). */
const BRANCHES_AND_TAGS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];
export const DEFAULT_BRANCH_REF = 'refs/fleetplane/default-branch';
const REMOTE_HEAD = `+HEAD:${DEFAULT_BRANCH_REF}`;
const FETCH_ONE = ['fetch', '--no-tags', '--no-write-fetch-head', '--quiet'];
/**
 * The full fetch writes FETCH_HEAD: one line per fetched ref with its SHA,
 * which tells whether any ref moved without another git process.
 */
const FETCH = ['fetch', '--no-tags', '--quiet', '--prune'];
const LOCK_RETRIES = 3;

export class MirrorFetcher {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Tail of the operations queued on each mirror directory. */
  private readonly perMirror = new Map<string, Promise<void>>();

  constructor(private readonly options: MirrorFetcherOptions) {}

  /**
   * Brings the mirror at `mirrorDir` up to date with the remote, creating it
   * when it does not exist. Throws a DomainError (`Upstream`, message
   * scrubbed) when the fetch fails; a failure never leaves a partial mirror.
   * Resolves with a digest of the refs fetched as git recorded them
   * (FETCH_HEAD: every branch, tag and the remote HEAD with its SHA), or
   * undefined when that record cannot be read: the same digest after two
   * fetches means no ref moved in between.
   */
  async fetch(repoURL: string, repo: RepoUrl, mirrorDir: string): Promise<string | undefined> {
    let fetched: string | undefined;
    await this.request(repoURL, repo, mirrorDir, async (access) => {
      if (await pathExists(mirrorDir)) {
        await this.fetchInto(mirrorDir, repo, access);
        fetched = await fetchedRefs(mirrorDir);
        return;
      }
      const building = await mkdtemp(path.join(this.options.tempDir, 'mirror-'));
      try {
        await runInMirror(this.options.settings, undefined, [
          'init',
          '--bare',
          '--quiet',
          '--template=',
          building,
        ]);
        await writeFile(path.join(building, 'description'), `${repo.fetchUrl}\n`);
        await this.fetchInto(building, repo, access);
        const built = await fetchedRefs(building);
        fetched = await rename(building, mirrorDir).then(
          () => built,
          (error: NodeJS.ErrnoException) => {
            // Another process sharing the data directory created it first: use theirs, whose
            // refs this fetch did not see.
            if (error.code !== 'EEXIST' && error.code !== 'ENOTEMPTY') throw error;
            return undefined;
          },
        );
      } finally {
        await rm(building, { recursive: true, force: true });
      }
    });
    return fetched;
  }

  /**
   * Fetches one commit by SHA (for a commit no branch or tag reaches, as
   * Argo CD does). Resolves false when the server does not have it or will
   * not serve it; throws `Upstream` when the server cannot be reached.
   */
  async fetchCommit(
    repoURL: string,
    repo: RepoUrl,
    mirrorDir: string,
    sha: string,
  ): Promise<boolean> {
    let served = true;
    const args = [
      ...FETCH_ONE,
      '--end-of-options',
      repo.fetchUrl,
      `+${sha}:refs/fleetplane/commits/${sha}`,
    ];
    await this.request(repoURL, repo, mirrorDir, async (access) => {
      try {
        await this.run(mirrorDir, args, access);
      } catch (error) {
        if (!(error instanceof GitProcessError) || !isUnservedCommit(error)) throw error;
        served = false;
      }
    });
    return served;
  }

  /**
   * Runs one network operation on a mirror: after any other operation on the
   * same mirror (per-repository serialisation; git would otherwise fight
   * over ref locks), within the global fetch limit, with access prepared
   * and released, and reported to the observer.
   */
  private request(
    repoURL: string,
    repo: RepoUrl,
    mirrorDir: string,
    operation: (access: OpenedAccess) => Promise<void>,
  ): Promise<void> {
    const previous = this.perMirror.get(mirrorDir) ?? Promise.resolve();
    const run = previous.then(() => this.requestNow(repoURL, repo, operation));
    const settled = run.catch(() => undefined);
    this.perMirror.set(mirrorDir, settled);
    void settled.then(() => {
      if (this.perMirror.get(mirrorDir) === settled) this.perMirror.delete(mirrorDir);
    });
    return run;
  }

  private async requestNow(
    repoURL: string,
    repo: RepoUrl,
    operation: (access: OpenedAccess) => Promise<void>,
  ): Promise<void> {
    await this.acquire();
    let opened: OpenedAccess | undefined;
    const started = performance.now();
    try {
      opened = await openTransportAccess(repoURL, repo, this.options.access);
      await operation(opened);
      this.observe(repo, 'success', started);
    } catch (error) {
      if (error instanceof DomainError && !opened) throw error;
      this.observe(repo, 'failure', started);
      throw upstreamError('git fetch', repo.fetchUrl, error, opened?.secrets);
    } finally {
      await opened?.close();
      this.release();
    }
  }

  /** One fetch of branches, tags and the remote HEAD, retried while another process holds a ref lock. */
  private async fetchInto(gitDir: string, repo: RepoUrl, access: OpenedAccess): Promise<void> {
    const args = [...FETCH, '--end-of-options', repo.fetchUrl, ...BRANCHES_AND_TAGS];
    try {
      await this.run(gitDir, [...args, REMOTE_HEAD], access);
    } catch (error) {
      // An empty repository, or one whose HEAD names a deleted branch, has no
      // default branch; its branches and tags are still worth mirroring.
      if (
        !(error instanceof GitProcessError) ||
        !/couldn't find remote ref HEAD/.test(error.stderr)
      ) {
        throw error;
      }
      await this.run(gitDir, args, access);
      await runInMirror(this.options.settings, gitDir, ['update-ref', '-d', DEFAULT_BRANCH_REF]);
    }
  }

  private async run(gitDir: string, args: readonly string[], opened: OpenedAccess): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await runInMirror(this.options.settings, gitDir, args, { access: opened.access });
        return;
      } catch (error) {
        if (attempt >= LOCK_RETRIES || !isLockContention(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 200));
      }
    }
  }

  private observe(repo: RepoUrl, outcome: GitRequestEvent['outcome'], started: number): void {
    try {
      this.options.observer?.({
        repo: repo.fetchUrl,
        requestType: 'fetch',
        outcome,
        durationSeconds: (performance.now() - started) / 1000,
      });
    } catch {
      // Metrics must never break a fetch.
    }
  }

  private async acquire(): Promise<void> {
    if (this.active < this.options.maxConcurrentFetches) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}

/** The server does not have the commit or will not send it by SHA. */
function isUnservedCommit(error: GitProcessError): boolean {
  return /not our ref|couldn't find remote ref|no such remote ref|unadvertised object|upload-pack: not our ref/i.test(
    error.stderr,
  );
}

/** A digest of what the last full fetch into `gitDir` recorded, or undefined when it cannot be read. */
async function fetchedRefs(gitDir: string): Promise<string | undefined> {
  const recorded = await readFile(path.join(gitDir, 'FETCH_HEAD')).catch(() => undefined);
  return recorded && hash('sha256', recorded, 'hex');
}
