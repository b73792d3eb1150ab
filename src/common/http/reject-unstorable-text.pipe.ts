/**
 * Refuses text PostgreSQL cannot store (a NUL, an unpaired surrogate) in any
 * path parameter, query parameter or parsed body before a controller sees it
 * (see storable-text.ts): 400 for the request line (`/applications/a%00b`),
 * 422 naming the field for a body. Raw bodies (webhook bytes, ApplicationSet
 * text) pass through: their readers check what they parse, naming lines.
 */
import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, DomainErrorCode } from '../domain-error';
import { unstorableTextProblems } from '../storable-text';

@Injectable()
export class RejectUnstorableTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const raw = metadata.type === 'body' && (typeof value === 'string' || Buffer.isBuffer(value));
    if (metadata.type === 'custom' || raw) return value;
    const problems = unstorableTextProblems(value, metadata.data ?? '');
    if (problems.length === 0) return value;
    const invalid = DomainError.invalid(problems);
    if (metadata.type === 'body') throw invalid;
    throw new DomainError(DomainErrorCode.BadRequest, invalid.message, problems);
  }
}
