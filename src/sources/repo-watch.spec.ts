import {
  Resolution,
  SourceReader,
  AppSetReader,
  allReaders,
  normalRevision,
  repoPollTargetId,
  staleReaders,
  watchedRepos,
} from './repo-watch';
import { repoKeyOf } from '../git/repo-url';

const REPO = 'https://git.example.com/org/fleet.git';
const KEY = repoKeyOf(REPO)!;

const source = (
  id: string,
  revision: string,
  appliedSha?: string,
  failing = false,
): SourceReader => ({
  id,
  repoURL: REPO,
  revision,
  appliedSha,
  failing,
});
const appSet = (
  id: string,
  revisions: { revision: string; sha: string }[],
  repoURLs: string[] = [REPO],
): AppSetReader => ({
  id,
  repoURLs,
  revisions: revisions.map((r) => ({ repoURL: REPO, ...r })),
});

describe(watchedRepos.name, () => {
  it('groups every reader of one repository under one poll, whatever the URL spelling', () => {
    const repos = watchedRepos(
      [
        source('s1', 'main'),
        { ...source('s2', ''), repoURL: 'https://GIT.example.com/org/fleet/' },
      ],
      [appSet('a1', [{ revision: 'main', sha: 'x' }])],
      repoKeyOf,
    );
    expect([...repos.keys()]).toEqual([repoPollTargetId(KEY)]);
    const repo = repos.get(repoPollTargetId(KEY))!;
    expect(repo.key).toBe(KEY);
    expect(repo.revisions.map((r) => r.revision).sort()).toEqual(['HEAD', 'main']);
    expect(repo.unresolvedAppSets).toEqual([]);
  });

  it('lists ApplicationSets that read a repository but recorded no commit yet', () => {
    const repos = watchedRepos([], [appSet('a1', [])], repoKeyOf);
    expect(repos.get(repoPollTargetId(KEY))!.unresolvedAppSets).toEqual(['a1']);
  });

  it('skips URLs that cannot be fetched', () => {
    expect(
      watchedRepos([{ ...source('s', 'main'), repoURL: 'ext::sh -c x' }], [], repoKeyOf).size,
    ).toBe(0);
  });

  it('derives a stable UUID per repository', () => {
    expect(repoPollTargetId(KEY)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(repoPollTargetId(KEY)).toBe(repoPollTargetId(KEY));
    expect(repoPollTargetId(KEY)).not.toBe(repoPollTargetId(`${KEY}-other`));
  });
});

describe(staleReaders.name, () => {
  const repo = watchedRepos(
    [
      source('s-main', 'main', 'old'),
      source('s-dev', 'dev', 'd1'),
      source('s-broken', 'dev', 'd1', true),
    ],
    [
      appSet('a-main', [{ revision: 'main', sha: 'old' }]),
      appSet('a-dev', [{ revision: 'dev', sha: 'd1' }]),
      appSet('a-new', []),
    ],
    repoKeyOf,
  ).get(repoPollTargetId(KEY))!;

  it.each<[string, Record<string, Resolution>, string[], string[]]>([
    [
      'main moved: only its readers, plus the failing source and the unresolved ApplicationSet',
      { main: { sha: 'new' }, dev: { sha: 'd1' } },
      ['s-broken', 's-main'],
      ['a-main', 'a-new'],
    ],
    ['nothing moved', { main: { sha: 'old' }, dev: { sha: 'd1' } }, ['s-broken'], ['a-new']],
    [
      'dev cannot be resolved: its readers report it',
      { main: { sha: 'old' }, dev: { error: 'branch gone' } },
      ['s-broken', 's-dev'],
      ['a-dev', 'a-new'],
    ],
  ])('%s', (_what, resolved, sources, appSets) => {
    expect(staleReaders(repo, new Map(Object.entries(resolved)))).toEqual({ sources, appSets });
  });

  it('tells every reader when the fetch fails', () => {
    expect(allReaders(repo)).toEqual({
      sources: ['s-broken', 's-dev', 's-main'],
      appSets: ['a-dev', 'a-main', 'a-new'],
    });
  });
});

describe(normalRevision.name, () => {
  it.each([
    [undefined, 'HEAD'],
    ['', 'HEAD'],
    ['HEAD', 'HEAD'],
    ['main', 'main'],
  ])('%p → %p', (given, expected) => expect(normalRevision(given)).toBe(expected));
});
