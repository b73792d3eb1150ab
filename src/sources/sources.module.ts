import { Module } from '@nestjs/common';
import { ApplicationSetsModule } from '../applicationsets/applicationsets.module';
import { WorkQueueModule } from '../work-queue/work-queue.module';
import { SourceController } from './source.controller';
import { SourceRepository } from './source.repository';
import { SourceService } from './source.service';
import { SourceSync } from './source-sync';
import { SourceWorker } from './source-worker';

/** Git sources of ApplicationSets: REST API and the sync that keeps them in force. */
@Module({
  imports: [ApplicationSetsModule, WorkQueueModule],
  controllers: [SourceController],
  providers: [SourceRepository, SourceService, SourceSync, SourceWorker],
  exports: [SourceRepository, SourceService],
})
export class SourcesModule {}
