/** Parsing of `GET /clusters` query parameters: label selector, page size, continue token. */
import { Selector } from '../labels/label-selector';
import { parsePage } from '../common/http/pagination';
import { parseSelectorQuery } from '../common/http/selector-query';

export { encodeContinue } from '../common/http/pagination';

export interface ClusterListQuery {
  readonly selector: Selector;
  readonly limit: number;
  /** List clusters whose names sort after this one. */
  readonly afterName: string | null;
}

export function parseListQuery(raw: {
  selector?: unknown;
  limit?: unknown;
  continue?: unknown;
}): ClusterListQuery {
  return { selector: parseSelectorQuery(raw.selector), ...parsePage(raw) };
}
