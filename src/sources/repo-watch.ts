/**
 * Which Git repositories Fleetplane polls, and who must hear about a new
 * commit (pure functions). A repository is polled once per interval however
 * many Git sources and ApplicationSets read it; after the fetch each watched
 * revision is resolved, and only the readers whose recorded commit differs
 * are queued. Everything else that reads the repository stays idle, so a
 * push re-evaluates only the readers of that repository and branch.
 */
import { createHash } from 'node:crypto';

/** Work-queue kind of repository polls. */
export const GIT_REPO_WORK = 'git-repo';

/** A Git source as the poller sees it. */
export interface SourceReader {
  readonly id: string;
  readonly repoURL: string;
  readonly revision: string;
  /** The commit last applied (undefined: never applied). */
  readonly appliedSha: string | undefined;
  /** The last pass failed: queue it on every poll until it succeeds. */
  readonly failing: boolean;
}

/** An ApplicationSet with Git generators, as the poller sees it. */
export interface AppSetReader {
  readonly id: string;
  /** Repositories its Git generators name without interpolation. */
  readonly repoURLs: readonly string[];
  /** Commits its last successful generation read. */
  readonly revisions: readonly { repoURL: string; revision: string; sha: string }[];
}

/** The readers of one revision (branch, tag, `HEAD`) of a repository. */
export interface WatchedRevision {
  readonly revision: string;
  readonly sources: readonly { id: string; appliedSha: string | undefined; failing: boolean }[];
  readonly appSets: readonly { id: string; sha: string }[];
}

/** One repository to poll. */
export interface WatchedRepo {
  readonly key: string;
  /** A URL to fetch it by (the first reader's spelling). */
  readonly url: string;
  readonly revisions: readonly WatchedRevision[];
  /** ApplicationSets that read it but recorded no commit yet: queued after every poll. */
  readonly unresolvedAppSets: readonly string[];
}

/** The work-queue target of a repository's poll (a UUID derived from its mirror key). */
export function repoPollTargetId(key: string): string {
  const hex = createHash('sha256').update(`git-repo\0${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** `HEAD` for an empty or absent revision, as the mirror cache resolves it. */
export function normalRevision(revision: string | undefined): string {
  return revision === undefined || revision === '' ? 'HEAD' : revision;
}

/**
 * Every polled repository, keyed by its poll target id. `keyOf` maps a URL
 * to its mirror key (URLs it cannot parse are skipped: nothing can be fetched).
 */
export function watchedRepos(
  sources: readonly SourceReader[],
  appSets: readonly AppSetReader[],
  keyOf: (url: string) => string | null,
): Map<string, WatchedRepo> {
  interface Building {
    key: string;
    url: string;
    revisions: Map<
      string,
      { sources: WatchedRevision['sources'][number][]; appSets: Map<string, string> }
    >;
    recordedAppSets: Set<string>;
    staticAppSets: Set<string>;
  }
  const repos = new Map<string, Building>();
  const repo = (key: string, url: string): Building => {
    let entry = repos.get(key);
    if (!entry) {
      entry = {
        key,
        url,
        revisions: new Map(),
        recordedAppSets: new Set(),
        staticAppSets: new Set(),
      };
      repos.set(key, entry);
    }
    return entry;
  };
  const revisionOf = (entry: Building, revision: string) => {
    let readers = entry.revisions.get(revision);
    if (!readers) {
      readers = { sources: [], appSets: new Map() };
      entry.revisions.set(revision, readers);
    }
    return readers;
  };

  for (const source of sources) {
    const key = keyOf(source.repoURL);
    if (key === null) continue;
    revisionOf(repo(key, source.repoURL), normalRevision(source.revision)).sources.push({
      id: source.id,
      appliedSha: source.appliedSha,
      failing: source.failing,
    });
  }
  for (const appSet of appSets) {
    for (const read of appSet.revisions) {
      const key = keyOf(read.repoURL);
      if (key === null) continue;
      const entry = repo(key, read.repoURL);
      revisionOf(entry, normalRevision(read.revision)).appSets.set(appSet.id, read.sha);
      entry.recordedAppSets.add(appSet.id);
    }
  }
  for (const appSet of appSets) {
    for (const url of appSet.repoURLs) {
      const key = keyOf(url);
      if (key !== null) repo(key, url).staticAppSets.add(appSet.id);
    }
  }

  const result = new Map<string, WatchedRepo>();
  for (const entry of repos.values()) {
    result.set(repoPollTargetId(entry.key), {
      key: entry.key,
      url: entry.url,
      revisions: [...entry.revisions].map(([revision, readers]) => ({
        revision,
        sources: readers.sources,
        appSets: [...readers.appSets].map(([id, sha]) => ({ id, sha })),
      })),
      unresolvedAppSets: [...entry.staticAppSets].filter((id) => !entry.recordedAppSets.has(id)),
    });
  }
  return result;
}

/** What a resolution of one watched revision gave: a commit, or a failure. */
export type Resolution = { readonly sha: string } | { readonly error: string };

/**
 * The readers to queue after a poll: those whose recorded commit differs
 * from the resolved one, those that failed last time, and those whose
 * revision could not be resolved (so they report the error themselves).
 */
export function staleReaders(
  repo: WatchedRepo,
  resolutions: ReadonlyMap<string, Resolution>,
): { sources: string[]; appSets: string[] } {
  const sources = new Set<string>();
  const appSets = new Set<string>(repo.unresolvedAppSets);
  for (const watched of repo.revisions) {
    const resolution = resolutions.get(watched.revision);
    const sha = resolution && 'sha' in resolution ? resolution.sha : null;
    for (const source of watched.sources) {
      if (sha === null || source.failing || source.appliedSha !== sha) sources.add(source.id);
    }
    for (const appSet of watched.appSets) {
      if (sha === null || appSet.sha !== sha) appSets.add(appSet.id);
    }
  }
  return { sources: [...sources].sort(), appSets: [...appSets].sort() };
}

/** Every reader of the repository (a fetch failed: each records the error itself). */
export function allReaders(repo: WatchedRepo): { sources: string[]; appSets: string[] } {
  const sources = new Set<string>();
  const appSets = new Set<string>(repo.unresolvedAppSets);
  for (const watched of repo.revisions) {
    watched.sources.forEach((s) => sources.add(s.id));
    watched.appSets.forEach((a) => appSets.add(a.id));
  }
  return { sources: [...sources].sort(), appSets: [...appSets].sort() };
}
