/**
 * Name-ordered pagination shared by the list endpoints (pure functions):
 * `limit` (1–1000, default 500) and an opaque `continue` token holding the
 * last name of the previous page.
 */
import { DomainError, DomainErrorCode } from '../domain-error';

export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 1000;

export interface Page {
  readonly limit: number;
  /** List items whose names sort after this one. */
  readonly afterName: string | null;
}

export function parsePage(raw: { limit?: unknown; continue?: unknown }): Page {
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
  return { limit, afterName };
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

export function badRequest(field: string, rule: string, message: string): DomainError {
  return new DomainError(DomainErrorCode.BadRequest, `${field}: ${message}`, [
    { field, rule, message },
  ]);
}
