/**
 * Git change detection by polling, one poll per repository (not per reader):
 * every `FLEETPLANE_GIT_POLL_SECONDS` (±10 % jitter) the repository is
 * fetched once through the shared mirror cache, each revision its readers
 * follow is resolved, and only the Git sources and ApplicationSets whose
 * recorded commit moved are queued. Webhooks and `POST /sources/{name}/refresh`
 * run the same poll at once. Polls are durable work-queue items, so one
 * replica polls a repository at a time and a restart keeps the schedule.
 */
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { gitSourcesOf } from '../generators';
import { GitMirrorCache } from '../git/git-mirror-cache';
import { ApplicationSet } from '../argo/applicationset.types';
import { ApplicationSetRepository } from '../applicationsets/applicationset.repository';
import { APPLICATIONSET_WORK } from '../applicationsets/applicationset.service';
import { withJitter } from '../work-queue/work-queue.backoff';
import { WorkItem } from '../work-queue/work-queue.repository';
import { WorkOutcome, WorkQueue } from '../work-queue/work-queue.service';
import { SourceRepository } from './source.repository';
import { SOURCE_WORK } from './source.model';
import {
  GIT_REPO_WORK,
  Resolution,
  WatchedRepo,
  allReaders,
  repoPollTargetId,
  staleReaders,
  watchedRepos,
} from './repo-watch';
import { repoKeyOf } from '../git/repo-url';

@Injectable()
export class RepoPoller implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RepoPoller.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sources: SourceRepository,
    private readonly appSets: ApplicationSetRepository,
    private readonly git: GitMirrorCache,
    private readonly queue: WorkQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.queue.register(GIT_REPO_WORK, (item) => this.poll(item), { concurrency: 2 });
  }

  /** Puts every watched repository on the schedule, now and then every interval (a safety net). */
  async onApplicationBootstrap(): Promise<void> {
    await this.scheduleAll().catch((error) =>
      this.logger.warn(`scheduling Git polls failed: ${(error as Error).message}`),
    );
    this.timer = setInterval(
      () => void this.scheduleAll().catch(() => undefined),
      this.config.git.pollSeconds * 1000,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One poll of one repository; returns when to poll it again (never, once nothing reads it). */
  async poll(item: Pick<WorkItem, 'targetId' | 'attempts'>): Promise<WorkOutcome> {
    const repo = (await this.watched()).get(item.targetId);
    if (!repo) return { rerunAt: null };
    const rerunAt = this.nextPoll();
    try {
      await this.git.fetchNow(repo.url);
    } catch (error) {
      // Tell the readers once (they record the error and retry with their own backoff).
      if (item.attempts === 0)
        await this.queueReaders(allReaders(repo), `fetching ${repo.key} failed`);
      throw error;
    }
    const resolutions = new Map<string, Resolution>();
    for (const watched of repo.revisions) {
      try {
        resolutions.set(watched.revision, {
          sha: await this.git.resolveRevision(repo.url, watched.revision),
        });
      } catch (error) {
        resolutions.set(watched.revision, { error: (error as Error).message });
      }
    }
    const stale = staleReaders(repo, resolutions);
    await this.queueReaders(stale, `new commit in ${repo.key}`);
    if (stale.sources.length + stale.appSets.length > 0) {
      this.logger.log(
        `${repo.key}: ${stale.sources.length} sources and ${stale.appSets.length} ApplicationSets to refresh`,
      );
    }
    return { rerunAt };
  }

  /**
   * Polls the repositories behind `urls` at once (webhooks, refresh): the
   * local mirror is marked stale and the poll is queued now. Returns the
   * watched repositories that matched.
   */
  async pollNow(urls: readonly string[], reason: string): Promise<WatchedRepo[]> {
    const keys = new Set(urls.map(repoKeyOf).filter((k): k is string => k !== null));
    const matched = [...(await this.watched()).values()].filter((repo) => keys.has(repo.key));
    for (const repo of matched) this.git.invalidate(repo.url);
    await this.queue.enqueue(
      matched.map((repo) => ({
        kind: GIT_REPO_WORK,
        targetId: repoPollTargetId(repo.key),
        reason,
      })),
    );
    return matched;
  }

  /** Adds the polls of repositories not on the schedule yet (existing ones keep their time). */
  async scheduleAll(): Promise<void> {
    await this.queue.schedule(
      [...(await this.watched()).values()].map((repo) => ({
        kind: GIT_REPO_WORK,
        targetId: repoPollTargetId(repo.key),
        reason: 'polling',
        notBefore: this.nextPoll(),
      })),
    );
  }

  private async watched(): Promise<Map<string, WatchedRepo>> {
    const [sources, appSets] = await Promise.all([
      this.sources.list(),
      this.appSets.listGitReaders(),
    ]);
    return watchedRepos(
      sources.map((s) => ({
        id: s.id,
        repoURL: s.repoURL,
        revision: s.revision,
        appliedSha: s.status.revision,
        failing: Boolean(s.status.error),
      })),
      appSets.map((a) => ({
        id: a.id,
        repoURLs: staticRepoUrls(a.generators),
        revisions: a.revisions,
      })),
      repoKeyOf,
    );
  }

  private async queueReaders(
    readers: { sources: readonly string[]; appSets: readonly string[] },
    reason: string,
  ): Promise<void> {
    await this.queue.enqueue([
      ...readers.sources.map((targetId) => ({ kind: SOURCE_WORK, targetId, reason })),
      ...readers.appSets.map((targetId) => ({ kind: APPLICATIONSET_WORK, targetId, reason })),
    ]);
  }

  private nextPoll(): Date {
    return new Date(Date.now() + withJitter(this.config.git.pollSeconds * 1000));
  }
}

/** Repositories the Git generators name without matrix interpolation. */
function staticRepoUrls(generators: ApplicationSet['spec']['generators']): string[] {
  const appSet = { spec: { generators } } as unknown as ApplicationSet;
  return gitSourcesOf(appSet)
    .filter((use) => !use.dependsOnInterpolation && use.repoURL !== '')
    .map((use) => use.repoURL);
}
