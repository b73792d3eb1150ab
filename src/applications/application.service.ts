import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { encodeContinue, parsePage } from '../common/http/pagination';
import { parseSelectorQuery } from '../common/http/selector-query';
import { matches } from '../labels/label-selector';
import { StoredApplication } from './application.model';
import { ApplicationRepository } from './application.repository';

export interface ApplicationQuery {
  readonly applicationset?: unknown;
  readonly cluster?: unknown;
  readonly project?: unknown;
  readonly selector?: unknown;
  readonly limit?: unknown;
  readonly continue?: unknown;
}

/** Reading Applications: filtered, paginated lists and single Applications. */
@Injectable()
export class ApplicationService {
  constructor(private readonly applications: ApplicationRepository) {}

  async list(
    query: ApplicationQuery,
  ): Promise<{ items: StoredApplication[]; continue: string | null }> {
    const selector = parseSelectorQuery(query.selector);
    const { limit, afterName } = parsePage(query);
    const text = (value: unknown) =>
      typeof value === 'string' && value !== '' ? value : undefined;
    const filter = {
      applicationSet: text(query.applicationset),
      cluster: text(query.cluster),
      project: text(query.project),
      selector,
    };
    const rows = await this.applications.list(filter, limit + 1, afterName);
    const page = rows
      .slice(0, limit)
      .filter((app) => matches(selector, app.manifest.metadata.labels ?? {}));
    return {
      items: page,
      continue: rows.length > limit ? encodeContinue(rows[limit - 1].name) : null,
    };
  }

  async get(name: string): Promise<StoredApplication> {
    const app = await this.applications.findByName(name);
    if (!app) throw DomainError.notFound('Application', name);
    return app;
  }
}
