/**
 * Which commit each Application's target revision points at, resolved once
 * per (repository, revision) however many Applications follow it, and
 * re-resolved on the Git poll interval (the mirror cache fetches at most
 * that often anyway). When a branch moves, every Application following it
 * is woken at once: a commit reaches a thousand clusters with one resolve.
 * A pinned commit SHA never changes and is never polled. An Application
 * with several sources follows each of them, and is woken when any moves.
 */
import { Logger } from '@nestjs/common';
import { ApplicationSource } from '../../../argo/application.types';
import { isFullSha } from '../../../git/git-input-rules';

export interface RevisionTrackerOptions {
  /** How long a resolved commit is trusted before it is resolved again. */
  readonly ttlMs: number;
  /** Resolves polled at once. */
  readonly concurrency: number;
  /**
   * Told each repository once at the start of every periodic poll, to make
   * its resolves fetch. The poll is the fetch interval; left to the mirror's
   * own interval of the same length, the two alias and a commit can wait
   * for two of them.
   */
  readonly beforePoll?: (repoURL: string) => void;
}

interface Tracked {
  readonly source: ApplicationSource;
  sha?: string;
  resolvedAtMs: number;
  inFlight?: Promise<string>;
  readonly followers: Set<string>;
}

export class RevisionTracker {
  private readonly logger = new Logger(RevisionTracker.name);
  private readonly tracked = new Map<string, Tracked>();
  /** The keys of the sources each follower follows, in its source order. */
  private readonly followed = new Map<string, readonly string[]>();
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly resolver: (source: ApplicationSource) => Promise<string>,
    /** Told which followers' revision moved. */
    private readonly onMoved: (followers: string[]) => void,
    private readonly options: RevisionTrackerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The commit `source` points at, for `follower` (who is then woken when it
   * moves). A cached answer younger than the TTL is reused unless `fresh`.
   */
  async resolve(follower: string, source: ApplicationSource, fresh = false): Promise<string> {
    return (await this.resolveAll(follower, [source], fresh))[0];
  }

  /**
   * The commit each of `sources` points at, in order, for `follower` (who is
   * then woken when any of them moves, and no longer for sources it dropped).
   */
  async resolveAll(
    follower: string,
    sources: readonly ApplicationSource[],
    fresh = false,
  ): Promise<string[]> {
    const keys = sources.map(keyOf);
    const previous = this.followed.get(follower);
    if (!previous || previous.length !== keys.length || previous.some((k, i) => k !== keys[i])) {
      for (const key of previous ?? []) if (!keys.includes(key)) this.unfollow(follower, key);
      this.followed.set(follower, keys);
    }
    // One source is the common case: no Promise.all for it (10,000 Applications, one pass each).
    if (sources.length === 1) return [await this.resolveOne(follower, keys[0], sources[0], fresh)];
    return Promise.all(
      sources.map((source, index) => this.resolveOne(follower, keys[index], source, fresh)),
    );
  }

  /** Stops following (the Application is gone or moved to another cluster). */
  forget(follower: string): void {
    const keys = this.followed.get(follower);
    if (keys === undefined) return;
    this.followed.delete(follower);
    for (const key of keys) this.unfollow(follower, key);
  }

  /**
   * Polls every `ttlMs` (±10 %) until stopped, at a fixed rate: the next
   * poll is due a period after this one started, not after it ended (a
   * fetch under load takes a good part of a second, which would otherwise
   * lengthen every period). A poll still running when the next is due is
   * joined, not doubled.
   */
  start(): void {
    this.stopped = false;
    const tick = () => {
      this.timer = setTimeout(
        () => {
          if (this.stopped) return;
          tick();
          void this.poll();
        },
        this.options.ttlMs * (0.9 + 0.2 * Math.random()),
      );
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves every followed, unpinned revision again and wakes the followers of those that moved. */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => (this.polling = null));
    return this.polling;
  }

