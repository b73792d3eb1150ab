/**
 * The mirror cache over HTTPS, as against a Git server with a private CA:
 * trusted through the CA bundle the operator gives git (`GIT_SSL_CAINFO`,
 * inherited by the hardened environment), the token goes as a header; a
 * certificate nobody vouches for is an Upstream error, never a listing.
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DomainErrorCode } from '../../src/common/domain-error';
import { GitMirrorCache, RepoCredentials } from '../../src/git';
import { generateTlsMaterial } from '../kube-sim/security/tls';
import { GitHttpServer } from '../support/git-http-server';
import { TestGitRepo } from '../support/git-repo';
import { domainError, mirrorCache, removeAll, tempDir } from './git-test-kit';

const TOKEN = 'fp-https-token-51d0';

describe('GitMirrorCache over HTTPS', () => {
  const dirs: string[] = [];
  const caInfoBefore = process.env.GIT_SSL_CAINFO;
  let server: GitHttpServer;
  let repo: TestGitRepo;
  let url: string;
  let caFile: string;

  const cache = async (): Promise<GitMirrorCache> => {
    const credentials: RepoCredentials = { token: TOKEN };
    return mirrorCache(await tempDir('mirrors', dirs), {
      credentials: async (repoURL) => (repoURL === url ? credentials : undefined),
    });
  };

  beforeAll(async () => {
    // Given a repository behind HTTPS whose certificate a private CA signed, demanding a token
    const tls = await generateTlsMaterial();
    const served = await tempDir('served', dirs);
    server = await GitHttpServer.start({ root: served, tls, auth: { bearerToken: TOKEN } });
    repo = await TestGitRepo.create({ parentDir: served, name: 'apps' });
    await repo.commitFiles({ 'apps/a/config.json': '{}', 'apps/b/config.json': '{}' }, 'first');
    url = server.url('apps');
    caFile = path.join(await tempDir('ca', dirs), 'ca.pem');
    await writeFile(caFile, tls.caPem);
  });

  afterEach(() => {
    if (caInfoBefore === undefined) delete process.env.GIT_SSL_CAINFO;
    else process.env.GIT_SSL_CAINFO = caInfoBefore;
  });

  afterAll(async () => {
    await server.stop();
    await removeAll(dirs);
  });

  it('fetches from a server whose CA the operator trusts, sending the token as a header', async () => {
    process.env.GIT_SSL_CAINFO = caFile;
    const sut = await cache();
    const sha = await sut.resolveRevision(url, 'main');
    expect(sha).toBe(await repo.head());
    const tree = await sut.listTree(url, sha);
    expect(tree.map((entry) => entry.path)).toEqual(
      expect.arrayContaining(['apps/a/config.json', 'apps/b/config.json']),
    );
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/apps$/);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('refuses a certificate no trusted CA signed: an Upstream error, never an empty listing', async () => {
    delete process.env.GIT_SSL_CAINFO;
    const sut = await cache();
    const error = await domainError(sut.resolveRevision(url, 'main'), DomainErrorCode.Upstream);
    expect(error.message).toContain(url);
    expect(error.message).toMatch(/certificate/i);
    expect(error.message).not.toContain(TOKEN);
  });
});
