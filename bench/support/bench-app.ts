/**
 * A real control plane for benchmarks: embedded PostgreSQL in a temp dir
 * (or DATABASE_URL), migrations, the Nest app listening on a free port.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { runMigrations } from '../../src/database/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

export interface BenchApp {
  readonly app: NestExpressApplication;
  readonly config: AppConfig;
  readonly baseUrl: string;
  readonly databaseUrl: string;
  close(): Promise<void>;
}

export async function startBenchApp(env: Record<string, string> = {}): Promise<BenchApp> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-bench-'));
  fs.chmodSync(root, 0o755);
  let databaseUrl = process.env.DATABASE_URL;
  let stopDatabase: () => Promise<void> = async () => undefined;
  if (!databaseUrl) {
    // Durable settings, as in production: benchmark figures must not flatter.
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(root, 'pg'),
      database: 'fleetplane',
    });
    databaseUrl = pg.url;
    // A benchmark that dies without closing (an error, its output closed) must not leave its
    // database running: 'exit' handlers cannot wait, so the server is only told to stop.
    const stopOnExit = () => signalPostgres(path.join(root, 'pg'));
    process.once('exit', stopOnExit);
    stopDatabase = async () => {
      process.off('exit', stopOnExit);
      await pg.stop();
    };
  }
  try {
    return await startOn(root, databaseUrl, stopDatabase, env);
  } catch (error) {
    // A failed start must not leave a PostgreSQL running behind the benchmark.
    await stopDatabase().catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

async function startOn(
  root: string,
  databaseUrl: string,
  stopDatabase: () => Promise<void>,
  env: Record<string, string>,
): Promise<BenchApp> {
  await runMigrations(databaseUrl);
  const config = loadConfig({
    FLEETPLANE_DATA_DIR: path.join(root, 'data'),
    FLEETPLANE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    FLEETPLANE_CONNECTIVITY_INTERVAL_SECONDS: '0',
    FLEETPLANE_ALLOW_FILE_REPOS: 'true',
    LOG_LEVEL: 'error',
    PORT: '0',
    ...env,
  });
  const app = await createApp(config, databaseUrl);
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${address.port}`,
    databaseUrl,
    async close() {
      await app.close();
      await stopDatabase();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Asks the PostgreSQL server of `dataDir` for a fast shutdown, if one runs (synchronous). */
function signalPostgres(dataDir: string): void {
  try {
    const pid = Number(
      fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGINT');
  } catch {
    // No server, or it is gone already.
  }
}

/** Runs `task` over `items` with at most `concurrency` in flight. */
export async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await task(items[index], index);
      }
    }),
  );
}
