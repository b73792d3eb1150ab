import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DomainErrorCode } from '../../src/common/domain-error';
import { GitMirrorCache } from '../../src/git';
import { TestGitRepo } from '../support/git-repo';
import { domainError, mirrorCache, removeAll, tempDir } from './git-test-kit';

describe('GitMirrorCache: resolving revisions (file://)', () => {
  const dirs: string[] = [];
  let repo: TestGitRepo;
  let sut: GitMirrorCache;
  let first: string;
  let second: string;
  let feature: string;

  beforeAll(async () => {
    // Given a repository with two commits on main, a feature branch, tags and a branch named like a tag
    repo = await TestGitRepo.create();
    first = await repo.commitFiles({ 'apps/a/config.json': '{"a":1}' }, 'first');
    await repo.tag('v1.0.0');
    await repo.tag('v1.0.0-annotated', { annotated: true });
    second = await repo.commitFiles({ 'apps/b/config.json': '{"b":2}' }, 'second');
    await repo.checkout('feature', { create: true });
    feature = await repo.commitFiles({ 'apps/c/config.json': '{}' }, 'feature');
    await repo.checkout('main');
    await repo.tag('feature', { at: first }); // a tag with a branch's name
    sut = mirrorCache(await tempDir('mirrors', dirs));
  });

  afterAll(async () => {
    await repo.cleanup();
    await removeAll(dirs);
  });

  it.each<[string, string | undefined, () => string]>([
    ['a branch', 'main', () => second],
    ['a branch by full ref', 'refs/heads/feature', () => feature],
    ['a lightweight tag', 'v1.0.0', () => first],
    ['an annotated tag, peeled to its commit', 'v1.0.0-annotated', () => first],
    ['a tag by full ref', 'refs/tags/feature', () => first],
    ['the branch when a tag has the same name (as Argo CD)', 'feature', () => feature],
    ['HEAD as the default branch', 'HEAD', () => second],
    ['an empty revision as the default branch', '', () => second],
    ['a missing revision as the default branch', undefined, () => second],
    ['a full SHA', 'FIRST', () => first],
    ['an abbreviated SHA', 'FIRST7', () => first],
  ])('resolves %s', async (_, revision, expected) => {
    const input =
      revision === 'FIRST' ? first : revision === 'FIRST7' ? first.slice(0, 7) : revision;
    await expect(sut.resolveRevision(repo.url, input)).resolves.toBe(expected());
  });

  it('names an unknown revision in a NotFound error', async () => {
    const error = await domainError(
      sut.resolveRevision(repo.url, 'no-such-branch'),
      DomainErrorCode.NotFound,
    );
    expect(error.message).toContain('"no-such-branch"');
    expect(error.message).toContain(repo.url);
  });

  it('refuses revision expressions before running git', async () => {
    for (const revision of ['main:apps/a/config.json', '--output=/tmp/x', 'main~1', '@{-1}']) {
      await domainError(sut.resolveRevision(repo.url, revision), DomainErrorCode.Invalid);
    }
  });

  it('fetches a commit that no branch or tag reaches by its SHA', async () => {
    // Given a commit whose branch was deleted after the mirror was last fetched
    await repo.checkout('gone', { create: true });
    const orphan = await repo.commitFiles({ 'orphan.txt': 'x' }, 'orphan');
    await repo.checkout('main');
    await repo.deleteBranch('gone');
    // When it is asked for by full SHA, then it is fetched and resolved
    await expect(sut.resolveRevision(repo.url, orphan)).resolves.toBe(orphan);
    expect((await sut.readFile(repo.url, orphan, 'orphan.txt')).toString()).toBe('x');
  });

  it('reports a full SHA that exists nowhere as NotFound', async () => {
    await domainError(sut.resolveRevision(repo.url, 'f'.repeat(40)), DomainErrorCode.NotFound);
  });
});

