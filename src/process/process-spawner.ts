/**
 * Starts the commands the control plane runs (git, kustomize, helm) without
 * forking the control plane itself.
 *
 * Why: Node 20 starts a child with fork() then exec() (libuv 1.46 on
 * Linux). Forking a process that holds a few hundred MiB marks all of its
 * pages copy-on-write, and every page it writes afterwards costs a fault.
 * Measured in the 10,000-Application benchmark with one Git fetch a second:
 * 12-15 % more control-plane CPU than with no fetch (about 120 ms per fetch,
 * mostly outside the spawn call itself). A fleet polling a thousand
 * repositories every 180 s fetches five times a second.
 *
 * So commands are started by the spawn helper, a small Node process started
 * once (`spawn-helper.main.ts`), and their output comes back over its IPC
 * channel. Each command runs in its own process group, which the caller
 * kills directly by pid. When the helper cannot start, or
 * `FLEETPLANE_SPAWN_HELPER=false`, commands are spawned directly, as before.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { Logger } from '@nestjs/common';
import { spawnHelperMain } from './spawn-helper.main';

/** One command to start. */
export interface SpawnRequest {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env: NodeJS.ProcessEnv;
  /** Give the command a stdin pipe (`write`, `end`); without, its stdin is /dev/null. */
  readonly stdin: boolean;
}

/**
 * A started command. `stdout` and `stderr` emit `data` (Buffer); the command
 * emits `error` (NodeJS.ErrnoException, could not start) and then, always
 * last, `close` (code, signal) once its output has all been delivered.
 */
export interface SpawnedCommand {
  readonly stdout: EventEmitter;
  readonly stderr: EventEmitter;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): this;
  on(event: 'close', listener: (code: number | null, signal: string | null) => void): this;
  /** Writes to its stdin (ignored without `stdin: true`, or once ended). */
  write(data: string | Buffer): void;
  /** Closes its stdin. */
  end(): void;
  /** Signals its whole process group (helpers it started included); a no-op once it is gone. */
  killGroup(signal: NodeJS.Signals): void;
}

/** Starts `request` through the spawn helper (or directly, see the module comment). */
export function spawnCommand(request: SpawnRequest): SpawnedCommand {
  return helper().spawn(request);
}

/** The helper's pid while it runs (for the benchmark's memory figures), else undefined. */
export function spawnHelperPid(): number | undefined {
  return current?.pid;
}

/**
 * Stops the helper (its commands in flight fail with `EHELPER`); the next
 * command starts a new one. For shutdown and for test files, each of which
 * loads its own copy of this module.
 */
export function stopSpawnHelper(): void {
  current?.stop();
}

let current: SpawnHelper | undefined;

function helper(): SpawnHelper {
  // Same reading as the app config, which refuses any other value at start-up.
  const setting = (process.env.FLEETPLANE_SPAWN_HELPER ?? '').toLowerCase();
  current ??= new SpawnHelper(!['false', '0', 'no'].includes(setting));
  return current;
}

class HelperCommand extends EventEmitter implements SpawnedCommand {
  readonly stdout = new EventEmitter();
  readonly stderr = new EventEmitter();
  pid: number | undefined;
  closed = false;
  private pendingSignal: NodeJS.Signals | undefined;

  constructor(
    private readonly id: number,
    private readonly send: (message: Record<string, unknown>) => void,
  ) {
    super();
  }

  write(data: string | Buffer): void {
    if (!this.closed) this.send({ op: 'stdin', id: this.id, data });
  }

  end(): void {
    if (!this.closed) this.send({ op: 'stdin-end', id: this.id });
  }

  killGroup(signal: NodeJS.Signals): void {
    if (this.closed) return;
    if (this.pid === undefined) {
      this.pendingSignal = signal; // sent once the helper says it started
      return;
    }
    killGroup(this.pid, signal);
  }

  started(pid: number): void {
    this.pid = pid;
    if (this.pendingSignal) killGroup(pid, this.pendingSignal);
  }

  close(code: number | null, signal: string | null): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', code, signal);
  }
}

class SpawnHelper {
  private readonly logger = new Logger('SpawnHelper');
  private process: ChildProcess | undefined;
  private readonly commands = new Map<number, HelperCommand>();
  private nextId = 1;

  constructor(private enabled: boolean) {}

  get pid(): number | undefined {
    return this.process?.pid;
  }

