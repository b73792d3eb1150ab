/**
 * Chooses the database before the application starts: the server in
 * DATABASE_URL, or an embedded PostgreSQL under the data directory. Then
 * applies pending migrations.
 */
import { Logger } from '@nestjs/common';
import * as path from 'node:path';
import { AppConfig } from '../config/app-config';
import { runMigrations } from './data-source';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface OpenDatabase {
  readonly url: string;
  readonly embedded: boolean;
  /** Stops the embedded server (no-op for an external one). */
  stop(): Promise<void>;
}

export async function openDatabase(config: AppConfig): Promise<OpenDatabase> {
  const logger = new Logger('Database');
  let database: OpenDatabase;
  if (config.databaseUrl) {
    database = { url: config.databaseUrl, embedded: false, stop: async () => undefined };
    logger.log('using the PostgreSQL server in DATABASE_URL');
  } else {
    const dataDir = path.join(config.dataDir, 'postgres');
    const server = await startEmbeddedPostgres({
      dataDir,
      database: 'fleetplane',
      port: config.embeddedPostgresPort,
      onLog: (line) => logger.debug(line),
    });
    database = { url: server.url, embedded: true, stop: () => server.stop() };
    logger.log(`embedded PostgreSQL running on 127.0.0.1:${server.port} (data in ${dataDir})`);
  }
  try {
    const applied = await runMigrations(database.url);
    if (applied.length) logger.log(`applied migrations: ${applied.join(', ')}`);
  } catch (error) {
    await database.stop();
    throw error;
  }
  return database;
}
