import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { TestGitRepo } from '../support/git-repo';
import { mirrorCache, removeAll, tempDir } from './git-test-kit';

const run = promisify(execFile);

/** Every path below `dir`, relative to it. */
async function walk(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const paths: string[] = [];
  for (const entry of entries) {
    const relative = path.join(prefix, entry.name);
    paths.push(relative);
    if (entry.isDirectory()) paths.push(...(await walk(path.join(dir, entry.name), relative)));
  }
  return paths;
}

describe('GitMirrorCache: one bare mirror per repository, read without a working tree', () => {
  const dirs: string[] = [];
  let apps: TestGitRepo;
  let config: TestGitRepo;

  beforeAll(async () => {
    apps = await TestGitRepo.create();
    await apps.commitFiles({ 'apps/guestbook/kustomization.yaml': 'resources: []\n' });
    config = await TestGitRepo.create();
    await config.commitFiles({ 'clusters/prod/config.json': '{"cluster": "prod"}' });
  });

  afterAll(async () => {
    await apps.cleanup();
    await config.cleanup();
    await removeAll(dirs);
  });

  it('keeps one bare mirror per repository URL, however it is spelt and however many read it', async () => {
    // Given one cache (one data directory)
    const root = await tempDir('mirrors', dirs);
    const sut = mirrorCache(root);
    // When many readers resolve, list and read two repositories, one under two spellings
    const readers = Array.from({ length: 6 }, async (_, i) => {
      const url = i % 3 === 0 ? `${apps.url}/` : i % 3 === 1 ? apps.url : config.url;
      const sha = await sut.resolveRevision(url, 'main');
      const entries = await sut.listTree(url, sha);
      await sut.readFile(url, sha, entries[0].path);
    });
    await Promise.all(readers);
    // then there are exactly two mirrors, both bare, named by a hash (no URL in any path)
    const mirrors = await readdir(path.join(root, 'mirrors'));
    expect(mirrors).toHaveLength(2);
    for (const mirror of mirrors) {
      expect(mirror).toMatch(/^[0-9a-f]{40}\.git$/);
      const { stdout } = await run('git', ['rev-parse', '--is-bare-repository'], {
        cwd: path.join(root, 'mirrors', mirror),
      });
      expect(stdout.trim()).toBe('true');
    }
    // and no file of either repository was ever checked out anywhere under the data directory
    const everything = await walk(root);
    expect(everything.filter((p) => /kustomization\.yaml|config\.json|guestbook/.test(p))).toEqual(
      [],
    );
  });
});
