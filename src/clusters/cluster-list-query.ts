/**
 * Parsing of `GET /clusters` query parameters (pure functions): the label
 * selector, page size and the opaque continue token.
 */
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { Selector, SelectorSyntaxError, parseSelector } from '../labels/label-selector';

export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 1000;

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
  let selector: Selector = [];
  if (raw.selector !== undefined) {
    if (typeof raw.selector !== 'string')
      throw badRequest('selector', 'type', 'must be given once, as a string');
    try {
      selector = parseSelector(raw.selector);
    } catch (error) {
      if (error instanceof SelectorSyntaxError)
        throw badRequest('selector', 'label-selector', error.message);
      throw error;
    }
  }
  let limit = DEFAULT_PAGE_SIZE;
  if (raw.limit !== undefined) {
    limit = Number(raw.limit);
    if (
      typeof raw.limit !== 'string' ||
      !/^\d+$/.test(raw.limit) ||
      limit < 1 ||
      limit > MAX_PAGE_SIZE
    ) {
      throw badRequest('limit', 'integer-range', `must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
  }
  const afterName =
    raw.continue === undefined || raw.continue === '' ? null : decodeContinue(raw.continue);
  return { selector, limit, afterName };
}

/** The opaque token a client passes back to get the next page. */
export function encodeContinue(lastName: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: lastName }), 'utf8').toString('base64url');
}

function decodeContinue(token: unknown): string {
  if (typeof token === 'string') {
    try {
      const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      if (decoded?.v === 1 && typeof decoded.after === 'string') return decoded.after;
    } catch {
      // fall through to the error below
    }
  }
  throw badRequest('continue', 'continue-token', 'is not a token returned by a previous list call');
}

function badRequest(field: string, rule: string, message: string): DomainError {
  return new DomainError(DomainErrorCode.BadRequest, `${field}: ${message}`, [
    { field, rule, message },
  ]);
}
