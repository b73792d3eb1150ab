import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PathspecError, compilePathspec, normalizePathspec } from './git-pathspec';
import { wildmatch } from './wildmatch';

/** Files of the throwaway repository (semantics.md §1.5 cases and edge cases). */
const FILES = [
  'config.json',
  'p1/config.json',
  'p1/app4/config.json',
  'p2/values.yaml',
  'p2/config.json',
  'some-path/values.yaml',
  'some-path/staging/values.yaml',
  'cluster-charts/values.yaml',
  'cluster-charts/x/values.yaml',
  'cluster-charts/x/deep/values.yaml',
  'a*b/literal.txt',
  'a-b/x.txt',
  'dir with space/f.json',
  'ünï/cödé.json',
  '.hidden/config.json',
  'x[1]/y',
  'apps/a/config.yaml',
  'apps/b/c/config.yaml',
  'README',
];
const SYMLINK = 'links/config.json';
const SUBMODULE = 'vendor/lib';

/** Patterns compared with real `git ls-files -- <pattern>`. */
const PATTERNS = [
  '**/config.json',
  'p1/**/config.json',
  '*.json',
  'config.json',
  'p1',
  'p1/',
  'p',
  'some-path/*.yaml',
  'cluster-charts/*/values.yaml',
  '*',
  '**',
  '?1/config.json',
  'p[12]/*',
  'p[!1]/*',
  'p[^1]/*',
  'p[0-9]/config.json',
  '[[:alpha:]]1/*',
  '[[:digit:]]*',
  'a*b',
  'a*b/*',
  'a\\*b/*',
  '.',
  './p1',
  'p1/.',
  'p1//config.json',
  'p1/../p2/*.yaml',
  'p1/..',
  'apps/*/',
  '*/',
  'p1/*/',
  'ünï/*',
  'ün?/*',
  'dir with space',
  '*.yaml',
  'apps/*',
  'apps/**/config.yaml',
  'links',
  'vendor',
  'vendor/*',
  'x[1]/y',
  'x\\[1\\]/y',
  '.hidden',
  'README/',
  'P1',
];

describe('compilePathspec agrees with git ls-files', () => {
  let repo: string;
  let all: string[];
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const lsFiles = (...pathspec: string[]): string[] =>
    git('-c', 'core.quotePath=false', 'ls-files', '-z', '--', ...pathspec)
      .split('\0')
      .filter(Boolean);

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'fleetplane-pathspec-'));
    git('init', '-q');
    for (const file of FILES) {
      mkdirSync(join(repo, dirname(file)), { recursive: true });
      writeFileSync(join(repo, file), '{}');
    }
    mkdirSync(join(repo, 'links'));
    symlinkSync('../p1', join(repo, SYMLINK));
    git('add', '-A');
    git('update-index', '--add', '--cacheinfo', `160000,${'a'.repeat(40)},${SUBMODULE}`);
    all = lsFiles();
  });

  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('lists every file, the symlink and the submodule', () => {
    expect([...all].sort()).toEqual([...FILES, SYMLINK, SUBMODULE].sort());
  });

  it.each(PATTERNS)('%j', (pattern) => {
    const matcher = compilePathspec(pattern);
    expect(all.filter(matcher)).toEqual(lsFiles(pattern));
  });

  it.each<[string, RegExp]>([
    ['', /empty string is not a valid pathspec/],
    ['/p1', /outside the repository/],
    ['../x', /outside the repository/],
    ['p1/../../x', /outside the repository/],
  ])('%j fails in git and here', (pattern, message) => {
    expect(() => lsFiles(pattern)).toThrow();
    expect(() => compilePathspec(pattern)).toThrow(PathspecError);
    expect(() => compilePathspec(pattern)).toThrow(message);
  });

  it('refuses pathspec magic, which Argo would pass through to git', () => {
    expect(() => compilePathspec(':(glob)**/config.json')).toThrow(
      'invalid files pattern ":(glob)**/config.json": pathspec magic (":(glob)", ":!", ":/") is not supported',
    );
  });
});

describe('normalizePathspec', () => {
  it.each<[string, string]>([
    ['.', ''],
    ['./', ''],
    ['./p1', 'p1'],
    ['p1/', 'p1/'],
    ['p1//x', 'p1/x'],
    ['a/./b/../c', 'a/c'],
  ])('%j → %j', (pattern, expected) => {
    expect(normalizePathspec(pattern)).toBe(expected);
  });
});

describe('wildmatch (no WM_PATHNAME)', () => {
  // A subset of git's t/t3070-wildmatch.sh "wildmatch" column (not pathmatch).
  it.each<[string, string, boolean]>([
    ['foo', 'foo', true],
    ['bar', 'foo', false],
    ['', '', true],
    ['???', 'foo', true],
    ['??', 'foo', false],
    ['*', 'foo', true],
    ['f*', 'foo', true],
    ['*f', 'foo', false],
    ['*foo*', 'foo', true],
    ['*ob*a*r*', 'foobar', true],
    ['*ab', 'aaaaaaabababab', true],
    ['foo\\*', 'foo*', true],
    ['foo\\*bar', 'foobar', false],
    ['f\\\\oo', 'f\\oo', true],
    ['*[al]?', 'ball', true],
    ['[ten]', 'ten', false],
    ['**[!te]', 'ten', true],
    ['**[!ten]', 'ten', false],
    ['t[a-g]n', 'ten', true],
    ['t[!a-g]n', 'ten', false],
    ['t[!a-g]n', 'ton', true],
    ['t[^a-g]n', 'ton', true],
    ['a[]]b', 'a]b', true],
    ['a[]-]b', 'a-b', true],
    ['a[]-]b', 'a]b', true],
    ['a[]-]b', 'aab', false],
    ['a[]a-]b', 'aab', true],
    [']', ']', true],
    ['foo*bar', 'foo/baz/bar', true],
    ['foo**bar', 'foo/baz/bar', true],
    ['foo?bar', 'foo/bar', true],
    ['foo[/]bar', 'foo/bar', true],
    ['foo/**/bar', 'foo/bar', false],
    ['**/foo', 'foo', false],
    ['**/foo', 'XXX/foo', true],
    ['*/foo', 'bar/baz/foo', true],
    ['[[:alpha:]][[:digit:]][[:upper:]]', 'a1B', true],
    ['[[:digit:][:upper:][:space:]]', 'a', false],
    ['[[:digit:][:upper:][:space:]]', 'A', true],
    ['[[:digit:][:upper:][:spaci:]]', '1', false],
    ['[a-c[:digit:]x-z]', '5', true],
    ['[[:constructor:]]', 'a', false],
    ['[\\-^]', '^', true],
    ['[[]', '[', true],
    ['[', '[', false],
    ['[!', '[!', false],
    ['a[', 'a[', false],
    ['\\', '\\', false],
    ['*/\\', '/\\', false],
  ])('%j matches %j: %p', (pattern, text, expected) => {
    expect(wildmatch(pattern, text)).toBe(expected);
  });
});