describe('GitMirrorCache: fetch interval and invalidation (file://)', () => {
  const dirs: string[] = [];
  let repo: TestGitRepo;
  let clock: number;
  let sut: GitMirrorCache;

  beforeEach(async () => {
    repo = await TestGitRepo.create();
    await repo.commitFiles({ 'a.txt': '1' }, 'one');
    clock = 0;
    sut = mirrorCache(await tempDir('mirrors', dirs), {
      fetchIntervalSeconds: 180,
      now: () => clock,
    });
  });

  afterEach(async () => {
    await repo.cleanup();
    await removeAll(dirs);
  });

  it('sees a new commit only after the interval', async () => {
    const before = await sut.resolveRevision(repo.url, 'main');
    const after = await repo.commitFiles({ 'a.txt': '2' }, 'two');
    clock = 179_000;
    await expect(sut.resolveRevision(repo.url, 'main')).resolves.toBe(before);
    clock = 180_000;
    await expect(sut.resolveRevision(repo.url, 'main')).resolves.toBe(after);
  });

  it('sees a new commit at once after invalidate (webhook) or fetchNow', async () => {
    await sut.resolveRevision(repo.url, 'main');
    const second = await repo.commitFiles({ 'a.txt': '2' }, 'two');
    sut.invalidate(repo.url);
    await expect(sut.resolveRevision(repo.url, 'main')).resolves.toBe(second);
    const third = await repo.commitFiles({ 'a.txt': '3' }, 'three');
    await sut.fetchNow(repo.url);
    await expect(sut.resolveRevision(repo.url, 'main')).resolves.toBe(third);
  });

  it('treats another spelling of the same URL as the same mirror', async () => {
    await sut.resolveRevision(repo.url, 'main');
    const second = await repo.commitFiles({ 'a.txt': '2' }, 'two');
    sut.invalidate(`${repo.url}.git/`);
    await expect(sut.resolveRevision(repo.url, 'main')).resolves.toBe(second);
  });

  it('prunes deleted branches on the next fetch', async () => {
    await repo.branch('short-lived');
    await expect(sut.resolveRevision(repo.url, 'short-lived')).resolves.toMatch(/^[0-9a-f]{40}$/);
    await repo.deleteBranch('short-lived');
    sut.invalidate(repo.url);
    await domainError(sut.resolveRevision(repo.url, 'short-lived'), DomainErrorCode.NotFound);
  });

  it('reports a repository without a default branch, yet serves its other branches', async () => {
    await repo.git('symbolic-ref', 'HEAD', 'refs/heads/does-not-exist');
    const error = await domainError(
      sut.resolveRevision(repo.url, 'HEAD'),
      DomainErrorCode.NotFound,
    );
    expect(error.message).toContain('default branch');
    await expect(sut.resolveRevision(repo.url, 'main')).resolves.toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('GitMirrorCache: a fetch that moved no ref (file://)', () => {
  const dirs: string[] = [];
  let repo: TestGitRepo;
  let log: string;
  let sut: GitMirrorCache;

  /** The git subcommands run since the last call (read from the wrapper's log). */
  async function commandsRun(): Promise<string[]> {
    const lines = (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
    await writeFile(log, '');
    return lines.map(
      (line) =>
        (/ (fetch|cat-file|ls-tree|init|update-ref)( |$)/.exec(` ${line}`) ?? [])[1] ?? line,
    );
  }

  beforeEach(async () => {
    repo = await TestGitRepo.create();
    await repo.commitFiles({ 'a.txt': '1' }, 'one');
    // Given git run through a wrapper that logs every command
    const bin = await tempDir('git-wrapper', dirs);
    log = path.join(bin, 'commands.log');
    const wrapper = path.join(bin, 'git');
    await writeFile(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec git "$@"\n`);
    await chmod(wrapper, 0o755);
    sut = mirrorCache(await tempDir('mirrors', dirs), { gitBinary: wrapper });
  });

  afterEach(async () => {
    await repo.cleanup();
    await removeAll(dirs);
  });

  it('keeps what revisions resolved to: the poll runs git fetch only', async () => {
    const first = await sut.resolveRevision(repo.url, 'main');
    expect(await commandsRun()).toEqual(expect.arrayContaining(['fetch', 'cat-file']));
    await sut.fetchNow(repo.url);
    await expect(sut.resolveRevision(repo.url, 'main')).resolves.toBe(first);
    expect(await commandsRun()).toEqual(['fetch']);
  });

  it('forgets them when any ref moved, even one nobody asked for', async () => {
    const first = await sut.resolveRevision(repo.url, 'main');
    await repo.tag('v1');
    await sut.fetchNow(repo.url);
    await commandsRun();
    await expect(sut.resolveRevision(repo.url, 'main')).resolves.toBe(first);
    expect(await commandsRun()).toEqual(['cat-file']);
    await expect(sut.resolveRevision(repo.url, 'v1')).resolves.toBe(first);
  });

  it('follows a new commit, a branch forced back and a deleted branch', async () => {
    const first = await sut.resolveRevision(repo.url, 'main');
    await repo.branch('short-lived');
    const second = await repo.commitFiles({ 'a.txt': '2' }, 'two');
    await sut.fetchNow(repo.url);
    await expect(sut.resolveRevision(repo.url, 'main')).resolves.toBe(second);
    await expect(sut.resolveRevision(repo.url, 'short-lived')).resolves.toBe(first);
    await repo.git('reset', '--hard', first);
    await sut.fetchNow(repo.url);
    await expect(sut.resolveRevision(repo.url, 'main')).resolves.toBe(first);
    await repo.deleteBranch('short-lived');
    await sut.fetchNow(repo.url);
    await domainError(sut.resolveRevision(repo.url, 'short-lived'), DomainErrorCode.NotFound);
  });

  it('forgets them after a failed fetch', async () => {
    await sut.resolveRevision(repo.url, 'main');
    // When the repository is out of reach for one fetch
    const moved = `${repo.dir}-moved`;
    await rename(repo.dir, moved);
    try {
      await domainError(sut.fetchNow(repo.url), DomainErrorCode.Upstream);
    } finally {
      await rename(moved, repo.dir);
    }
    await commandsRun();
    // Then the next answer is looked up again
    await sut.resolveRevision(repo.url, 'main');
    expect(await commandsRun()).toContain('cat-file');
  });
});
