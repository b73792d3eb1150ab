import { Module } from '@nestjs/common';
import { ApplicationSetsModule } from '../applicationsets/applicationsets.module';
import { SourcesModule } from '../sources/sources.module';
import { WorkQueueModule } from '../work-queue/work-queue.module';
import { GitWebhookController } from './git-webhook.controller';
import { GitWebhookService } from './git-webhook.service';

@Module({
  imports: [SourcesModule, ApplicationSetsModule, WorkQueueModule],
  controllers: [GitWebhookController],
  providers: [GitWebhookService],
})
export class WebhooksModule {}
