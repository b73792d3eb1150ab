/**
 * The real kubectl against kube-sim, for end-to-end specs: each session has
 * its own kubeconfig (written by kube-sim: HTTPS, the run's CA, a bearer
 * token) and a throwaway HOME and KUBECACHEDIR, so discovery and OpenAPI
 * caches never leak between runs or between clusters. Commands run as child
 * processes without blocking the event loop, since kube-sim answers from the
 * same process.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Where kubectl is: `$KUBECTL`, `/usr/bin/kubectl`, or the first on PATH; undefined when missing. */
export function findKubectl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [
    env.KUBECTL,
    '/usr/bin/kubectl',
    ...(env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'kubectl')),
  ];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not there; try the next one
    }
  }
  return undefined;
}

/** What one kubectl command did. */
export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A long-running kubectl (`get --watch`) whose output is collected as it arrives. */
export interface KubectlStream {
  /** Everything written to stdout so far. */
  output(): string;
  /** Resolves once stdout matches, rejects after `timeoutMs` (with what was seen). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Stops the process and waits for it to exit. */
  kill(): Promise<void>;
}

/** One kubectl user: a kubeconfig and private HOME / cache directories. */
export class KubectlSession {
  private constructor(
    readonly binary: string,
    readonly dir: string,
    readonly kubeconfigPath: string,
  ) {}

  /** A session in a fresh temporary directory, with `kubeconfig` written to it. */
  static async create(binary: string, kubeconfig: string): Promise<KubectlSession> {
    const dir = await mkdtemp(join(tmpdir(), 'kube-sim-kubectl-'));
    const kubeconfigPath = join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
    return new KubectlSession(binary, dir, kubeconfigPath);
  }

  /** The environment kubectl runs with: nothing from the developer's own kubeconfig or caches. */
  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      HOME: join(this.dir, 'home'),
      KUBECACHEDIR: join(this.dir, 'cache'),
      KUBECONFIG: this.kubeconfigPath,
      KUBECTL_EXTERNAL_DIFF: '',
      ...extra,
    };
  }

  /** Runs `kubectl ARGS` to completion (a generous deadline: the machine may be loaded). */
  run(
    args: readonly string[],
    options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
  ): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      execFile(
        this.binary,
        [...args],
        {
          env: this.env(options.env),
          cwd: this.dir,
          timeout: options.timeoutMs ?? 60_000,
          maxBuffer: 16 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') {
            reject(new Error(`kubectl ${args.join(' ')} failed to run: ${error.message}`));
            return;
          }
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
        },
      );
    });
  }

  /** Runs a command that must succeed; its stdout. */
  async ok(args: readonly string[], options?: { env?: NodeJS.ProcessEnv }): Promise<string> {
    const result = await this.run(args, options);
    if (result.code !== 0) {
      throw new Error(
        `kubectl ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
      );
    }
    return result.stdout;
  }

  /** Starts `kubectl ARGS` and keeps it running (for `get --watch`). */
  stream(args: readonly string[]): KubectlStream {
    const child = spawn(this.binary, [...args], { env: this.env(), cwd: this.dir });
    return collect(child, args);
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

function collect(child: ChildProcess, args: readonly string[]): KubectlStream {
  let stdout = '';
  let stderr = '';
  let exited = false;
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    notify();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      notify();
      resolve();
    }),
  );
  return {
    output: () => stdout,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(stdout)) done(() => resolve(stdout));
          else if (exited) done(() => reject(failure('exited before')));
        };
        const failure = (why: string) =>
          new Error(
            `kubectl ${args.join(' ')} ${why} printing ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`,
          );
        const timer = setTimeout(() => done(() => reject(failure('timed out'))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    async kill() {
      if (!exited) child.kill('SIGTERM');
      await exit;
    },
  };
}
