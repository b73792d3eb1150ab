/**
 * Runs the real control plane entry point (`src/main.ts`) as a child
 * process, as `npm start` does but without a build step, for specs that
 * need a process to stop, kill and restart: clean shutdown, crash recovery,
 * operations left running by a killed process.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import * as net from 'node:net';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const REGISTER_TS = path.join(__dirname, 'register-ts.js');
const MAIN = path.join(ROOT, 'src', 'main.ts');

export interface ControlPlaneProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and resolves with the exit code (null when killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface ControlPlaneOptions {
  /** Environment on top of a minimal one (PATH, HOME); `PORT` is chosen when absent. */
  readonly env: Record<string, string>;
  /** How long to wait for `/readyz`; start-up includes initdb on a first embedded start. */
  readonly readyTimeoutMs?: number;
}

/** Starts the control plane and resolves once `/readyz` answers 200. */
export async function startControlPlane(
  options: ControlPlaneOptions,
): Promise<ControlPlaneProcess> {
  const port = Number(options.env.PORT ?? (await freePort()));
  const child = spawn(process.execPath, ['--require', REGISTER_TS, MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'log',
      ...options.env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const url = `http://127.0.0.1:${port}`;
  const handle: ControlPlaneProcess = {
    url,
    port,
    child,
    output: () => output,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = await exited;
      return code;
    },
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`control plane exited during start-up (${child.exitCode}):\n${output}`);
    }
    if (await isReady(url)) return handle;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await handle.stop('SIGKILL');
  throw new Error(
    `control plane not ready after ${options.readyTimeoutMs ?? 60_000} ms:\n${output}`,
  );
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
