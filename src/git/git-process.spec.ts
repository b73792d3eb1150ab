import { readFile } from 'node:fs/promises';
import { runGit } from './git-process';

/** Waits briefly for `pid` to exit; true when it has, or is only left as a zombie. */
async function isGoneOrZombie(pid: number): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined || stat.split(') ')[1]?.startsWith('Z')) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/** Runs a shell snippet through runGit (the binary is configurable). */
const sh = (script: string, extra: Partial<Parameters<typeof runGit>[0]> = {}) =>
  runGit({
    binary: 'sh',
    args: ['-c', script],
    env: { PATH: process.env.PATH },
    cwd: '/',
    timeoutMs: 10_000,
    ...extra,
  });

describe('runGit', () => {
  it('returns stdout and passes stdin', async () => {
    const { stdout } = await sh('cat', { input: 'hello' });
    expect(stdout.toString()).toBe('hello');
  });

  it.each<[string, Partial<Parameters<typeof runGit>[0]>, object]>([
    ['echo nope >&2; exit 3', {}, { reason: 'exit', exitCode: 3, stderr: 'nope\n' }],
    ['sleep 5', { timeoutMs: 100 }, { reason: 'timeout' }],
    ['head -c 100 /dev/zero', { maxStdoutBytes: 10 }, { reason: 'output-limit' }],
  ])('rejects %j with a GitProcessError', async (script, extra, expected) => {
    await expect(sh(script, extra)).rejects.toEqual(expect.objectContaining(expected));
  });

  it('kills the whole process group on timeout, not only the main process', async () => {
    // Given a process that starts a long-running child (as git starts git-remote-https or ssh)
    let childPid = 0;
    const error = await sh('sleep 30 & echo $!; wait', {
      timeoutMs: 300,
      onStdout: (chunk) => (childPid = Number(chunk.toString().trim())),
    }).catch((e: unknown) => e);
    expect(error).toEqual(expect.objectContaining({ reason: 'timeout' }));
    // then the child is gone too (or a zombie waiting to be reaped)
    expect(childPid).toBeGreaterThan(0);
    expect(await isGoneOrZombie(childPid)).toBe(true);
  });

  it('rejects with the stream consumer error and stops the process', async () => {
    await expect(
      sh('yes', {
        onStdout: () => {
          throw new Error('parser refused');
        },
      }),
    ).rejects.toThrow('parser refused');
  });

  it('reports a binary that cannot be started', async () => {
    await expect(
      runGit({ binary: '/nonexistent/git', args: ['status'], env: {}, cwd: '/', timeoutMs: 1000 }),
    ).rejects.toEqual(expect.objectContaining({ reason: 'spawn' }));
  });
});
