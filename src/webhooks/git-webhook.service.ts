/**
 * Git push webhooks: authenticate on the raw bytes, then poll the pushed
 * repository at once instead of waiting for its next poll. The poll queues
 * exactly the Git sources and ApplicationSets whose followed branch moved;
 * a notice to every replica makes the sync workers resolve the revisions
 * their Applications follow in it.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { announcePush } from '../git/git-push-notice';
import { repoKeyOf } from '../git/repo-url';
import { RepoPoller } from '../sources/repo-poller';
import { SourceRepository } from '../sources/source.repository';
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
  /** Repositories polled now (mirror keys); empty when Fleetplane reads none of the pushed ones. */
  readonly repositories: readonly string[];
  /** Git sources following the pushed branch. */
  readonly sources: readonly string[];
  /** ApplicationSets whose Git generators read the repository (only those whose commit moved are reconciled). */
  readonly applicationSets: number;
}

@Injectable()
export class GitWebhookService {
  private readonly logger = new Logger(GitWebhookService.name);

  constructor(
    private readonly sources: SourceRepository,
    private readonly poller: RepoPoller,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(headers: WebhookHeaders, body: Buffer): Promise<WebhookResult> {
    const provider = this.authenticate(headers, body);
    const event = (provider === 'github' ? headers.githubEvent : headers.gitlabEvent) ?? '';
    if (provider === 'github' && event === 'ping')
      return { event, repositories: [], sources: [], applicationSets: 0 };
    if (
      !(provider === 'github' ? event === 'push' : ['Push Hook', 'Tag Push Hook'].includes(event))
    ) {
      return { event, repositories: [], sources: [], applicationSets: 0 };
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
        {
          field: provider === 'github' ? 'repository' : 'project',
          rule: 'required',
          message: 'the push payload names no repository URL',
        },
      ]);

    // The poll fetches once and queues exactly the readers whose branch moved.
    const repos = await this.poller.pollNow(push.repoUrls, `push to ${push.ref ?? 'repository'}`);
    // Applications may follow repositories no source or ApplicationSet reads: every replica's sync
    // workers resolve what they follow in the pushed repositories now.
    const pushedKeys = push.repoUrls.map(repoKeyOf).filter((key): key is string => key !== null);
    await announcePush(this.dataSource, pushedKeys);
    const sourceIds = new Set(
      repos.flatMap((repo) =>
        repo.revisions
          .filter((watched) => refMatches(watched.revision, push.ref, push.defaultBranch))
          .flatMap((watched) => watched.sources.map((s) => s.id)),
      ),
    );
    const sources = (await this.sources.list()).filter((s) => sourceIds.has(s.id));
    const appSets = new Set(
      repos.flatMap((repo) => [
        ...repo.unresolvedAppSets,
        ...repo.revisions.flatMap((watched) => watched.appSets.map((a) => a.id)),
      ]),
    );
    this.logger.log(
      `push to ${push.repoUrls[0]} (${push.ref ?? '?'}): ${repos.length} repositories polled, ${sources.length} sources and ${appSets.size} ApplicationSets read them`,
    );
    return {
      event,
      repositories: repos.map((repo) => repo.key),
      sources: sources.map((s) => s.name),
      applicationSets: appSets.size,
    };
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
