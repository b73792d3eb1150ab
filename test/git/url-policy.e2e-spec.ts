import { readdir } from 'node:fs/promises';
import { createServer, Server } from 'node:net';
import * as path from 'node:path';
import { DomainErrorCode } from '../../src/common/domain-error';
import { TestGitRepo } from '../support/git-repo';
import { domainError, mirrorCache, removeAll, tempDir } from './git-test-kit';

describe('GitMirrorCache: which repositories it will touch', () => {
  const dirs: string[] = [];
  let repo: TestGitRepo;

  beforeAll(async () => {
    repo = await TestGitRepo.create();
    await repo.commitFiles({ 'a.txt': 'a' }, 'first');
  });

  afterAll(async () => {
    await repo.cleanup();
    await removeAll(dirs);
  });

  it.each([
    'ext::sh -c touch% /tmp/pwned',
    'ext::sh',
    'fd::3',
    'git://127.0.0.1/repo',
    '/srv/git/repo',
    'http://example.com/repo',
    'https://user:s3cr3t-pw@example.com/repo',
    'ssh://-oProxyCommand=touch%20/tmp/pwned/repo',
  ])('refuses %j with Invalid before any git process or directory exists', async (url) => {
    const root = await tempDir('mirrors', dirs);
    const sut = mirrorCache(root);
    const error = await domainError(sut.resolveRevision(url, 'main'), DomainErrorCode.Invalid);
    expect(error.details).toEqual([expect.objectContaining({ field: 'repoURL' })]);
    expect(error.message).not.toContain('s3cr3t-pw');
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses file:// unless file repositories are allowed', async () => {
    const strict = mirrorCache(await tempDir('mirrors', dirs), { allowFileRepos: false });
    const error = await domainError(
      strict.resolveRevision(repo.url, 'main'),
      DomainErrorCode.Invalid,
    );
    expect(error.message).toContain('FLEETPLANE_ALLOW_FILE_REPOS');
    const allowed = mirrorCache(await tempDir('mirrors', dirs), { allowFileRepos: true });
    await expect(allowed.resolveRevision(repo.url, 'main')).resolves.toBe(await repo.head());
  });

  it('refuses ssh URLs when no known hosts are configured (no trust on first use)', async () => {
    const sut = mirrorCache(await tempDir('mirrors', dirs));
    const error = await domainError(
      sut.resolveRevision('git@github.com:org/repo.git', 'main'),
      DomainErrorCode.Configuration,
    );
    expect(error.message).toMatch(/no SSH known hosts are configured/);
  });

  describe('with known hosts configured', () => {
    let server: Server;
    let port: number;

    beforeAll(async () => {
      // A TCP server that closes every connection: ssh runs, then fails.
      server = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('runs ssh with the configured key and reports its failure as Upstream', async () => {
      const root = await tempDir('mirrors', dirs);
      const sut = mirrorCache(root, {
        sshKnownHosts: {
          content: `[127.0.0.1]:${port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl`,
        },
        credentials: async () => ({
          sshPrivateKey:
            '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----',
        }),
      });
      const error = await domainError(
        sut.resolveRevision(`ssh://git@127.0.0.1:${port}/org/repo.git`, 'main'),
        DomainErrorCode.Upstream,
      );
      expect(error.message).toContain(`ssh://git@127.0.0.1:${port}/org/repo.git`);
      expect(error.message).not.toContain('not-a-real-key');
      expect(error.message).toMatch(/Connection (reset|closed)/);
      // The key file lived only for the command.
      expect(await readdir(path.join(root, 'tmp'))).toEqual([]);
    });
  });
});
