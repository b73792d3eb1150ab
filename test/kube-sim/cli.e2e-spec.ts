/**
 * The kube-sim CLI as a process: compiled the way `npm run kube-sim` builds
 * it (tsconfig.bench.json, here only the CLI and what it imports, into a
 * temporary directory so the shared dist/ is left alone), started with 100
 * clusters, it writes a kubeconfig with contexts sim-0 ... sim-99, says where,
 * serves kubectl, and stops on SIGTERM or SIGINT.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { eventually } from '../support/wait';
import { KubectlSession, findKubectl } from './testing/kubectl';

const ROOT = resolve(__dirname, '..', '..');
const KUBECTL = findKubectl();
if (!KUBECTL) {
  console.warn(
    '\n\n*** kubectl NOT FOUND: the kubectl case of the kube-sim CLI spec is SKIPPED ***\n\n',
  );
}
const withKubectl = KUBECTL ? it : it.skip;

/** Compiles test/kube-sim/cli.ts (and its imports) with the bench build settings into `outDir`. */
async function compileCli(dir: string): Promise<string> {
  const tsconfig = join(dir, 'tsconfig.json');
  await writeFile(
    tsconfig,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.bench.json'),
      compilerOptions: {
        outDir: join(dir, 'out'),
        rootDir: ROOT,
        sourceMap: false,
        typeRoots: [join(ROOT, 'node_modules', '@types')],
      },
      files: [join(ROOT, 'test', 'kube-sim', 'cli.ts')],
      include: [],
    }),
  );
  await new Promise<void>((done, fail) =>
    execFile(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig],
      { cwd: ROOT, timeout: 180_000 },
      (error, stdout, stderr) =>
        error ? fail(new Error(`tsc failed: ${stdout}${stderr}`)) : done(),
    ),
  );
  return join(dir, 'out', 'test', 'kube-sim', 'cli.js');
}

/** A running CLI with its output collected. */
function startCli(cli: string, args: string[]) {
  const child: ChildProcess = spawn(process.execPath, [cli, ...args], {
    // The compiled files live outside the repository: resolve packages from it.
    env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

describe('kube-sim CLI', () => {
  let dir: string;
  let cli: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-cli-'));
    cli = await compileCli(dir);
  }, 240_000);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  withKubectl(
    'serves 100 clusters, writes a kubeconfig with contexts sim-0..sim-99, serves kubectl, stops on SIGTERM',
    async () => {
      const kubeconfigPath = join(dir, 'fleet.kubeconfig');
      const run = startCli(cli, [
        '--clusters',
        '100',
        '--port',
        '0',
        '--kubeconfig',
        kubeconfigPath,
      ]);
      try {
        await eventually(
          async () => /kubeconfig written to/.test(run.output()),
          60_000,
          'the CLI to start',
        );
        expect(run.output()).toMatch(
          new RegExp(
            `^kube-sim: 100 cluster\\(s\\) on https://127\\.0\\.0\\.1:\\d+; kubeconfig written to ${kubeconfigPath} \\(contexts sim-0 \\.\\.\\. sim-99\\)\\n$`,
          ),
        );
        const text = await readFile(kubeconfigPath, 'utf8');
        const config = parse(text) as { contexts: { name: string }[]; 'current-context': string };
        expect(config.contexts.map((c) => c.name)).toEqual(
          Array.from({ length: 100 }, (_, i) => `sim-${i}`),
        );

        const kubectl = await KubectlSession.create(KUBECTL as string, text);
        try {
          expect(
            await kubectl.ok(['--context', 'sim-42', 'create', 'namespace', 'only-in-42']),
          ).toBe('namespace/only-in-42 created\n');
          expect(
            await kubectl.ok(['--context', 'sim-42', 'get', 'namespaces', '-o', 'name']),
          ).toContain('namespace/only-in-42\n');
          const other = await kubectl.run([
            '--context',
            'sim-99',
            'get',
            'namespace',
            'only-in-42',
          ]);
          expect(other.code).toBe(1);
          expect(other.stderr).toContain('namespaces "only-in-42" not found');
        } finally {
          await kubectl.dispose();
        }
      } finally {
        run.child.kill('SIGTERM');
      }
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain('kube-sim: SIGTERM received, stopping');
    },
    120_000,
  );

  it('stops on SIGINT', async () => {
    const run = startCli(cli, ['--port', '0', '--kubeconfig', join(dir, 'one.kubeconfig')]);
    await eventually(
      async () => /kubeconfig written to/.test(run.output()),
      60_000,
      'the CLI to start',
    );
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('kube-sim: SIGINT received, stopping');
  }, 90_000);

  it('refuses bad arguments with exit status 2 and says why', async () => {
    const run = startCli(cli, ['--clusters', 'many']);
    expect(await run.exited).toBe(2);
    expect(run.output()).toBe('--clusters must be a non-negative integer, got "many"\n');
  }, 60_000);
});
