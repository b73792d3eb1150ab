import { DomainErrorCode } from '../../src/common/domain-error';
import { FakeSshServer } from './fake-ssh-server';
import { domainError, mirrorCache, removeAll, tempDir } from './git-test-kit';

/** A key ssh never gets to use: the connection ends during key exchange. */
const PRIVATE_KEY =
  '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----';

describe('GitMirrorCache over ssh: host keys are always checked (GO-2025-3649)', () => {
  const dirs: string[] = [];
  let server: FakeSshServer;
  let other: FakeSshServer;

  beforeAll(async () => {
    // Given an SSH server with its own host key, and another server's key
    server = await FakeSshServer.start();
    other = await FakeSshServer.start();
  });

  afterAll(async () => {
    await server.stop();
    await other.stop();
    await removeAll(dirs);
  });

  const fetchWith = async (knownHosts: string) => {
    const sut = mirrorCache(await tempDir('mirrors', dirs), {
      sshKnownHosts: { content: knownHosts },
      credentials: async () => ({ sshPrivateKey: PRIVATE_KEY }),
    });
    return domainError(
      sut.resolveRevision(`ssh://git@127.0.0.1:${server.port}/org/apps.git`, 'main'),
      DomainErrorCode.Upstream,
    );
  };

  it('refuses a server whose host key is not the one configured for it', async () => {
    // When the configured known_hosts entry for this address holds another key
    const stolen = other.knownHostsLine().replace(`]:${other.port} `, `]:${server.port} `);
    const error = await fetchWith(stolen);
    // then ssh stops at the host key check
    expect(error.message).toContain('Host key verification failed');
    expect(error.message).toContain('has changed and you have requested strict checking');
    // without ssh's advice to delete the known key, nor the path of Fleetplane's private copy
    expect(error.message).not.toMatch(/ssh-keygen|known_hosts/);
    expect(error.message).not.toContain('not-a-real-key');
  });

  it('refuses a server that is not in known hosts at all (no trust on first use)', async () => {
    const error = await fetchWith(other.knownHostsLine());
    expect(error.message).toContain('No ED25519 host key is known');
    expect(error.message).toContain('Host key verification failed');
  });

  it('accepts the configured host key and goes on (here, to a server that hangs up)', async () => {
    const error = await fetchWith(server.knownHostsLine());
    expect(error.message).not.toContain('Host key verification failed');
    expect(error.message).toContain(`Connection closed by 127.0.0.1 port ${server.port}`);
  });
});
