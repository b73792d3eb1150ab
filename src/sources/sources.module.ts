import { Module } from '@nestjs/common';
import { ApplicationSetsModule } from '../applicationsets/applicationsets.module';
import { WorkQueueModule } from '../work-queue/work-queue.module';
import { SourceController } from './source.controller';
import { SourceRepository } from './source.repository';
import { SourceService } from './source.service';
import { SourceSync } from './source-sync';
import { SourceWorker } from './source-worker';
import { RepoPoller } from './repo-poller';

/** Git sources of ApplicationSets (REST API, the sync that keeps them in force) and Git polling. */
@Module({
  imports: [ApplicationSetsModule, WorkQueueModule],
  controllers: [SourceController],
  providers: [SourceRepository, SourceService, SourceSync, SourceWorker, RepoPoller],
  exports: [SourceRepository, SourceService, RepoPoller],
})
export class SourcesModule {}
