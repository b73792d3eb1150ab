import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainErrorCode } from '../common/domain-error';
import {
  RepoCredentialEntry,
  credentialsFor,
  loadRepoCredentials,
  parseRepoCredentials,
} from './repo-credentials-file';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n-----END OPENSSH PRIVATE KEY-----\n';
const readKey = (file: string): string => {
  if (file === '/keys/deploy') return KEY;
  throw Object.assign(new Error(`ENOENT: ${file}`), { code: 'ENOENT' });
};

describe(parseRepoCredentials.name, () => {
  it('reads tokens, user names with passwords, and ssh keys from files', () => {
    const text = JSON.stringify([
      { url: 'https://github.com/org/', token: 'ghp_x' },
      { url: 'https://gitlab.example.com/', username: 'ci', password: 'pw' },
      { url: 'git@github.com:org/', sshPrivateKeyFile: '/keys/deploy' },
    ]);
    expect(parseRepoCredentials(text, readKey)).toEqual({
      entries: [
        { url: 'https://github.com/org/', credentials: { token: 'ghp_x' } },
        {
          url: 'https://gitlab.example.com/',
          credentials: { username: 'ci', password: 'pw' },
        },
        { url: 'git@github.com:org/', credentials: { sshPrivateKey: KEY } },
      ],
    });
  });

  it.each<[string, string, [string, string][]]>([
    ['text that is not JSON, without quoting it', '{"token": "s3cret"', [['', 'syntax']]],
    ['an object instead of a list', '{}', [['', 'type']]],
    [
      'every problem of every entry at once',
      JSON.stringify([
        'x',
        { token: 'ghp_x' },
        { url: 'https://a/', password: 'pw' },
        { url: 'https://b/' },
        { url: 'https://c/', token: 5, tokn: 'x' },
        { url: 'git@c:o/', sshPrivateKeyFile: '/keys/missing' },
      ]),
      [
        ['[0]', 'type'],
        ['[1].url', 'required'],
        ['[2].username', 'required'],
        ['[3]', 'required'],
        ['[4].tokn', 'unknown-field'],
        ['[4].token', 'type'],
        ['[5].sshPrivateKeyFile', 'unreadable'],
      ],
    ],
  ])('refuses %s', (_name, text, expected) => {
    const result = parseRepoCredentials(text, readKey);
    expect('problems' in result && result.problems.map((p) => [p.field, p.rule])).toEqual(expected);
    expect(JSON.stringify(result)).not.toContain('s3cret');
  });
});

describe(credentialsFor.name, () => {
  const entries: RepoCredentialEntry[] = [
    { url: 'https://github.com/', credentials: { token: 'any' } },
    { url: 'https://github.com/org/', credentials: { token: 'org' } },
    { url: 'git@github.com:org/', credentials: { sshPrivateKey: 'k' } },
  ];

  it.each<[string, string | undefined]>([
    ['https://github.com/org/apps.git', 'org'],
    ['https://github.com/other/apps.git', 'any'],
    ['https://gitlab.com/org/apps.git', undefined],
    ['git@github.com:org/apps.git', 'k'],
  ])('%s → the longest matching prefix', (url, expected) => {
    const credentials = credentialsFor(entries, url);
    expect(credentials?.token ?? credentials?.sshPrivateKey).toBe(expected);
  });
});

describe(loadRepoCredentials.name, () => {
  it('answers the mirror cache from the file read at start-up, or fails with Configuration', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleetplane-creds-'));
    try {
      const file = path.join(dir, 'credentials.json');
      writeFileSync(file, JSON.stringify([{ url: 'https://git.example/', token: 't0ken' }]));
      const provider = loadRepoCredentials(file);
      await expect(provider('https://git.example/apps.git')).resolves.toEqual({ token: 't0ken' });
      await expect(provider('https://other.example/apps.git')).resolves.toBeUndefined();
      writeFileSync(file, '[{"url": "https://x/", "token": ""}]');
      expect(() => loadRepoCredentials(file)).toThrow(
        expect.objectContaining({ code: DomainErrorCode.Configuration }),
      );
      expect(() => loadRepoCredentials(path.join(dir, 'missing.json'))).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
