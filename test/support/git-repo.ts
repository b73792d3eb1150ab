/**
 * Throwaway Git repositories for end-to-end specs: real `git`, in a temp
 * directory, isolated from the machine's git config.
 *
 *   const repo = await TestGitRepo.create();
 *   await repo.write({ 'apps/a/config.json': '{}', 'old.txt': null });
 *   const sha = await repo.commit('add app a');
 *   await repo.tag('v1', { annotated: true });
 *   mirrorCache.resolveRevision(repo.url, 'v1');
 *   await repo.cleanup();
 */
import { mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { runGit } from '../../src/git/git-process';

/** Environment for fixture git commands: no system or user config, fixed identity. */
const GIT_ENV: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: os.tmpdir(),
  LANG: 'C',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Fleetplane Test',
  GIT_AUTHOR_EMAIL: 'test@fleetplane.invalid',
  GIT_COMMITTER_NAME: 'Fleetplane Test',
  GIT_COMMITTER_EMAIL: 'test@fleetplane.invalid',
};

/** Where to create a repository. */
export interface TestGitRepoOptions {
  /** Parent directory (e.g. a GitHttpServer's root); a new temp dir when absent. */
  readonly parentDir?: string;
  /** Directory name under the parent (default `repo`). */
  readonly name?: string;
}

export class TestGitRepo {
  private constructor(
    /** The working tree (and `.git`) of the repository. */
    readonly dir: string,
    private readonly ownedDir: string | undefined,
  ) {}

  /** Creates an empty repository on branch `main`. */
  static async create(options: TestGitRepoOptions = {}): Promise<TestGitRepo> {
    const owned = options.parentDir
      ? undefined
      : await mkdtemp(path.join(os.tmpdir(), 'fleetplane-git-'));
    const dir = path.join(options.parentDir ?? owned!, options.name ?? 'repo');
    await mkdir(dir, { recursive: true });
    const repo = new TestGitRepo(dir, owned);
    await repo.git('init', '--quiet', '-b', 'main');
    await repo.git('config', 'user.name', 'Fleetplane Test');
    await repo.git('config', 'user.email', 'test@fleetplane.invalid');
    await repo.git('config', 'commit.gpgsign', 'false');
    // Serve any reachable commit by SHA over http too (Argo fetches unadvertised SHAs).
    await repo.git('config', 'uploadpack.allowReachableSHA1InWant', 'true');
    return repo;
  }

  /** `file://` URL of the repository. */
  get url(): string {
    return `file://${this.dir}`;
  }

  /** Writes files (creating directories); `null` deletes a file. Nothing is committed yet. */
  async write(files: Record<string, string | Buffer | null>): Promise<void> {
    for (const [name, content] of Object.entries(files)) {
      const file = this.resolve(name);
      if (content === null) {
        await unlink(file);
      } else {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, content);
      }
    }
  }

  /** Creates a symbolic link `name` with the given target (taken literally, may leave the repo). */
  async symlink(name: string, target: string): Promise<void> {
    const file = this.resolve(name);
    await mkdir(path.dirname(file), { recursive: true });
    await symlink(target, file);
  }

  /** Records a submodule (gitlink) at `name` pointing at `sha`, without cloning anything. */
  async addSubmodule(name: string, sha: string): Promise<void> {
    // An empty directory is how git sees a submodule that is not checked out.
    await mkdir(this.resolve(name), { recursive: true });
    await this.git('update-index', '--add', '--cacheinfo', `160000,${sha},${name}`);
  }

  /** Stages everything and commits; returns the new commit SHA. */
  async commit(message: string): Promise<string> {
    await this.git('add', '--all');
    await this.git('commit', '--quiet', '--allow-empty', '-m', message);
    return this.head();
  }

  /** `write` then `commit`. */
  async commitFiles(
    files: Record<string, string | Buffer | null>,
    message = 'update',
  ): Promise<string> {
    await this.write(files);
    return this.commit(message);
  }

  /** SHA of the checked-out commit. */
  async head(): Promise<string> {
    return this.git('rev-parse', 'HEAD');
  }

  /** Creates a branch at `at` (default: the current commit) without switching to it. */
  async branch(name: string, at = 'HEAD'): Promise<void> {
    await this.git('branch', name, at);
  }

  /** Switches the working tree to an existing branch (`create: true` makes it first). */
  async checkout(name: string, options: { create?: boolean } = {}): Promise<void> {
    await this.git('checkout', '--quiet', ...(options.create ? ['-b'] : []), name);
  }

  /** Deletes a branch. */
  async deleteBranch(name: string): Promise<void> {
    await this.git('branch', '--quiet', '-D', name);
  }

  /** Creates a lightweight tag, or an annotated one, at `at` (default: the current commit). */
  async tag(name: string, options: { annotated?: boolean; at?: string } = {}): Promise<void> {
    const annotated = options.annotated ? ['-a', '-m', `tag ${name}`] : [];
    await this.git('tag', ...annotated, name, options.at ?? 'HEAD');
  }

  /**
   * Runs git in the repository and returns its trimmed stdout. Through the
   * product's runner, so git starts from the spawn helper: a benchmark that
   * commits from the control plane's own process would otherwise fork it,
   * and charge the control plane for what a Git server does elsewhere.
   */
  async git(...args: string[]): Promise<string> {
    try {
      const { stdout } = await runGit({
        args,
        cwd: this.dir,
        env: GIT_ENV,
        timeoutMs: 120_000,
        maxStdoutBytes: 64 * 1024 * 1024,
      });
      return stdout.toString('utf8').trim();
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      throw new Error(
        `git ${args.join(' ')}: ${(error as Error).message}${stderr ? `: ${stderr}` : ''}`,
        { cause: error },
      );
    }
  }

  /** Removes the repository (and its temp parent when this fixture created it). */
  async cleanup(): Promise<void> {
    await rm(this.ownedDir ?? this.dir, { recursive: true, force: true });
  }

  private resolve(name: string): string {
    const file = path.resolve(this.dir, name);
    if (!file.startsWith(`${this.dir}${path.sep}`))
      throw new Error(`${name} is outside the repository`);
    return file;
  }
}
