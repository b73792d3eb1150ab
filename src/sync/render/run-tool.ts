/**
 * Runs a rendering tool (`kubectl kustomize`, `kustomize build`,
 * `helm template`) the way a repo-server must: its own process group (a
 * timeout kills the tool and anything it started), an environment built from
 * scratch (no credentials or config of the server leak in; a private empty
 * HOME), a time limit (Argo's exec timeout), and a cap on its output.
 */
import { spawnCommand } from '../../process/process-spawner';
import { DomainError, DomainErrorCode } from '../../common/domain-error';

/** One tool run. */
export interface ToolRun {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** A private, empty directory used as HOME (and for caches the tool writes). */
  readonly home: string;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
  /** What is rendered, for messages: `Kustomize build of apps/web`. */
  readonly what: string;
  /** Text replaced in stderr before it reaches a message (the temporary directory). */
  readonly hidePrefix?: string;
}

/** Variables of the server's environment a tool may see: program path, temp dir, proxies, CA bundles. */
const INHERITED = [
  'PATH',
  'TMPDIR',
  'http_proxy',
  'https_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'no_proxy',
  'NO_PROXY',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
];

/** The environment of a tool run (pure function of the server's environment). */
export function toolEnvironment(
  home: string,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {
    HOME: home,
    LANG: 'C',
    // No kubeconfig: `kubectl kustomize` must never reach a cluster.
    KUBECONFIG: '/dev/null',
    XDG_CONFIG_HOME: home,
    XDG_CACHE_HOME: home,
    HELM_CACHE_HOME: `${home}/helm-cache`,
    HELM_CONFIG_HOME: `${home}/helm-config`,
    HELM_DATA_HOME: `${home}/helm-data`,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
  };
  for (const name of INHERITED) if (env[name] !== undefined) out[name] = env[name];
  return out;
}

const MAX_STDERR_BYTES = 64 * 1024;
const MESSAGE_STDERR_CHARS = 400;

/**
 * Runs the tool; resolves with its standard output when it exits with 0.
 * Rejects with a DomainError (`Invalid` for the tool's own refusal, since
 * the source is at fault; `Upstream` for a timeout, an oversized output or a
 * failure to start). Messages carry the tool's first diagnostic line
 * (truncated, temporary paths hidden), never its output.
 */
export function runTool(run: ToolRun): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnCommand({
      command: run.command,
      args: run.args,
      cwd: run.cwd,
      env: toolEnvironment(run.home),
      stdin: false,
    });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let failure: DomainError | undefined;
    const kill = (error: DomainError) => {
      failure ??= error;
      child.killGroup('SIGKILL');
    };
    const timer = setTimeout(
      () =>
        kill(
          new DomainError(
            DomainErrorCode.Upstream,
            `${run.what} did not finish within ${Math.round(run.timeoutMs / 1000)} s`,
          ),
        ),
      run.timeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > run.maxOutputBytes) {
        kill(
          new DomainError(
            DomainErrorCode.Upstream,
            `${run.what} produced more than ${run.maxOutputBytes} bytes of manifests`,
          ),
        );
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR_BYTES) stderr += chunk.toString('utf8');
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new DomainError(
          DomainErrorCode.Upstream,
          `${run.what}: could not start ${run.command} (${error.code ?? 'error'})`,
        ),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      if (code === 0) return resolve(Buffer.concat(stdout).toString('utf8'));
      reject(
        new DomainError(
          DomainErrorCode.Invalid,
          `${run.what} failed (exit ${code ?? 'signal'}): ${diagnostic(stderr, run.hidePrefix)}`,
          [{ field: 'spec.source', rule: 'render', message: diagnostic(stderr, run.hidePrefix) }],
        ),
      );
    });
  });
}

/** The first non-empty stderr line, truncated, with the temporary directory hidden. */
export function diagnostic(stderr: string, hidePrefix?: string): string {
  let text = stderr;
  if (hidePrefix) text = text.split(`${hidePrefix}/`).join('').split(hidePrefix).join('.');
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0);
  if (!line) return 'no diagnostic output';
  return line.length > MESSAGE_STDERR_CHARS ? `${line.slice(0, MESSAGE_STDERR_CHARS)}…` : line;
}
