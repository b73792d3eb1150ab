import { Module } from '@nestjs/common';
import { SourcesModule } from '../sources/sources.module';
import { GitWebhookController } from './git-webhook.controller';
import { GitWebhookService } from './git-webhook.service';

/** `POST /api/v1/webhooks/git`: GitHub and GitLab pushes. */
@Module({
  imports: [SourcesModule],
  controllers: [GitWebhookController],
  providers: [GitWebhookService],
})
export class WebhooksModule {}
