import { DomainError, DomainErrorCode } from '../common/domain-error';
import {
  isLoopback,
  parseRepoUrl,
  repoKeyOf,
  repoUrlProblems,
  scrubSecrets,
  scrubUrls,
} from './repo-url';

const STRICT = { allowFileRepos: false };
const LOCAL = { allowFileRepos: true };

describe('parseRepoUrl', () => {
  it.each<[string, string, string, string]>([
    // input, transport, fetchUrl, key
    [
      'https://github.com/org/repo',
      'https',
      'https://github.com/org/repo',
      'https://github.com/org/repo',
    ],
    [
      'https://GitHub.com/Org/Repo.git',
      'https',
      'https://github.com/Org/Repo.git',
      'https://github.com/Org/Repo',
    ],
    [
      'https://github.com:443/org/repo.git/',
      'https',
      'https://github.com/org/repo.git/',
      'https://github.com/org/repo',
    ],
    [
      'https://git.example.com:8443/a/b',
      'https',
      'https://git.example.com:8443/a/b',
      'https://git.example.com:8443/a/b',
    ],
    [
      '  https://github.com/org/repo  ',
      'https',
      'https://github.com/org/repo',
      'https://github.com/org/repo',
    ],
    [
      'https://org@dev.azure.com/org/p/_git/r',
      'https',
      'https://dev.azure.com/org/p/_git/r',
      'https://dev.azure.com/org/p/_git/r',
    ],
    [
      'HTTPS://github.com/org/repo',
      'https',
      'https://github.com/org/repo',
      'https://github.com/org/repo',
    ],
    [
      'ssh://git@github.com/org/repo.git',
      'ssh',
      'ssh://git@github.com/org/repo.git',
      'ssh://git@github.com/org/repo',
    ],
    [
      'ssh://git@GitHub.com:22/org/repo',
      'ssh',
      'ssh://git@github.com/org/repo',
      'ssh://git@github.com/org/repo',
    ],
    [
      'ssh://git@host:2222/org/repo',
      'ssh',
      'ssh://git@host:2222/org/repo',
      'ssh://git@host:2222/org/repo',
    ],
    [
      'git@github.com:org/repo.git',
      'ssh',
      'git@github.com:org/repo.git',
      'ssh://git@github.com/org/repo',
    ],
    [
      'git@GitHub.com:/org/repo',
      'ssh',
      'git@github.com:/org/repo',
      'ssh://git@github.com/org/repo',
    ],
    [
      'http://127.0.0.1:8080/repo',
      'http',
      'http://127.0.0.1:8080/repo',
      'http://127.0.0.1:8080/repo',
    ],
    ['http://localhost/repo.git', 'http', 'http://localhost/repo.git', 'http://localhost/repo'],
    ['http://[::1]:9/repo', 'http', 'http://[::1]:9/repo', 'http://[::1]:9/repo'],
  ])('accepts %j', (input, transport, fetchUrl, key) => {
    expect(parseRepoUrl(input, STRICT)).toEqual(
      expect.objectContaining({ transport, fetchUrl, key }),
    );
  });

  it('gives scp-like and ssh:// forms of one repository the same key', () => {
    const keys = [
      'git@github.com:org/repo.git',
      'ssh://git@github.com/org/repo',
      'ssh://git@github.com:22/org/repo/',
    ].map((url) => parseRepoUrl(url, STRICT).key);
    expect(new Set(keys).size).toBe(1);
  });

  it.each<[unknown, string]>([
    ['', 'repo-url-required'],
    [undefined, 'repo-url-required'],
    [42, 'repo-url-required'],
    ['ext::sh -c touch% /tmp/pwned', 'repo-url-characters'],
    ['ext::sh', 'repo-url-scheme'],
    ['fd::17', 'repo-url-scheme'],
    ['git://github.com/org/repo', 'repo-url-scheme'],
    ['ftp://host/repo', 'repo-url-scheme'],
    ['javascript:alert(1)', 'repo-url-scheme'],
    ['/srv/git/repo', 'repo-url-scheme'],
    ['./repo', 'repo-url-scheme'],
    ['repo', 'repo-url-scheme'],
    ['http://github.com/org/repo', 'repo-url-scheme'],
    ['http://10.0.0.1/repo', 'repo-url-scheme'],
    ['https://user:s3cret@github.com/org/repo', 'repo-url-credentials'],
    ['https://github.com/org/repo?x=1', 'repo-url-syntax'],
    ['https://github.com/org/repo#main', 'repo-url-syntax'],
    ['https://github.com/', 'repo-url-path'],
    ['https://github.com/org/../../etc', 'repo-url-path'],
    ['https://github.com/org/%2e%2e/x', 'repo-url-path'],
    ['https://evil.com\\@good.com/x', 'repo-url-characters'],
    ['https://github.com/org/re po', 'repo-url-characters'],
    ['https://github.com/org\n/repo', 'repo-url-characters'],
    ['github.com:org/repo', 'repo-url-scheme'],
    ['ssh://-oProxyCommand=x/repo', 'repo-url-host'],
    ['ssh://-user@host/repo', 'repo-url-user'],
    ['-oProxyCommand=x@host:repo', 'repo-url-scheme'],
    ['-user@host:repo', 'repo-url-user'],
    ['git@host:-repo', 'repo-url-path'],
    ['git@host:a/../../b', 'repo-url-path'],
    ['file:///tmp/repo', 'repo-url-file-repos-disabled'],
    [`https://github.com/${'a'.repeat(2100)}`, 'repo-url-max-length'],
  ])('rejects %j (%s)', (input, rule) => {
    expect(repoUrlProblems(input, STRICT)).toEqual([
      expect.objectContaining({ field: 'repoURL', rule }),
    ]);
  });

  it('throws an Invalid DomainError that names the field, rule and scrubbed URL', () => {
    let error: unknown;
    try {
      parseRepoUrl(
        'git://user:tok3n@github.com/org/repo',
        STRICT,
        'spec.generators[0].git.repoURL',
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: DomainErrorCode.Invalid,
      details: [{ field: 'spec.generators[0].git.repoURL', rule: 'repo-url-scheme' }],
    });
    expect((error as Error).message).toContain('git://***@github.com/org/repo');
    expect((error as Error).message).not.toContain('tok3n');
  });

  it.each<[string, string]>([
    ['file:///tmp/repos/a', 'file:///tmp/repos/a'],
    ['file://localhost/tmp/a.git', 'file:///tmp/a'],
  ])('accepts %j only when file repositories are allowed', (input, key) => {
    expect(parseRepoUrl(input, LOCAL).key).toBe(key);
    expect(repoUrlProblems(input, STRICT)).toEqual([
      expect.objectContaining({ rule: 'repo-url-file-repos-disabled' }),
    ]);
  });

  it.each(['file://host/tmp/a', 'file:///'])('rejects the file URL %j', (input) => {
    expect(repoUrlProblems(input, LOCAL)).not.toEqual([]);
  });
});