  spawn(request: SpawnRequest): SpawnedCommand {
    if (!this.enabled) return direct(request);
    const helper = this.process ?? this.start();
    const id = this.nextId++;
    const command = new HelperCommand(id, (message) => this.send(helper, message));
    this.commands.set(id, command);
    if (this.commands.size === 1) helper.channel?.ref(); // in-flight commands keep Node alive
    this.send(helper, {
      op: 'spawn',
      id,
      command: request.command,
      args: request.args,
      cwd: request.cwd,
      env: request.env,
      stdin: request.stdin,
    });
    return command;
  }

  private start(): ChildProcess {
    const helper = spawn(
      process.execPath,
      ['--max-old-space-size=64', '-e', `(${spawnHelperMain.toString()})()`],
      {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
        serialization: 'advanced',
        // Each command brings its own environment: the helper needs none of the control plane's
        // (its secrets, or NODE_OPTIONS with a heap size or require hooks).
        env: { PATH: process.env.PATH ?? '' },
      },
    );
    this.process = helper;
    helper.unref();
    helper.channel?.unref();
    let running = false;
    helper.on('spawn', () => (running = true));
    helper.on('message', (message: Record<string, unknown>) => this.receive(message));
    helper.on('error', (error) => {
      if (running) {
        // A message that could not be sent: the helper is going; 'exit' fails its commands.
        this.logger.warn(`the spawn helper's channel failed: ${error.message}`);
        return;
      }
      // It could not start at all: spawn directly from now on.
      this.logger.warn(`the spawn helper could not start (${error.message}); spawning directly`);
      this.enabled = false;
      this.stopped(helper, error.message);
    });
    helper.on('exit', (code, signal) => {
      if (this.process === helper) {
        this.logger.warn(
          `the spawn helper stopped (${signal ?? `exit ${code}`}); it restarts with the next command`,
        );
      }
      this.stopped(helper, 'the spawn helper stopped');
    });
    return helper;
  }

  stop(): void {
    const helper = this.process;
    if (!helper) return;
    this.stopped(helper, 'the spawn helper was stopped');
    if (helper.connected) helper.disconnect(); // it exits when its channel closes
  }

  private send(helper: ChildProcess, message: Record<string, unknown>): void {
    if (helper.connected) helper.send(message);
  }

  private receive(message: Record<string, unknown>): void {
    const command = this.commands.get(message.id as number);
    if (!command) return;
    switch (message.op) {
      case 'spawned':
        command.started(message.pid as number);
        break;
      case 'stdout':
        command.stdout.emit('data', asBuffer(message.data));
        break;
      case 'stderr':
        command.stderr.emit('data', asBuffer(message.data));
        break;
      case 'error':
        command.emit('error', spawnError(message.code as string, message.message as string));
        break;
      case 'close':
        this.finished(message.id as number);
        command.close(message.code as number | null, message.signal as string | null);
        break;
    }
  }

  /** Fails the commands of a helper that is gone; the next command starts a new one. */
  private stopped(helper: ChildProcess, reason: string): void {
    if (this.process !== helper) return;
    this.process = undefined;
    const orphans = [...this.commands.entries()];
    this.commands.clear();
    for (const [, command] of orphans) {
      // A command already started runs on in its own process group: end it, its output is lost.
      if (command.pid !== undefined) killGroup(command.pid, 'SIGKILL');
      command.emit('error', spawnError('EHELPER', reason));
      command.close(null, null);
    }
  }

  private finished(id: number): void {
    this.commands.delete(id);
    if (this.commands.size === 0) this.process?.channel?.unref();
  }
}

/** A command spawned by the control plane itself (no helper). */
function direct(request: SpawnRequest): SpawnedCommand {
  const child = spawn(request.command, request.args as string[], {
    cwd: request.cwd,
    env: request.env,
    stdio: [request.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdin?.on('error', () => undefined); // the command may exit before reading it all
  const command = Object.assign(child, {
    write: (data: string | Buffer) => void child.stdin?.write(data),
    end: () => void child.stdin?.end(),
    killGroup: (signal: NodeJS.Signals) => {
      if (child.pid !== undefined) killGroup(child.pid, signal);
    },
  });
  return command as unknown as SpawnedCommand;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function asBuffer(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  // Structured clone delivers a Buffer as a Uint8Array.
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(String(data ?? ''));
}

function spawnError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}
