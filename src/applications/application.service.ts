import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import { encodeContinue, parsePage } from '../common/http/pagination';
import { matches } from '../labels/label-selector';
import { StoredApplication } from './application.model';
import { ApplicationRepository } from './application.repository';
import { parseApplicationFilter } from './application-filter';

/** Reading Applications: filtered, paginated lists and single Applications. */
@Injectable()
export class ApplicationService {
  constructor(private readonly applications: ApplicationRepository) {}

  /** A page of Applications in name order; `continue` is null on the last page. */
  async list(
    query: Record<string, unknown>,
  ): Promise<{ items: StoredApplication[]; continue: string | null }> {
    const filter = parseApplicationFilter(query);
    const { limit, afterName } = parsePage(query);
    const rows = await this.applications.list(filter, limit + 1, afterName);
    const page = rows.slice(0, limit);
    return {
      // SQL pre-filters exactly; the pure matcher has the last word (conventions §5).
      items: page.filter((app) => matches(filter.selector, app.manifest.metadata.labels ?? {})),
      continue: rows.length > limit ? encodeContinue(page[page.length - 1].name) : null,
    };
  }

  async get(name: string): Promise<StoredApplication> {
    const app = await this.applications.findByName(name);
    if (!app) throw DomainError.notFound('Application', name);
    return app;
  }
}
