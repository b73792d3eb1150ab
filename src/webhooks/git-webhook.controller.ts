import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { ErrorResponse } from '../common/http/error-response.dto';
import { GitWebhookService, WebhookResult } from './git-webhook.service';

@ApiTags('webhooks')
@Controller('api/v1/webhooks')
export class GitWebhookController {
  constructor(private readonly webhooks: GitWebhookService) {}

  @Post('git')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'GitHub or GitLab push: refresh the sources and ApplicationSets reading that repository now',
  })
  @ApiResponse({ status: 202, description: 'Accepted: what was refreshed' })
  @ApiResponse({ status: 401, type: ErrorResponse, description: 'Bad signature or token' })
  @ApiResponse({ status: 403, type: ErrorResponse, description: 'That provider is not enabled' })
  git(
    @Req() request: Request,
    @Headers() headers: Record<string, string | undefined>,
  ): Promise<WebhookResult> {
    return this.webhooks.handle(
      {
        githubEvent: headers['x-github-event'],
        githubSignature: headers['x-hub-signature-256'],
        gitlabEvent: headers['x-gitlab-event'],
        gitlabToken: headers['x-gitlab-token'],
      },
      rawBody(request),
    );
  }
}

/** The body exactly as received (the route is mounted behind a raw parser). */
function rawBody(request: Request): Buffer {
  if (Buffer.isBuffer(request.body)) return request.body;
  throw new DomainError(DomainErrorCode.BadRequest, 'the webhook body is missing');
}