describe('repoKeyOf', () => {
  it('keys equal repositories alike, whatever the spelling of their URL', () => {
    expect(repoKeyOf('https://github.com/Org/Fleet.git')).toBe(
      repoKeyOf('https://github.com/Org/Fleet'),
    );
    expect(repoKeyOf('ftp://example.com/repo')).toBeNull();
  });
});

describe('scrubUrls', () => {
  it.each<[string, string]>([
    ['fatal: https://user:pass@host/r not found', 'fatal: https://***@host/r not found'],
    ['https://ghp_token@github.com/o/r', 'https://***@github.com/o/r'],
    ['ssh://git@host/r and git@host:r', 'ssh://git@host/r and git@host:r'],
    ['ssh://git:pw@host/r', 'ssh://***@host/r'],
    ['no url here', 'no url here'],
  ])('%j', (input, expected) => {
    expect(scrubUrls(input)).toBe(expected);
  });
});

describe('scrubSecrets', () => {
  it('removes every occurrence of each secret, and URL credentials', () => {
    expect(
      scrubSecrets('Bearer abcd1234 failed for abcd1234 at https://u:p@h/x', ['abcd1234']),
    ).toBe('Bearer *** failed for *** at https://***@h/x');
  });
  it('ignores values too short to be secrets', () => {
    expect(scrubSecrets('a b c', ['a'])).toBe('a b c');
  });
});

describe('isLoopback', () => {
  it.each<[string, boolean]>([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['128.0.0.1', false],
    ['localhost.evil.com', false],
    ['127.0.0.1.nip.io', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopback(host)).toBe(expected);
  });
});
