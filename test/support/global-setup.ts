/**
 * Jest global setup: one PostgreSQL per test run (embedded, or the server in
 * DATABASE_URL), migrations applied once to a template database. Each suite
 * then clones the template (`createTestDatabase`), so suites cannot see each
 * other's rows and never pay for migrations again.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../../src/database/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

interface TestDatabaseServer {
  stop(): Promise<void>;
}

declare global {
  var __FLEETPLANE_TEST_SERVER__: TestDatabaseServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  const template = `fp_template_${randomBytes(4).toString('hex')}`;
  let adminUrl: string;
  let stopServer: () => Promise<void>;

  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
    stopServer = async () => undefined;
  } else {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetplane-test-'));
    fs.chmodSync(root, 0o755); // the postgres user must be able to enter it when we run as root
    const server = await startEmbeddedPostgres({
      dataDir: path.join(root, 'pg'),
      database: 'postgres',
      ephemeral: true,
    });
    adminUrl = server.adminUrl;
    stopServer = async () => {
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    };
  }

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(template)}`);
  await admin.end();
  await runMigrations(withDatabase(adminUrl, template));

  process.env.FLEETPLANE_TEST_ADMIN_URL = adminUrl;
  process.env.FLEETPLANE_TEST_TEMPLATE = template;
  globalThis.__FLEETPLANE_TEST_SERVER__ = {
    async stop() {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      const { rows } = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
        [template, `${template}_%`],
      );
      for (const { datname } of rows) {
        await client.query(
          `DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`,
        );
      }
      await client.end();
      await stopServer();
    },
  };
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}
