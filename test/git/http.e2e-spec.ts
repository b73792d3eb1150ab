import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DomainErrorCode } from '../../src/common/domain-error';
import { GitMirrorCache, GitRequestEvent, RepoCredentials } from '../../src/git';
import { GitHttpServer } from '../support/git-http-server';
import { TestGitRepo } from '../support/git-repo';
import { domainError, mirrorCache, removeAll, tempDir } from './git-test-kit';

const TOKEN = 'fp-test-token-7c1e93';

describe('GitMirrorCache over smart HTTP', () => {
  const dirs: string[] = [];
  let server: GitHttpServer;
  let repo: TestGitRepo;
  let url: string;
  let credentials: RepoCredentials | undefined;
  let events: GitRequestEvent[];
  let argvLog: string;
  let gitWrapper: string;
  let root: string;
  let sut: GitMirrorCache;

  beforeAll(async () => {
    // Given a repository served over HTTP that demands a bearer token
    const served = await tempDir('served', dirs);
    server = await GitHttpServer.start({
      root: served,
      auth: { bearerToken: TOKEN, basic: { username: 'ci', password: TOKEN } },
    });
    repo = await TestGitRepo.create({ parentDir: served, name: 'apps' });
    await repo.commitFiles({ 'apps/a/config.json': '{}' }, 'first');
    url = server.url('apps');
    // and a git wrapper that records the argv of every git process the cache starts
    const bin = await tempDir('bin', dirs);
    argvLog = path.join(bin, 'argv.log');
    await writeFile(
      path.join(bin, 'git'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec git "$@"\n`,
    );
    await chmod(path.join(bin, 'git'), 0o755);
    gitWrapper = path.join(bin, 'git');
  });

  beforeEach(async () => {
    credentials = { token: TOKEN };
    events = [];
    root = await tempDir('mirrors', dirs);
    sut = mirrorCache(root, {
      credentials: async (repoURL) => (repoURL === url ? credentials : undefined),
      observer: (event) => events.push(event),
      gitBinary: gitWrapper,
    });
    server.failWith('none');
    await server.restart();
    server.requests.length = 0;
  });

  afterAll(async () => {
    await server.stop();
    await removeAll(dirs);
  });

  it('shares one fetch between concurrent requests, and reads at a SHA without fetching', async () => {
    // When ten ApplicationSets resolve the same revision at once
    const shas = await Promise.all(
      Array.from({ length: 10 }, () => sut.resolveRevision(url, 'main')),
    );
    // then the server saw exactly one fetch
    expect(new Set(shas)).toEqual(new Set([await repo.head()]));
    expect(server.fetchCount('apps')).toBe(1);
    // and reading at the SHA, or resolving the SHA itself after a webhook, needs none
    await sut.listTree(url, shas[0]);
    await sut.readFile(url, shas[0], 'apps/a/config.json');
    sut.invalidate(url);
    await sut.resolveRevision(url, shas[0]);
    expect(server.fetchCount('apps')).toBe(1);
    expect(events).toEqual([
      { repo: url, requestType: 'fetch', outcome: 'success', durationSeconds: expect.any(Number) },
    ]);
  });

  it('sends the token as a header, never in argv, the mirror config or the URL', async () => {
    await sut.resolveRevision(url, 'main');
    expect(server.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(await readFile(argvLog, 'utf8')).not.toContain(TOKEN);
    const [mirror] = await readdir(path.join(root, 'mirrors'));
    for (const file of ['config', 'description', 'packed-refs']) {
      const content = await readFile(path.join(root, 'mirrors', mirror, file), 'utf8').catch(
        () => '',
      );
      expect(content).not.toContain(TOKEN);
    }
    expect(mirror).toMatch(/^[0-9a-f]{40}\.git$/);
  });

  it('authenticates with a username and password (Basic)', async () => {
    credentials = { username: 'ci', password: TOKEN };
    await expect(sut.resolveRevision(url, 'main')).resolves.toBe(await repo.head());
  });

  it('fails with Upstream on a wrong token, without echoing it', async () => {
    credentials = { token: 'wrong-token-93ab1' };
    const error = await domainError(sut.resolveRevision(url, 'main'), DomainErrorCode.Upstream);
    expect(error.message).toContain('authentication failed');
    expect(error.message).toContain(url);
    expect(error.message).not.toContain('wrong-token-93ab1');
    expect(events).toEqual([expect.objectContaining({ outcome: 'failure' })]);
  });

  it('fails with Upstream when the server is unreachable, never serving an empty or stale answer', async () => {
    // Given a mirror fetched while the server was up
    const sha = await sut.resolveRevision(url, 'main');
    // When the server stops and a webhook forces a fetch
    await server.stop();
    sut.invalidate(url);
    const error = await domainError(sut.resolveRevision(url, 'main'), DomainErrorCode.Upstream);
    expect(error.message).toMatch(
      /git fetch of http:\/\/127\.0\.0\.1:\d+\/apps failed: .*(refused|connect)/i,
    );
    expect(error.message).not.toContain(TOKEN);
    // then content at a known SHA is still readable (it cannot change)
    await expect(sut.listTree(url, sha)).resolves.not.toHaveLength(0);
    // and once the server is back, so is the mirror
    await server.restart();
    await expect(sut.resolveRevision(url, 'main')).resolves.toBe(sha);
  });

  it('leaves no partial mirror when the first fetch fails', async () => {
    server.failWith('http-500');
    const error = await domainError(sut.resolveRevision(url, 'main'), DomainErrorCode.Upstream);
    expect(error.message).toContain('500');
    expect(await readdir(path.join(root, 'mirrors'))).toEqual([]);
    expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
  });

  it('gives up on a server that hangs after the operation timeout', async () => {
    server.failWith('hang');
    const impatient = mirrorCache(await tempDir('mirrors', dirs), {
      timeoutSeconds: 1,
      credentials: async () => credentials,
    });
    const error = await domainError(
      impatient.resolveRevision(url, 'main'),
      DomainErrorCode.Upstream,
    );
    expect(error.message).toContain('timed out after 1 s');
  });
});
