/**
 * The control plane as an operator runs it: `src/main.ts` in its own
 * process on the embedded PostgreSQL, stopped with SIGTERM, killed with
 * SIGKILL, started again on the same data directory, and refused at once
 * when its configuration is wrong.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ControlPlaneProcess, startControlPlane } from '../support/control-plane-process';
import { createTestDatabase } from '../support/database';

jest.setTimeout(180_000);

describe('control plane process', () => {
  let root: string;
  let dataDir: string;
  let running: ControlPlaneProcess | undefined;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-process-'));
    fs.chmodSync(root, 0o755); // the embedded server runs as `postgres` when we are root
    dataDir = path.join(root, 'data');
  });

  afterAll(async () => {
    await running?.stop('SIGTERM');
    stopOrphanedPostgres(dataDir);
    fs.rmSync(root, { recursive: true, force: true });
  });

  const start = async () => {
    running = await startControlPlane({
      env: { FLEETPLANE_DATA_DIR: dataDir, FLEETPLANE_CONNECTIVITY_INTERVAL_SECONDS: '0' },
      readyTimeoutMs: 120_000,
    });
    return running;
  };
  const postmasterPid = () => path.join(dataDir, 'postgres', 'postmaster.pid');

  it('starts on an embedded PostgreSQL, keeps data across a clean stop, and stops the database with it', async () => {
    // Given a first start on an empty data directory
    const first = await start();
    expect(fs.existsSync(postmasterPid())).toBe(true);
    expect(fs.statSync(path.join(dataDir, 'encryption.key')).mode & 0o777).toBe(0o600);
    const registered = await fetch(`${first.url}/api/v1/clusters`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'kept',
        server: 'https://10.1.2.3:6443',
        labels: { env: 'prod' },
        credentials: { bearerToken: 'secret-token-value' },
      }),
    });
    expect(registered.status).toBe(201);

    // When it receives SIGTERM
    const code = await first.stop('SIGTERM');

    // Then it exits 0, stops its PostgreSQL, and a second start sees the same cluster and key
    expect(code).toBe(0);
    expect(first.output()).toContain('SIGTERM received, shutting down');
    expect(fs.existsSync(postmasterPid())).toBe(false);
    const second = await start();
    const cluster = await (await fetch(`${second.url}/api/v1/clusters/kept`)).json();
    expect(cluster).toEqual(
      expect.objectContaining({
        name: 'kept',
        labels: { env: 'prod' },
        credentials: expect.objectContaining({ kinds: ['bearerToken'] }),
      }),
    );
    expect(await second.stop('SIGTERM')).toBe(0);
  });

  it('reuses the PostgreSQL a killed process left running', async () => {
    // Given a process killed without a chance to stop its database
    const killed = await start();
    await killed.stop('SIGKILL');
    expect(fs.existsSync(postmasterPid())).toBe(true);

    // When the control plane starts again on the same data directory
    const restarted = await start();

    // Then it serves the data that was there before, and stops cleanly
    const response = await fetch(`${restarted.url}/api/v1/clusters/kept`);
    expect(response.status).toBe(200);
    expect(await restarted.stop('SIGTERM')).toBe(0);
    expect(fs.existsSync(postmasterPid())).toBe(false);
  });

  it('uses the server in DATABASE_URL instead of an embedded one', async () => {
    // Given an external database and no embedded data directory in use
    const db = await createTestDatabase();
    const external = path.join(root, 'external');
    try {
      // When the control plane starts with DATABASE_URL
      running = await startControlPlane({
        env: {
          FLEETPLANE_DATA_DIR: external,
          DATABASE_URL: db.url,
          FLEETPLANE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
          FLEETPLANE_CONNECTIVITY_INTERVAL_SECONDS: '0',
        },
      });
      // Then it serves from that database and never starts its own
      expect((await fetch(`${running.url}/api/v1/clusters`)).status).toBe(200);
      expect(fs.existsSync(path.join(external, 'postgres'))).toBe(false);
      expect(await running.stop('SIGTERM')).toBe(0);
    } finally {
      await db.drop();
    }
  });

  it('refuses a wrong configuration with every mistake in one message and exit status 2', async () => {
    const child = spawn(
      process.execPath,
      ['--require', path.join(__dirname, '..', 'support', 'register-ts.js'), 'src/main.ts'],
      {
        cwd: path.resolve(__dirname, '..', '..'),
        env: {
          PATH: process.env.PATH,
          PORT: 'eighty',
          LOG_LEVEL: 'loud',
          FLEETPLANE_DATA_DIR: path.join(root, 'never'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('LOG_LEVEL');
    expect(fs.existsSync(path.join(root, 'never', 'postgres'))).toBe(false);
  });
});

/** Stops a PostgreSQL a failed spec may have left behind, so the run does not leak it. */
function stopOrphanedPostgres(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    if (pid > 0) process.kill(pid, 'SIGINT');
  } catch {
    // already gone
  }
}
