/**
 * The spawn helper with real processes: commands the control plane runs
 * (git, kustomize, helm) are children of the helper, not of the control
 * plane, and behave as directly spawned ones did: output, exit codes, stdin,
 * start failures, killing a process group; a helper that dies fails its
 * commands and is replaced.
 */
import { readFileSync } from 'node:fs';
import {
  SpawnRequest,
  SpawnedCommand,
  spawnCommand,
  spawnHelperPid,
  stopSpawnHelper,
} from '../../src/process/process-spawner';
import { eventually } from '../support/wait';

interface Outcome {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: string | null;
  errors: string[];
}

function run(command: SpawnedCommand, input?: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const errors: string[] = [];
    command.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    command.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    command.on('error', (error) => errors.push(error.code ?? 'none'));
    command.on('close', (code, signal) =>
      resolve({
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        code,
        signal,
        errors,
      }),
    );
    if (input !== undefined) command.write(input);
    command.end();
  });
}

const sh = (script: string, stdin = false): SpawnRequest => ({
  command: 'sh',
  args: ['-c', script],
  env: { PATH: process.env.PATH },
  stdin,
});

/** Waits until no process has `pid` (signal 0 fails). */
function gone(pid: number, what: string): Promise<unknown> {
  return eventually(
    async () => {
      try {
        process.kill(pid, 0);
        return null;
      } catch {
        return true;
      }
    },
    5_000,
    `${what} gone`,
  );
}

/** The parent pid of a process, from /proc. */
function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

describe('spawn helper', () => {
  it('runs commands as children of the helper, with their output, stdin and exit code', async () => {
    const echoed = await run(spawnCommand(sh('cat; echo done >&2; exit 3', true)), 'hello\n');
    expect(echoed).toEqual({
      stdout: 'hello\n',
      stderr: 'done\n',
      code: 3,
      signal: null,
      errors: [],
    });

    const parent = await run(spawnCommand(sh('echo $PPID')));
    const helper = spawnHelperPid();
    expect(helper).toBeDefined();
    expect(Number(parent.stdout.trim())).toBe(helper);
    expect(parentOf(helper!)).toBe(process.pid);
  });

  it('delivers a large output whole, and in order before the close', async () => {
    const out = await run(spawnCommand(sh('head -c 5000000 /dev/zero | tr "\\0" a; echo end')));
    expect(out.stdout).toHaveLength(5_000_004);
    expect(out.stdout.endsWith('aend\n')).toBe(true);
  });

  it('reports a command that cannot start, then closes it', async () => {
    const missing = await run(
      spawnCommand({ command: 'no-such-command-here', args: [], env: {}, stdin: false }),
    );
    expect(missing).toMatchObject({ errors: ['ENOENT'], code: null, stdout: '' });
  });

  it('kills the whole process group of a command', async () => {
    const command = spawnCommand(sh('sleep 30 & echo $!; wait'));
    const pids: number[] = [];
    command.stdout.on('data', (chunk: Buffer) => pids.push(Number(chunk.toString().trim())));
    const outcome = run(command);
    await eventually(async () => pids.length > 0 || null, 5_000, 'the grandchild pid');
    command.killGroup('SIGKILL');
    expect(await outcome).toMatchObject({ signal: 'SIGKILL' });
    // The backgrounded sleep was in the group too.
    await gone(pids[0], 'the grandchild');
  });

  it('fails the commands of a helper that dies, and starts a new one for the next', async () => {
    const waiting = run(spawnCommand(sh('sleep 30')));
    const first = spawnHelperPid()!;
    process.kill(first, 'SIGKILL');
    expect(await waiting).toMatchObject({ errors: ['EHELPER'], code: null });
    const next = await run(spawnCommand(sh('echo again')));
    expect(next).toMatchObject({ stdout: 'again\n', code: 0, errors: [] });
    expect(spawnHelperPid()).not.toBe(first);
  });

  it('stops the helper on request, failing what runs, and starts a new one after', async () => {
    const waiting = run(spawnCommand(sh('sleep 30')));
    const first = spawnHelperPid()!;
    stopSpawnHelper();
    expect(await waiting).toMatchObject({ errors: ['EHELPER'], code: null });
    expect(spawnHelperPid()).toBeUndefined();
    await gone(first, 'the stopped helper');
    expect(await run(spawnCommand(sh('echo again')))).toMatchObject({ stdout: 'again\n' });
  });

  it('spawns directly when FLEETPLANE_SPAWN_HELPER=false', async () => {
    const saved = process.env.FLEETPLANE_SPAWN_HELPER;
    process.env.FLEETPLANE_SPAWN_HELPER = 'false';
    try {
      type Spawner = typeof import('../../src/process/process-spawner');
      let spawner: Spawner | undefined;
      jest.isolateModules(() => {
        spawner = jest.requireActual<Spawner>('../../src/process/process-spawner');
      });
      const parent = await run(spawner!.spawnCommand(sh('echo $PPID')));
      expect(Number(parent.stdout.trim())).toBe(process.pid);
      expect(spawner!.spawnHelperPid()).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.FLEETPLANE_SPAWN_HELPER;
      else process.env.FLEETPLANE_SPAWN_HELPER = saved;
    }
  });
});
