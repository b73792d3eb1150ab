/**
 * Git access for Fleetplane: the mirror cache (the `GitReader` the
 * generators use), repository URL rules and the credentials port.
 */
export { GitMirrorCache } from './git-mirror-cache';
export type { GitMirrorCacheOptions } from './git-mirror-cache';
export type { KnownHostsSource } from './known-hosts';
export type { RepoCredentials, RepoCredentialsProvider } from './git-env';
export type { GitRequestEvent, GitRequestObserver } from './mirror-fetcher';
export type { ExportSummary } from './tree-export';
export { parseRepoUrl, repoUrlProblems, scrubSecrets, scrubUrls } from './repo-url';
export type { RepoUrl, RepoUrlPolicy } from './repo-url';
export { isFullSha, repoPathProblems, revisionProblems } from './git-input-rules';
