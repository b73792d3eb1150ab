/**
 * Boots the real Nest application on a private test database, exactly as
 * `main.ts` does apart from listening: requests go through supertest.
 */
import { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createTestDatabase, TestDatabase } from './database';

export interface TestApp {
  readonly app: NestExpressApplication;
  readonly config: AppConfig;
  readonly db: TestDatabase;
  /** A supertest client bound to the app. */
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Reuse a database (e.g. to start a second replica); a fresh one otherwise. */
  readonly db?: TestDatabase;
  /** Extra environment, as the operator would set it. */
  readonly env?: Record<string, string>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-app-'));
  const config = loadConfig({
    FLEETPLANE_DATA_DIR: dataDir,
    FLEETPLANE_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    FLEETPLANE_CONNECTIVITY_INTERVAL_SECONDS: '0',
    FLEETPLANE_ALLOW_FILE_REPOS: 'true',
    // Sync workers write status, leases and heartbeats in the background; specs of the sync
    // engine turn them on (FLEETPLANE_SYNC_WORKERS=true), the others keep a quiet database.
    FLEETPLANE_SYNC_WORKERS: 'false',
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const app = await createApp(config, db.url);
  await app.init();
  return {
    app,
    config,
    db,
    http: () => request(app.getHttpServer()),
    async close() {
      await app.close();
      if (!options.db) await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
