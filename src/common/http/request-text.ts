/**
 * The request body as text, for endpoints that accept YAML or JSON and report
 * problems by line: the raw bytes when Nest kept them, the text body of a
 * YAML request, or (as a fallback) the parsed JSON re-serialised.
 */
import type { Request } from 'express';
import { DomainError, DomainErrorCode } from '../domain-error';

export function requestText(request: Request & { rawBody?: Buffer }): string {
  if (request.rawBody && request.rawBody.length > 0) return request.rawBody.toString('utf8');
  if (typeof request.body === 'string' && request.body.trim() !== '') return request.body;
  if (request.body && typeof request.body === 'object' && Object.keys(request.body).length > 0) {
    return JSON.stringify(request.body, null, 2);
  }
  throw new DomainError(
    DomainErrorCode.BadRequest,
    'send the ApplicationSet as the request body, with Content-Type application/json or application/yaml',
    [
      {
        field: 'body',
        rule: 'required',
        message: 'an ApplicationSet document (YAML or JSON) is required',
      },
    ],
  );
}
