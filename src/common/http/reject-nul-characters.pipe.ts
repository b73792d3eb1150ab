/**
 * Refuses a NUL character (U+0000) in any path parameter, query parameter or
 * parsed body before a controller sees it (see nul-characters.ts): 400 for
 * the request line (`/applications/a%00b`), 422 naming the field for a body.
 * Raw bodies (webhook bytes, ApplicationSet text) pass through: their readers
 * check what they parse, where they can name lines.
 */
import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '../domain-error';
import { nulCharacterProblems } from '../nul-characters';

@Injectable()
export class RejectNulCharactersPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom' || (typeof value === 'string' && metadata.type === 'body')) {
      return value;
    }
    if (Buffer.isBuffer(value)) return value;
    const problems = nulCharacterProblems(value, metadata.data ?? '');
    if (problems.length === 0) return value;
    if (metadata.type === 'body') throw DomainError.invalid(problems);
    throw new DomainError(
      DomainErrorCode.BadRequest,
      problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems,
    );
  }
}
