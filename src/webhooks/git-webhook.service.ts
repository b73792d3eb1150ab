/**
 * Git push webhooks: authenticate, then refresh at once what reads the pushed
 * repository (its Git sources and the ApplicationSets whose Git generators
 * read it), instead of waiting for the next poll.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { GitMirrorCache } from '../git/git-mirror-cache';
import { ApplicationSetRepository } from '../applicationsets/applicationset.repository';
import { APPLICATIONSET_WORK } from '../applicationsets/applicationset.service';
import { repoKey } from '../applicationsets/applicationset-write';
import { SourceRepository } from '../sources/source.repository';
import { SOURCE_WORK } from '../sources/source.service';
import { WorkQueue } from '../work-queue/work-queue.service';
import { Provider, parsePushEvent } from './push-event';
import { validGithubSignature, validGitlabToken } from './webhook-signature';

export interface WebhookHeaders {
  readonly githubEvent?: string;
  readonly githubSignature?: string;
  readonly gitlabEvent?: string;
  readonly gitlabToken?: string;
}

export interface WebhookResult {
  readonly event: string;
  readonly sources: readonly string[];
  readonly applicationSets: number;
}

@Injectable()
export class GitWebhookService {
  private readonly logger = new Logger(GitWebhookService.name);

  constructor(
    private readonly sources: SourceRepository,
    private readonly appSets: ApplicationSetRepository,
    private readonly git: GitMirrorCache,
    private readonly queue: WorkQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(headers: WebhookHeaders, body: Buffer): Promise<WebhookResult> {
    const provider = this.authenticate(headers, body);
    const event = (provider === 'github' ? headers.githubEvent : headers.gitlabEvent) ?? '';
    if (provider === 'github' && event === 'ping')
      return { event, sources: [], applicationSets: 0 };
    if (
      !(provider === 'github' ? event === 'push' : ['Push Hook', 'Tag Push Hook'].includes(event))
    ) {
      return { event, sources: [], applicationSets: 0 };
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      throw new DomainError(DomainErrorCode.BadRequest, 'the webhook body is not JSON');
    }
    const push = parsePushEvent(provider, payload);
    if (!push)
      throw DomainError.invalid([
        { field: 'repository', rule: 'required', message: 'the push payload names no repository' },
      ]);

    const keys = new Set(push.repoUrls.map(repoKey));
    const sources = (await this.sources.list()).filter(
      (s) => keys.has(repoKey(s.repoURL)) && refMatches(s.revision, push.ref, push.defaultBranch),
    );
    const appSetIds = new Set<string>();
    for (const key of keys)
      for (const id of await this.appSets.idsReadingRepo(key)) appSetIds.add(id);
    for (const url of [...sources.map((s) => s.repoURL), ...push.repoUrls]) {
      try {
        this.git.invalidate(url);
      } catch {
        // A web URL the mirror would refuse (e.g. http to a remote host): nothing cached under it.
      }
    }
    await this.queue.enqueue([
      ...sources.map((s) => ({
        kind: SOURCE_WORK,
        targetId: s.id,
        reason: `push to ${push.ref ?? 'repository'}`,
      })),
      ...[...appSetIds].map((id) => ({
        kind: APPLICATIONSET_WORK,
        targetId: id,
        reason: `push to ${push.ref ?? 'repository'}`,
      })),
    ]);
    this.logger.log(
      `push to ${push.repoUrls[0]} (${push.ref ?? '?'}): ${sources.length} sources, ${appSetIds.size} ApplicationSets refreshed`,
    );
    return { event, sources: sources.map((s) => s.name), applicationSets: appSetIds.size };
  }

  private authenticate(headers: WebhookHeaders, body: Buffer): Provider {
    const { githubWebhookSecret, gitlabWebhookToken } = this.config.git;
    if (headers.githubEvent !== undefined) {
      if (!githubWebhookSecret)
        throw forbidden('GitHub webhooks are not enabled (set FLEETPLANE_WEBHOOK_GITHUB_SECRET)');
      if (!validGithubSignature(githubWebhookSecret, body, headers.githubSignature))
        throw unauthorized('X-Hub-Signature-256 does not match the body');
      return 'github';
    }
    if (headers.gitlabEvent !== undefined) {
      if (!gitlabWebhookToken)
        throw forbidden('GitLab webhooks are not enabled (set FLEETPLANE_WEBHOOK_GITLAB_TOKEN)');
      if (!validGitlabToken(gitlabWebhookToken, headers.gitlabToken))
        throw unauthorized('X-Gitlab-Token is missing or wrong');
      return 'gitlab';
    }
    throw new DomainError(
      DomainErrorCode.BadRequest,
      'not a GitHub or GitLab webhook (no X-GitHub-Event or X-Gitlab-Event header)',
    );
  }
}

/** Whether a push of `ref` can move a source pinned to `revision`. */
function refMatches(revision: string, ref: string | null, defaultBranch: string | null): boolean {
  if (ref === null) return true;
  if (revision === ref) return true;
  if (revision === '' || revision === 'HEAD')
    return defaultBranch === null || defaultBranch === ref;
  return false;
}

function unauthorized(message: string): DomainError {
  return new DomainError(DomainErrorCode.Unauthorized, message);
}

function forbidden(message: string): DomainError {
  return new DomainError(DomainErrorCode.Forbidden, message);
}
