import { DomainErrorCode } from '../common/domain-error';
import { authorizationHeader, gitEnvironment, secretsOf, shellQuote, sshCommand } from './git-env';

/** The GIT_CONFIG_KEY_n/VALUE_n pairs of an environment as a list. */
function configOf(env: NodeJS.ProcessEnv): [string, string][] {
  return Array.from({ length: Number(env.GIT_CONFIG_COUNT) }, (_, i) => [
    env[`GIT_CONFIG_KEY_${i}`]!,
    env[`GIT_CONFIG_VALUE_${i}`]!,
  ]);
}

describe('gitEnvironment', () => {
  const server = {
    PATH: '/usr/bin',
    HOME: '/root',
    GIT_DIR: '/x',
    GIT_SSH_COMMAND: 'evil',
    https_proxy: 'http://proxy:3128',
    AWS_SECRET_ACCESS_KEY: 'k',
  };

  it('starts from scratch: only PATH, proxies and CA settings come from the server', () => {
    const env = gitEnvironment({}, '/data/git/home', server);
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      https_proxy: 'http://proxy:3128',
      HOME: '/data/git/home',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      SSH_ASKPASS: '',
    });
    expect(env.GIT_DIR).toBeUndefined();
    expect(env.GIT_SSH_COMMAND).toBeUndefined();
    expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
  });

  it.each<[Parameters<typeof gitEnvironment>[0], [string, string][]]>([
    [{}, [['protocol.allow', 'never']]],
    [
      { transport: 'https' },
      [
        ['protocol.allow', 'never'],
        ['protocol.https.allow', 'always'],
      ],
    ],
    [
      { transport: 'file' },
      [
        ['protocol.allow', 'never'],
        ['protocol.file.allow', 'always'],
      ],
    ],
    [
      { transport: 'https', authorizationHeader: 'Authorization: Bearer t0ken' },
      [
        ['protocol.allow', 'never'],
        ['protocol.https.allow', 'always'],
        ['http.extraHeader', 'Authorization: Bearer t0ken'],
      ],
    ],
  ])('allows only the transport in use: %j', (access, expected) => {
    const config = configOf(gitEnvironment(access, '/h', server));
    expect(config).toEqual(expect.arrayContaining(expected));
    const allowed = config.filter(
      ([key, value]) => key.startsWith('protocol.') && value === 'always',
    );
    expect(allowed).toHaveLength(access.transport ? 1 : 0);
    expect(config).toEqual(
      expect.arrayContaining([
        ['core.hooksPath', '/dev/null'],
        ['credential.helper', ''],
      ]),
    );
  });

  it('sets GIT_SSH_COMMAND only for ssh access', () => {
    const env = gitEnvironment(
      { transport: 'ssh', sshCommand: 'ssh -o BatchMode=yes' },
      '/h',
      server,
    );
    expect(env.GIT_SSH_COMMAND).toBe('ssh -o BatchMode=yes');
  });
});

describe('authorizationHeader', () => {
  it.each<[object | undefined, string | undefined]>([
    [undefined, undefined],
    [{}, undefined],
    [{ sshPrivateKey: 'k' }, undefined],
    [{ token: 'abc' }, 'Authorization: Bearer abc'],
    [
      { username: 'u', password: 'p' },
      `Authorization: Basic ${Buffer.from('u:p').toString('base64')}`,
    ],
    [
      { username: 'x-access-token', token: 't' },
      `Authorization: Basic ${Buffer.from('x-access-token:t').toString('base64')}`,
    ],
  ])('%j → %j', (credentials, expected) => {
    expect(authorizationHeader(credentials, 'https://h/r')).toBe(expected);
  });

  it.each<[object, RegExp]>([
    [{ token: 'abc\r\nX-Evil: 1' }, /token contains a line break/],
    [{ username: 'u' }, /needs a password or token/],
    [{ password: 'p' }, /needs a username/],
    [{ username: 'a:b', password: 'p' }, /must not contain ":"/],
  ])('refuses %j without echoing the secret', (credentials, message) => {
    expect(() => authorizationHeader(credentials, 'https://h/r')).toThrow(
      expect.objectContaining({
        code: DomainErrorCode.Configuration,
        message: expect.stringMatching(message),
      }),
    );
    try {
      authorizationHeader(credentials, 'https://h/r');
    } catch (error) {
      expect((error as Error).message).not.toContain('X-Evil');
    }
  });
});

describe('sshCommand', () => {
  it('checks host keys strictly against the given file and offers only the given key', () => {
    const command = sshCommand({ knownHostsFile: '/d/known hosts', privateKeyFile: "/t/k'ey" });
    expect(command).toContain('-o StrictHostKeyChecking=yes');
    expect(command).toContain("-o UserKnownHostsFile='/d/known hosts'");
    expect(command).toContain('-o BatchMode=yes');
    expect(command).toContain('-o IdentitiesOnly=yes');
    expect(command).toContain(`-i '/t/k'\\''ey'`);
    expect(command).toContain('-F /dev/null');
  });
  it('offers no key at all without one', () => {
    expect(sshCommand({ knownHostsFile: '/k' })).toContain('-o IdentityFile=none');
  });
});

describe('shellQuote', () => {
  it.each<[string, string]>([
    ['plain', "'plain'"],
    ["it's", `'it'\\''s'`],
    ['$(rm -rf /)', "'$(rm -rf /)'"],
  ])('%j', (value, expected) => {
    expect(shellQuote(value)).toBe(expected);
  });
});

describe('secretsOf', () => {
  it('lists tokens, passwords and the Basic encoding that carries them', () => {
    expect(secretsOf({ username: 'u', password: 'pass' })).toEqual([
      'pass',
      Buffer.from('u:pass').toString('base64'),
    ]);
    expect(secretsOf(undefined)).toEqual([]);
  });
});
