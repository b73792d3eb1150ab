/**
 * Fleetplane control plane entry point: validate configuration, open the
 * database (embedded by default), migrate, serve; stop cleanly on SIGTERM.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp, createLogger } from './app.factory';
import { DomainError, DomainErrorCode } from './common/domain-error';
import { loadConfig } from './config/app-config';
import { openDatabase } from './database/database-bootstrap';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  Logger.overrideLogger(createLogger(config));
  const logger = new Logger('Fleetplane');
  const database = await openDatabase(config);
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`);
    try {
      await app?.close();
    } finally {
      await database.stop();
      logger.log('stopped');
      process.exit(0);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  try {
    app = await createApp(config, database.url);
    await app.listen(config.port, config.host);
  } catch (error) {
    await app?.close().catch(() => undefined);
    await database.stop();
    throw error;
  }
  logger.log(`listening on http://${config.host}:${config.port} (API docs at /api/docs)`);
}

main().catch((error: unknown) => {
  if (error instanceof DomainError && error.code === DomainErrorCode.Configuration) {
    console.error(`fleetplane: ${error.message}`);
    process.exit(2);
  }
  console.error('fleetplane: failed to start:', error);
  process.exit(1);
});
