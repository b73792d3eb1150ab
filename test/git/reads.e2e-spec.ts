import { chmod, lstat, mkdir, readFile, readlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DomainErrorCode } from '../../src/common/domain-error';
import { GitMirrorCache } from '../../src/git';
import { TestGitRepo } from '../support/git-repo';
import { domainError, mirrorCache, removeAll, tempDir } from './git-test-kit';

describe('GitMirrorCache: reading trees and files at a commit', () => {
  const dirs: string[] = [];
  let repo: TestGitRepo;
  let sut: GitMirrorCache;
  let sha: string;
  let outside: string;

  beforeAll(async () => {
    // Given a repository with apps, in-repo and escaping symlinks, a submodule and a large file
    outside = await tempDir('outside', dirs);
    await writeFile(path.join(outside, 'secret.yaml'), 'password: hunter2\n');
    repo = await TestGitRepo.create();
    await repo.write({
      'apps/a/config.json': '{"name":"a"}',
      'apps/b/config.json': '{"name":"b"}',
      'base/kustomization.yaml': 'resources: []\n',
      'scripts/run.sh': '#!/bin/sh\n',
      'big.bin': Buffer.alloc(2048, 1),
      'dir with space/ü.yaml': 'x: 1\n',
      ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`many/f${i}.txt`, `${i}`])),
    });
    await repo.symlink('apps/c', 'a');
    await repo.symlink('apps/a/base', '../../base');
    await repo.symlink('chain', 'apps/c/config.json');
    await repo.symlink('escape', '../../../../../../../../tmp');
    await repo.symlink('absolute', path.join(outside, 'secret.yaml'));
    await repo.symlink('loop1', 'loop2');
    await repo.symlink('loop2', 'loop1');
    await repo.git('add', '--all');
    await repo.addSubmodule('vendor/lib', '0123456789abcdef0123456789abcdef01234567');
    sha = await repo.commit('fixture');
    sut = mirrorCache(await tempDir('mirrors', dirs), { maxFileBytes: 1024 });
    await sut.resolveRevision(repo.url, 'main');
  });

  afterAll(async () => {
    await repo.cleanup();
    await removeAll(dirs);
  });

  it('lists every file, symlink and submodule', async () => {
    const entries = await sut.listTree(repo.url, sha);
    expect([...entries].sort((x, y) => x.path.localeCompare(y.path))).toEqual([
      { path: 'absolute', type: 'symlink' },
      { path: 'apps/a/base', type: 'symlink' },
      { path: 'apps/a/config.json', type: 'file' },
      { path: 'apps/b/config.json', type: 'file' },
      { path: 'apps/c', type: 'symlink' },
      { path: 'base/kustomization.yaml', type: 'file' },
      { path: 'big.bin', type: 'file' },
      { path: 'chain', type: 'symlink' },
      { path: 'dir with space/ü.yaml', type: 'file' },
      { path: 'escape', type: 'symlink' },
      { path: 'loop1', type: 'symlink' },
      { path: 'loop2', type: 'symlink' },
      ...Array.from({ length: 40 }, (_, i) => ({ path: `many/f${i}.txt`, type: 'file' })).sort(
        (x, y) => x.path.localeCompare(y.path),
      ),
      { path: 'scripts/run.sh', type: 'file' },
      { path: 'vendor/lib', type: 'submodule' },
    ]);
  });

  it('refuses a SHA that is not a full commit SHA', async () => {
    await domainError(sut.listTree(repo.url, 'main'), DomainErrorCode.Invalid);
  });

  it.each<[string, string]>([
    ['a file', 'apps/a/config.json'],
    ['through an in-repo directory link', 'apps/c/config.json'],
    ['through a chain of in-repo links', 'chain'],
  ])('reads %s', async (_, file) => {
    expect((await sut.readFile(repo.url, sha, file)).toString()).toBe('{"name":"a"}');
  });

  it('reads non-ASCII paths with spaces', async () => {
    expect((await sut.readFile(repo.url, sha, 'dir with space/ü.yaml')).toString()).toBe('x: 1\n');
  });

  it.each<[string, string, DomainErrorCode, string]>([
    ['an absolute symlink', 'absolute', DomainErrorCode.Invalid, 'git-symlink-outside'],
    [
      'a symlink climbing out of the repository',
      'escape/passwd',
      DomainErrorCode.Invalid,
      'git-symlink-outside',
    ],
    ['a symlink loop', 'loop1', DomainErrorCode.Invalid, 'git-symlink-loop'],
    ['a missing file', 'apps/z/config.json', DomainErrorCode.NotFound, 'git-not-found'],
    ['a directory', 'apps/a', DomainErrorCode.Invalid, 'git-not-a-file'],
    ['a submodule', 'vendor/lib', DomainErrorCode.NotFound, 'git-not-found'],
    ['a file over the size limit', 'big.bin', DomainErrorCode.Invalid, 'git-max-file-size'],
    ['a path with ..', 'apps/../../etc/passwd', DomainErrorCode.Invalid, 'repo-path'],
    ['an absolute path', '/etc/passwd', DomainErrorCode.Invalid, 'repo-path'],
  ])('refuses %s', async (_, file, code, rule) => {
    const error = await domainError(sut.readFile(repo.url, sha, file), code);
    expect(error.details).toEqual([expect.objectContaining({ rule })]);
    // Never the content of anything, nor the target of a link.
    expect(error.message).not.toMatch(/hunter2|secret\.yaml|\.\.\/\.\.\/\.\.\//);
    expect(error.message).not.toContain(outside);
  });

  it('reads many files through one process, keyed by path', async () => {
    const files = await sut.readFiles(repo.url, sha, [
      'apps/a/config.json',
      'apps/b/config.json',
      'apps/a/config.json',
    ]);
    expect([...files.entries()].map(([p, c]) => [p, c.toString()])).toEqual([
      ['apps/a/config.json', '{"name":"a"}'],
      ['apps/b/config.json', '{"name":"b"}'],
    ]);
  });

  it('reads many paths by blob name from the listing, still following links and reporting misses', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `many/f${i}.txt`);
    const files = await sut.readFiles(repo.url, sha, [...many, 'chain', 'apps/c/config.json']);
    expect(files.get('many/f39.txt')?.toString()).toBe('39');
    expect(files.get('chain')?.toString()).toBe('{"name":"a"}');
    expect(files.get('apps/c/config.json')?.toString()).toBe('{"name":"a"}');
    const error = await domainError(
      sut.readFiles(repo.url, sha, [...many, 'nope.txt', 'absolute']),
      DomainErrorCode.Invalid,
    );
    expect(error.details.map((d) => d.rule)).toEqual(['git-not-found', 'git-symlink-outside']);
  });

  it('fails readFiles as a whole, with one problem per unreadable path', async () => {
    const error = await domainError(
      sut.readFiles(repo.url, sha, ['apps/a/config.json', 'nope.txt', 'absolute']),
      DomainErrorCode.Invalid,
    );
    expect(error.details.map((d) => d.rule)).toEqual(['git-not-found', 'git-symlink-outside']);
  });

  it('reports a commit the repository does not have as NotFound', async () => {
    await domainError(sut.listTree(repo.url, 'e'.repeat(40)), DomainErrorCode.NotFound);
    await domainError(sut.readFile(repo.url, 'e'.repeat(40), 'a'), DomainErrorCode.NotFound);
  });

  describe('exportTree', () => {
    let small: TestGitRepo;
    let smallSha: string;

    beforeAll(async () => {
      small = await TestGitRepo.create();
      await small.write({
        'base/kustomization.yaml': 'resources: [cm.yaml]\n',
        'base/cm.yaml': 'kind: ConfigMap\n',
        'overlays/prod/kustomization.yaml': 'resources: [../../base]\n',
        'scripts/run.sh': '#!/bin/sh\n',
      });
      await chmod(path.join(small.dir, 'scripts/run.sh'), 0o755);
      await small.symlink('overlays/prod/base', '../../base');
      await small.symlink('dangling', 'nowhere');
      await small.git('add', '--all');
      await small.addSubmodule('vendor/lib', '0123456789abcdef0123456789abcdef01234567');
      smallSha = await small.commit('kustomize layout');
    });

    afterAll(() => small.cleanup());

    it('materialises the whole tree with modes and in-tree links, skipping dangling links and submodules', async () => {
      const dest = path.join(await tempDir('export', dirs), 'out');
      const summary = await sut.exportTree(small.url, smallSha, '', dest);
      expect(summary).toEqual({
        files: 4,
        symlinks: 1,
        bytes: expect.any(Number),
        skipped: ['dangling', 'vendor/lib'],
      });
      expect(await readFile(path.join(dest, 'overlays/prod/base/cm.yaml'), 'utf8')).toBe(
        'kind: ConfigMap\n',
      );
      expect(await readlink(path.join(dest, 'overlays/prod/base'))).toBe('../../base');
      expect((await lstat(path.join(dest, 'scripts/run.sh'))).mode & 0o111).not.toBe(0);
      expect((await lstat(path.join(dest, 'base/cm.yaml'))).mode & 0o111).toBe(0);
    });

    it('exports a sub-directory and refuses links that leave it', async () => {
      const dest = await tempDir('export', dirs);
      await sut.exportTree(small.url, smallSha, 'base', dest);
      expect(await readFile(path.join(dest, 'kustomization.yaml'), 'utf8')).toBe(
        'resources: [cm.yaml]\n',
      );
      const error = await domainError(
        sut.exportTree(small.url, smallSha, 'overlays', await tempDir('export', dirs)),
        DomainErrorCode.Invalid,
      );
      expect(error.details).toEqual([expect.objectContaining({ rule: 'git-symlink-outside' })]);
    });

    it('refuses links leaving the repository, a missing directory, a non-empty destination and oversized trees', async () => {
      await domainError(
        sut.exportTree(repo.url, sha, 'apps', await tempDir('export', dirs)),
        DomainErrorCode.Invalid,
      );
      await domainError(
        sut.exportTree(small.url, smallSha, 'nope', await tempDir('export', dirs)),
        DomainErrorCode.NotFound,
      );
      const busy = await tempDir('export', dirs);
      await mkdir(path.join(busy, 'something'));
      await domainError(sut.exportTree(small.url, smallSha, 'base', busy), DomainErrorCode.Invalid);
      const tiny = mirrorCache(await tempDir('mirrors', dirs), { maxExportBytes: 10 });
      const error = await domainError(
        tiny.exportTree(small.url, smallSha, '', await tempDir('export', dirs)),
        DomainErrorCode.Invalid,
      );
      expect(error.details).toEqual([expect.objectContaining({ rule: 'git-export-limit' })]);
    });
  });
});
