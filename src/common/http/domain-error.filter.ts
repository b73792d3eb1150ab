/**
 * The HTTP edge of error handling: turns DomainError codes (and Nest's own
 * HTTP exceptions, such as a malformed JSON body) into one JSON error shape.
 * Anything else is an internal error: logged with its stack, answered with a
 * generic 500 that leaks nothing.
 */
import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { Response } from 'express';
import { DomainError, DomainErrorCode } from '../domain-error';
import { FieldProblem } from '../field-problem';
import { ErrorResponse } from './error-response.dto';

/** HTTP status of each domain error code (exhaustive: a new code fails to compile until mapped). */
export function httpStatusOf(code: DomainErrorCode): number {
  switch (code) {
    case DomainErrorCode.BadRequest:
      return HttpStatus.BAD_REQUEST;
    case DomainErrorCode.Invalid:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case DomainErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case DomainErrorCode.Unauthorized:
      return HttpStatus.UNAUTHORIZED;
    case DomainErrorCode.Forbidden:
      return HttpStatus.FORBIDDEN;
    case DomainErrorCode.AlreadyExists:
    case DomainErrorCode.Conflict:
      return HttpStatus.CONFLICT;
    case DomainErrorCode.Upstream:
      return HttpStatus.BAD_GATEWAY;
    case DomainErrorCode.Configuration:
      return HttpStatus.INTERNAL_SERVER_ERROR;
  }
}

@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      const error = exception as Error;
      this.logger.error(`${body.code}: ${error?.message ?? String(exception)}`, error?.stack);
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorResponse {
    if (exception instanceof DomainError) {
      const body = errorBody(
        httpStatusOf(exception.code),
        exception.code,
        exception.message,
        exception.details,
      );
      return { ...exception.extra, ...body };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message =
        typeof response === 'object' && response !== null && 'message' in response
          ? [(response as { message: unknown }).message].flat().join('; ')
          : exception.message;
      return errorBody(status, codeOfStatus(status), message, []);
    }
    // The last line of defence of storable-text.ts: text PostgreSQL refused for its characters
    // came from the caller, and is the caller's 400, never a server fault.
    if (isUnstorableTextError(exception)) {
      return errorBody(
        HttpStatus.BAD_REQUEST,
        DomainErrorCode.BadRequest,
        'the request holds text PostgreSQL cannot store (a NUL character, or half of a UTF-16 surrogate pair)',
        [],
      );
    }
    // body-parser failures that escaped Nest's wrapping (they carry a status).
    const status = (exception as { status?: number; statusCode?: number })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return errorBody(status, codeOfStatus(status), (exception as Error).message, []);
    }
    return errorBody(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'Internal',
      'internal error; see the server log',
      [],
    );
  }
}

/**
 * PostgreSQL's refusal of a NUL character in text (22021) or jsonb (22P05),
 * or of a lone surrogate escape in jsonb (22P02, detail naming a surrogate).
 */
function isUnstorableTextError(exception: unknown): boolean {
  const { code, detail } = (exception ?? {}) as { code?: unknown; detail?: unknown };
  if (code === '22021' || code === '22P05') return true;
  return code === '22P02' && typeof detail === 'string' && /surrogate/i.test(detail);
}

function errorBody(
  statusCode: number,
  code: string,
  message: string,
  details: readonly FieldProblem[],
): ErrorResponse {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    code,
    message,
    details: [...details],
  };
}

function codeOfStatus(status: number): string {
  switch (status) {
    case 400:
      return DomainErrorCode.BadRequest;
    case 404:
      return DomainErrorCode.NotFound;
    case 409:
      return DomainErrorCode.Conflict;
    case 413:
      return 'PayloadTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return DomainErrorCode.Invalid;
    default:
      return status >= 500 ? 'Internal' : 'Error';
  }
}
