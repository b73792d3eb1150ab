/**
 * Git sources over REST. Registering or changing a source queues a sync and
 * puts its repository on the poll schedule; a refresh polls the repository
 * now. Deleting a source deletes the ApplicationSets it manages (an explicit
 * request, so the deletion budget does not hold it back).
 */
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { DomainError } from '../common/domain-error';
import { ApplicationSetRepository } from '../applicationsets/applicationset.repository';
import { APPLICATIONSET_WORK } from '../applicationsets/applicationset.service';
import { WorkQueue } from '../work-queue/work-queue.service';
import { SOURCE_WORK, Source } from './source.model';
import { SourceRepository } from './source.repository';
import { parseSourceRequest } from './source-input';
import { RepoPoller } from './repo-poller';

export { SOURCE_WORK } from './source.model';

@Injectable()
export class SourceService {
  constructor(
    private readonly sources: SourceRepository,
    private readonly appSets: ApplicationSetRepository,
    private readonly queue: WorkQueue,
    private readonly poller: RepoPoller,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(body: unknown): Promise<Source> {
    const source = await this.sources.insert(parseSourceRequest(body, this.config.allowFileRepos));
    await this.sync(source.id, 'registered');
    await this.poller.scheduleAll();
    return source;
  }

  async replace(name: string, body: unknown): Promise<Source> {
    const write = parseSourceRequest(body, this.config.allowFileRepos);
    if (write.name !== name) {
      throw DomainError.invalid([
        {
          field: 'name',
          rule: 'match-path',
          message: `must equal the name in the path ("${name}")`,
        },
      ]);
    }
    const current = await this.get(name);
    await this.sources.update(current.id, write);
    // Forget the applied revision so the next pass re-reads with the new settings.
    await this.sources.saveStatus(current.id, { ...current.status, revision: undefined });
    await this.sync(current.id, 'changed');
    await this.poller.scheduleAll();
    return (await this.sources.findById(current.id))!;
  }

  async get(name: string): Promise<Source> {
    const source = await this.sources.findByName(name);
    if (!source) throw DomainError.notFound('source', name);
    return source;
  }

  list(): Promise<Source[]> {
    return this.sources.list();
  }

  /**
   * Looks at Git now (`POST /sources/{name}/refresh`): fetches the repository
   * and re-applies the source, and refreshes every other reader of the
   * repository whose commit moved.
   */
  async refresh(name: string): Promise<Source> {
    const source = await this.get(name);
    await this.poller.pollNow([source.repoURL], `refresh of source "${name}"`);
    await this.sync(source.id, 'refresh requested');
    return source;
  }

  async delete(name: string): Promise<void> {
    const source = await this.get(name);
    const appSets = await this.appSets.listBySource(source.id);
    for (const appSet of appSets) {
      await this.appSets.requestDeletion(appSet.id, {
        all: true,
        approvedAt: new Date().toISOString(),
      });
    }
    await this.appSets.detachSource(source.id);
    await this.sources.delete(source.id);
    await this.queue.enqueue(
      appSets.map((a) => ({
        kind: APPLICATIONSET_WORK,
        targetId: a.id,
        reason: `source "${name}" deleted`,
      })),
    );
  }

  private sync(id: string, reason: string): Promise<void> {
    return this.queue.enqueue([{ kind: SOURCE_WORK, targetId: id, reason }]);
  }
}
