import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { DomainErrorCode } from '../../common/domain-error';
import { diagnostic, runTool, toolEnvironment } from './run-tool';

describe(toolEnvironment.name, () => {
  it('keeps only the program path, temp dir, proxies and CA settings of the server', () => {
    const env = toolEnvironment('/w/home', {
      PATH: '/usr/bin',
      HTTPS_PROXY: 'http://proxy:3128',
      AWS_SECRET_ACCESS_KEY: 'x',
      KUBECONFIG: '/root/.kube/config',
      HOME: '/root',
    });
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      HTTPS_PROXY: 'http://proxy:3128',
      HOME: '/w/home',
      KUBECONFIG: '/dev/null',
    });
    expect(env.AWS_SECRET_ACCESS_KEY).toBeUndefined();
  });
});

describe(diagnostic.name, () => {
  it('keeps the first line, hides the workspace and truncates', () => {
    expect(
      diagnostic('\nError: open /tmp/ws/tree/a/b.yaml: no such file\nmore', '/tmp/ws/tree'),
    ).toBe('Error: open a/b.yaml: no such file');
    expect(diagnostic('')).toBe('no diagnostic output');
    expect(diagnostic('x'.repeat(1000)).length).toBeLessThan(410);
  });
});

describe(runTool.name, () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), 'fleetplane-run-tool-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));
  const base = { cwd: '/', timeoutMs: 5_000, maxOutputBytes: 1024, what: 'test render' };

  it('returns the output of a successful run', async () => {
    expect(await runTool({ ...base, home, command: 'sh', args: ['-c', 'echo "$HOME"'] })).toBe(
      `${home}\n`,
    );
  });

  it('reports a failing run with its first diagnostic line', async () => {
    await expect(
      runTool({ ...base, home, command: 'sh', args: ['-c', 'echo "bad input" >&2; exit 3'] }),
    ).rejects.toMatchObject({
      code: DomainErrorCode.Invalid,
      message: 'test render failed (exit 3): bad input',
    });
  });

  it('kills a run over its time or output limit', async () => {
    await expect(
      runTool({ ...base, home, timeoutMs: 200, command: 'sh', args: ['-c', 'sleep 10'] }),
    ).rejects.toMatchObject({
      code: DomainErrorCode.Upstream,
      message: expect.stringMatching(/did not finish/),
    });
    await expect(
      runTool({ ...base, home, command: 'sh', args: ['-c', 'yes | head -c 100000'] }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/more than 1024 bytes/) });
  });

  it('reports a tool that cannot start', async () => {
    await expect(
      runTool({ ...base, home, command: '/nonexistent/tool', args: [] }),
    ).rejects.toMatchObject({
      code: DomainErrorCode.Upstream,
      message: expect.stringMatching(/could not start/),
    });
  });
});
