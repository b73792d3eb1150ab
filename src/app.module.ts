import { DynamicModule, Module } from '@nestjs/common';
import { ApplicationsModule } from './applications/applications.module';
import { ApplicationSetsModule } from './applicationsets/applicationsets.module';
import { ClustersModule } from './clusters/clusters.module';
import { GitModule } from './git/git.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ObservabilityModule } from './observability/observability.module';
import { SourcesModule } from './sources/sources.module';
import { SyncModule } from './sync/sync.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The whole control plane, for a validated configuration and a migrated database. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(databaseUrl),
        ObservabilityModule,
        GitModule,
        ClustersModule,
        ApplicationsModule,
        ApplicationSetsModule,
        SourcesModule,
        SyncModule,
        WebhooksModule,
      ],
    };
  }
}