  /**
   * Resolves again, at once, every followed revision of the repositories
   * `matches` accepts (a push webhook named them); `beforeResolve` is told
   * each such repository once first (to make its next resolve fetch).
   * Followers of the revisions that moved are woken.
   */
  async refreshRepositories(
    matches: (repoURL: string) => boolean,
    beforeResolve: (repoURL: string) => void = () => undefined,
  ): Promise<void> {
    const due = [...this.tracked.values()].filter(
      (entry) => !isFullSha(entry.source.targetRevision ?? '') && matches(entry.source.repoURL),
    );
    for (const repoURL of new Set(due.map((entry) => entry.source.repoURL))) beforeResolve(repoURL);
    await Promise.all(
      due.map((entry) =>
        this.refresh(entry).catch((error: unknown) =>
          this.logger.warn(
            `resolving ${entry.source.targetRevision ?? 'HEAD'} of ${entry.source.repoURL} after a push failed: ${(error as Error).message}`,
          ),
        ),
      ),
    );
  }

  /** Distinct revisions followed (for metrics and tests). */
  get size(): number {
    return this.tracked.size;
  }

  private async pollOnce(): Promise<void> {
    const due = [...this.tracked.values()].filter(
      (entry) => !isFullSha(entry.source.targetRevision ?? ''),
    );
    for (const repoURL of new Set(due.map((entry) => entry.source.repoURL))) {
      this.options.beforePoll?.(repoURL);
    }
    let next = 0;
    const worker = async () => {
      while (next < due.length) {
        const entry = due[next++];
        try {
          await this.refresh(entry);
        } catch (error) {
          // The followers' next pass resolves again and reports the error on each Application.
          this.logger.warn(
            `resolving ${entry.source.targetRevision ?? 'HEAD'} of ${entry.source.repoURL} failed: ${(error as Error).message}`,
          );
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.options.concurrency, due.length) }, worker),
    );
  }

  /**
   * Resolves again. Whoever notices a move wakes every follower (but the one
   * that asked, which is using the new commit already), so a pass that
   * happens to resolve first does not hide the commit from the others.
   */
  private refresh(entry: Tracked, asking?: string): Promise<string> {
    entry.inFlight ??= this.resolver(entry.source)
      .then((sha) => {
        const before = entry.sha;
        entry.sha = sha;
        entry.resolvedAtMs = this.now();
        if (before !== undefined && before !== sha) {
          const woken = [...entry.followers].filter((f) => f !== asking);
          if (woken.length > 0) this.onMoved(woken);
        }
        return sha;
      })
      .finally(() => (entry.inFlight = undefined));
    return entry.inFlight;
  }

  private resolveOne(
    follower: string,
    key: string,
    source: ApplicationSource,
    fresh: boolean,
  ): string | Promise<string> {
    const entry = this.entryFor(key, source);
    entry.followers.add(follower);
    const pinned = isFullSha(source.targetRevision ?? '');
    if (entry.sha && (pinned || (!fresh && this.now() - entry.resolvedAtMs < this.options.ttlMs))) {
      return entry.sha;
    }
    return this.refresh(entry, follower);
  }

  private entryFor(key: string, source: ApplicationSource): Tracked {
    let entry = this.tracked.get(key);
    if (!entry) {
      entry = {
        source: { repoURL: source.repoURL, targetRevision: source.targetRevision },
        resolvedAtMs: 0,
        followers: new Set(),
      };
      this.tracked.set(key, entry);
    }
    return entry;
  }

  private unfollow(follower: string, key: string): void {
    const entry = this.tracked.get(key);
    if (!entry) return;
    entry.followers.delete(follower);
    if (entry.followers.size === 0 && !entry.inFlight) this.tracked.delete(key);
  }
}

function keyOf(source: ApplicationSource): string {
  return `${source.repoURL}\u0000${source.targetRevision ?? ''}`;
}
