import { DomainErrorCode } from '../common/domain-error';
import {
  assertFullSha,
  parseRevision,
  repoPathProblems,
  revisionCandidates,
  revisionProblems,
} from './git-input-rules';

const SHA1 = 'a'.repeat(40);
const SHA256 = 'b'.repeat(64);

describe('parseRevision', () => {
  it.each<[string | undefined, object]>([
    [undefined, { kind: 'default-branch' }],
    ['', { kind: 'default-branch' }],
    ['HEAD', { kind: 'default-branch' }],
    ['main', { kind: 'name', name: 'main', mayBeAbbreviatedSha: false }],
    ['release/1.0', { kind: 'name', name: 'release/1.0', mayBeAbbreviatedSha: false }],
    ['refs/tags/v1.2.3', { kind: 'name', name: 'refs/tags/v1.2.3', mayBeAbbreviatedSha: false }],
    ['deadbeef', { kind: 'name', name: 'deadbeef', mayBeAbbreviatedSha: true }],
    ['DEADBEEF1', { kind: 'name', name: 'DEADBEEF1', mayBeAbbreviatedSha: true }],
    ['abc', { kind: 'name', name: 'abc', mayBeAbbreviatedSha: false }],
    [SHA1, { kind: 'commit', sha: SHA1 }],
    [SHA1.toUpperCase(), { kind: 'commit', sha: SHA1 }],
    [SHA256, { kind: 'commit', sha: SHA256 }],
  ])('%j → %j', (revision, expected) => {
    expect(parseRevision(revision)).toEqual(expected);
  });

  it('throws Invalid naming the field', () => {
    expect(() => parseRevision('--upload-pack=x', 'spec.generators[0].git.revision')).toThrow(
      expect.objectContaining({
        code: DomainErrorCode.Invalid,
        details: [
          expect.objectContaining({
            field: 'spec.generators[0].git.revision',
            rule: 'git-revision',
          }),
        ],
      }),
    );
  });
});

describe('revisionCandidates', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, ['refs/fleetplane/default-branch']],
    ['main', ['refs/heads/main', 'refs/tags/main']],
    ['refs/tags/v1', ['refs/tags/v1']],
    ['cafe1234', ['refs/heads/cafe1234', 'refs/tags/cafe1234', 'cafe1234']],
  ])('%j → %j', (revision, expected) => {
    const request = parseRevision(revision);
    if (request.kind === 'commit') throw new Error('not a name');
    expect(revisionCandidates(request, 'refs/fleetplane/default-branch')).toEqual(expected);
  });
});

describe('revisionProblems', () => {
  it.each([
    '-x',
    '--output=/etc/passwd',
    'main:secret.yaml',
    'main^',
    'main~1',
    'main..other',
    '@{-1}',
    '@',
    'ma in',
    'main\n',
    'a\\b',
    'a*',
    'a?',
    'a[1]',
    ':/fix',
    '/main',
    'main/',
    'a//b',
    '.hidden',
    'a/.b',
    'x.lock',
    'main.',
    'x'.repeat(256),
  ])('rejects %j', (revision) => {
    expect(revisionProblems(revision)).toEqual([expect.objectContaining({ rule: 'git-revision' })]);
  });
});

describe('assertFullSha', () => {
  it.each([SHA1, SHA256])('accepts %s', (sha) => {
    expect(() => assertFullSha(sha)).not.toThrow();
  });
  it.each(['', 'main', 'abc123', SHA1.toUpperCase(), `${SHA1}0`, undefined, 7])(
    'rejects %j',
    (sha) => {
      expect(() => assertFullSha(sha)).toThrow(
        expect.objectContaining({ code: DomainErrorCode.Invalid }),
      );
    },
  );
});

describe('repoPathProblems', () => {
  it.each(['a', 'apps/x/config.json', '.github/workflows/ci.yaml', 'a b/c', 'dir.with.dots/x..y'])(
    'accepts %j',
    (path) => {
      expect(repoPathProblems(path)).toEqual([]);
    },
  );
  it.each<[unknown, RegExp]>([
    ['', /non-empty/],
    [undefined, /non-empty/],
    ['/etc/passwd', /relative/],
    ['../secret', /\.\./],
    ['a/../../b', /\.\./],
    ['a/..', /\.\./],
    ['a//b', /empty or "\."/],
    ['./a', /empty or "\."/],
    ['a/', /empty or "\."/],
    ['a\nb', /line breaks/],
    ['a\0b', /NUL/],
  ])('rejects %j', (path, message) => {
    const problems = repoPathProblems(path);
    expect(problems).toEqual([expect.objectContaining({ field: 'path', rule: 'repo-path' })]);
    expect(problems[0].message).toMatch(message);
  });
});
