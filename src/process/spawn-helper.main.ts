/**
 * The program of the spawn helper (see `process-spawner.ts`): a small Node
 * process that starts commands for the control plane and relays their
 * output over its IPC channel. It runs as `node -e "(<this function>)()"`,
 * so it must be self-contained: no imports, built-in modules only, no
 * closure over anything outside the function.
 *
 * Messages in: `spawn` {id, command, args, cwd, env, stdin}, `stdin` {id,
 * data}, `stdin-end` {id}. Messages out: `spawned` {id, pid}, `error` {id,
 * code, message} (could not start), `stdout` / `stderr` {id, data},
 * `close` {id, code, signal} after all output. Every command gets its own
 * process group (the caller kills the group directly by pid).
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the helper runs from its own source text, without a module system of ours */
export function spawnHelperMain(): void {
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  type Message = {
    op: string;
    id: number;
    command?: string;
    args?: string[];
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    stdin?: boolean;
    data?: Buffer | string;
  };
  const children = new Map<number, import('node:child_process').ChildProcess>();
  const send = (message: Record<string, unknown>) => {
    if (process.connected) process.send!(message);
  };
  process.on('message', (message: Message) => {
    if (message.op === 'spawn') {
      const { id } = message;
      let child: import('node:child_process').ChildProcess;
      try {
        child = spawn(message.command!, message.args ?? [], {
          cwd: message.cwd,
          env: message.env,
          stdio: [message.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
          detached: true,
        });
      } catch (error) {
        const e = error as NodeJS.ErrnoException;
        send({ op: 'error', id, code: e.code ?? 'ERROR', message: e.message });
        send({ op: 'close', id, code: null, signal: null });
        return;
      }
      children.set(id, child);
      let spawned = false;
      let closed = false;
      const close = (code: number | null, signal: NodeJS.Signals | null) => {
        if (closed) return;
        closed = true;
        children.delete(id);
        send({ op: 'close', id, code, signal });
      };
      child.on('spawn', () => {
        spawned = true;
        send({ op: 'spawned', id, pid: child.pid });
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        send({ op: 'error', id, code: error.code ?? 'ERROR', message: error.message });
        // A command that never started has no output to wait for.
        if (!spawned) close(null, null);
      });
      child.stdout!.on('data', (data: Buffer) => send({ op: 'stdout', id, data }));
      child.stderr!.on('data', (data: Buffer) => send({ op: 'stderr', id, data }));
      child.stdin?.on('error', () => undefined);
      child.on('close', close);
      return;
    }
    const child = children.get(message.id);
    if (message.op === 'stdin' && message.data !== undefined) child?.stdin?.write(message.data);
    else if (message.op === 'stdin-end') child?.stdin?.end();
  });
  // The control plane is gone: nothing will read the output any more.
  process.on('disconnect', () => process.exit(0));
}
