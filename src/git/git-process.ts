/**
 * Runs one git process with a hard time limit and bounded output.
 *
 * Each process gets its own process group so a timeout kills git together
 * with the helpers it started (`git-remote-https`, `ssh`), and output is
 * either streamed to a parser or buffered up to a limit (GHSA-g687-f2gx-6wm8:
 * size and time limits). We spawn git directly rather than through
 * simple-git: simple-git cannot stream or cap output, kills only the main
 * process on abort, adds ~50 ms to every command without output, and its
 * guards refuse the hardened configuration this module sets on purpose.
 * The spawn helper starts it (`process-spawner.ts`: forking the control
 * plane for every fetch cost it more CPU than the fetch).
 */
import { spawnCommand } from '../process/process-spawner';

/** How to run one git command. */
export interface GitRunRequest {
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly timeoutMs: number;
  /** Written to stdin, which is then closed. */
  readonly input?: string;
  /**
   * Receives stdout as it arrives instead of buffering it. If it throws, the
   * process is killed and `runGit` rejects with that error.
   */
  readonly onStdout?: (chunk: Buffer) => void;
  /** Limit for buffered stdout; more kills the process (`output-limit`). */
  readonly maxStdoutBytes?: number;
  readonly binary?: string;
}

export interface GitRunResult {
  /** Buffered stdout (empty when `onStdout` was given). */
  readonly stdout: Buffer;
  readonly stderr: string;
}

export type GitFailureReason = 'exit' | 'timeout' | 'output-limit' | 'spawn';

/**
 * A git process that did not succeed. `stderr` is raw git output: scrub it
 * (see `scrubSecrets`) before it reaches a message or a log.
 */
export class GitProcessError extends Error {
  constructor(
    readonly reason: GitFailureReason,
    readonly exitCode: number | null,
    readonly stderr: string,
    message: string,
  ) {
    super(message);
    this.name = 'GitProcessError';
  }
}

const DEFAULT_MAX_STDOUT = 256 * 1024 * 1024;
const MAX_STDERR = 64 * 1024;

/**
 * Runs `git <args>` and resolves with its output when it exits with 0.
 * Rejects with a GitProcessError for a non-zero exit, a timeout, an output
 * over the limit or a failure to start, and with the parser's own error when
 * `onStdout` throws.
 */
export function runGit(request: GitRunRequest): Promise<GitRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCommand({
      command: request.binary ?? 'git',
      args: request.args,
      cwd: request.cwd,
      env: request.env,
      stdin: true,
    });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let failure: Error | undefined;
    const limit = request.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;

    const kill = (error: Error): void => {
      failure ??= error;
      child.killGroup('SIGKILL');
    };
    const timer = setTimeout(
      () =>
        kill(
          new GitProcessError(
            'timeout',
            null,
            stderr,
            `git ${request.args[0]} timed out after ${Math.round(request.timeoutMs / 1000)} s`,
          ),
        ),
      request.timeoutMs,
    );

    child.stdout.on('data', (chunk: Buffer) => {
      if (failure) return;
      if (request.onStdout) {
        try {
          request.onStdout(chunk);
        } catch (error) {
          kill(error instanceof Error ? error : new Error(String(error)));
        }
        return;
      }
      stdoutBytes += chunk.length;
      if (stdoutBytes > limit) {
        kill(
          new GitProcessError(
            'output-limit',
            null,
            stderr,
            `git ${request.args[0]} produced more than ${limit} bytes`,
          ),
        );
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR) stderr += chunk.toString('utf8');
    });
    child.on('error', (error) => {
      failure ??= new GitProcessError(
        'spawn',
        null,
        '',
        `git could not be started: ${error.message}`,
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      if (code !== 0) {
        return reject(
          new GitProcessError('exit', code, stderr, `git ${request.args[0]} exited with ${code}`),
        );
      }
      resolve({ stdout: Buffer.concat(stdout), stderr });
    });
    // git may exit before reading all input (a fatal error); the exit status tells why.
    if (request.input) child.write(request.input);
    child.end();
  });
}
