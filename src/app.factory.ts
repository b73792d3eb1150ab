/**
 * Builds the Nest application (not yet listening), as `main.ts` and the
 * end-to-end tests both use it: body parsers, error mapping, OpenAPI, logging.
 */
import { ConsoleLogger, LogLevel as NestLogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { raw, text } from 'express';
import { AppModule } from './app.module';
import { DomainErrorFilter } from './common/http/domain-error.filter';
import { RejectUnstorableTextPipe } from './common/http/reject-unstorable-text.pipe';
import { AppConfig, LogLevel } from './config/app-config';

/** Request bodies are capped; annotations alone may be 256 KiB. */
export const MAX_BODY = '4mb';
/** GitHub sends push payloads of up to 25 MB. */
export const MAX_WEBHOOK_BODY = '25mb';
export const JSON_MEDIA_TYPES = ['application/json', 'application/*+json'];
export const YAML_MEDIA_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'text/plain',
];

export async function createApp(
  config: AppConfig,
  databaseUrl: string,
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, databaseUrl),
    {
      logger: createLogger(config),
      bodyParser: false,
    },
  );
  // Webhooks get their body as raw bytes: the signature is checked before anything parses it.
  app.use('/api/v1/webhooks', raw({ type: () => true, limit: MAX_WEBHOOK_BODY }));
  // ApplicationSets in JSON are read as text too, so that problems name lines of the body as
  // sent and a syntax error or a duplicate key is reported like YAML's (not JSON.parse's).
  app.use('/api/v1/applicationsets', text({ type: JSON_MEDIA_TYPES, limit: MAX_BODY }));
  app.useBodyParser('json', { limit: MAX_BODY });
  app.useBodyParser('text', { type: YAML_MEDIA_TYPES, limit: MAX_BODY });
  app.useGlobalFilters(new DomainErrorFilter());
  app.useGlobalPipes(new RejectUnstorableTextPipe());
  app.disable('x-powered-by');
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Fleetplane')
      .setDescription(
        'Multi-cluster GitOps control plane: clusters, ApplicationSets, Applications and their sync.',
      )
      .setVersion('v1')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}

const LEVELS: NestLogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export function createLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>): ConsoleLogger {
  const upTo = LEVELS.indexOf(config.logLevel as LogLevel);
  return new ConsoleLogger({
    json: config.logFormat === 'json',
    colors: config.logFormat !== 'json',
    logLevels: LEVELS.slice(0, upTo + 1),
  });
}
