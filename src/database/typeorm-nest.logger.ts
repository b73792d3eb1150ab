import { Logger as NestLogger } from '@nestjs/common';
import { Logger } from 'typeorm';

/** Routes TypeORM's own messages into the application log (so they are JSON too). */
export class TypeOrmNestLogger implements Logger {
  private readonly logger = new NestLogger('TypeORM');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    // Parameters are left out: they may hold credential ciphertext or user data.
    this.logger.error(
      `query failed: ${error instanceof Error ? error.message : error} -- ${query.slice(0, 500)}`,
    );
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${query.slice(0, 500)}`);
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
    else this.logger.debug(String(message));
  }
}
