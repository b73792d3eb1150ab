import { DomainError, DomainErrorCode } from '../../../common/domain-error';
import { FailureDescriptor } from '../../retry/failure-classification';
import { classifyError, failureOf, isClusterFailure } from './failure';

describe(failureOf.name, () => {
  const http503: FailureDescriptor = { kind: 'http', statusCode: 503, message: 'down' };
  it.each<[string, unknown, FailureDescriptor]>([
    [
      'an error carrying a descriptor',
      Object.assign(new Error('x'), { failure: http503 }),
      http503,
    ],
    [
      'a manifest problem',
      DomainError.invalid([{ field: 'f', rule: 'r', message: 'bad' }], 'web/a.yaml: bad'),
      { kind: 'manifest', message: 'web/a.yaml: bad' },
    ],
    [
      'an unknown revision',
      DomainError.notFound('revision', 'nope'),
      { kind: 'manifest', message: 'revision "nope" not found' },
    ],
    [
      'a Git fetch failure',
      new DomainError(DomainErrorCode.Upstream, 'fetch failed'),
      { kind: 'unknown', message: 'fetch failed' },
    ],
    [
      'an abort',
      Object.assign(new Error('aborted'), { name: 'AbortError' }),
      { kind: 'timeout', message: 'aborted' },
    ],
    ['anything else', new Error('boom'), { kind: 'unknown', message: 'boom' }],
    ['a thrown string', 'boom', { kind: 'unknown', message: 'boom' }],
  ])('%s', (_name, error, expected) => {
    expect(failureOf(error)).toEqual(expected);
  });

  it('classifies with Retry-After', () => {
    const error = {
      failure: { kind: 'http', statusCode: 429, retryAfter: '7', message: 'slow down' },
    };
    expect(classifyError(error, 0)).toMatchObject({ class: 'transient', retryAfterMs: 7_000 });
    expect(classifyError(DomainError.invalid([]), 0).class).toBe('terminal');
  });
});

describe(isClusterFailure.name, () => {
  it.each<[FailureDescriptor, boolean]>([
    [{ kind: 'network', code: 'ECONNREFUSED', message: '' }, true],
    [{ kind: 'timeout', message: '' }, true],
    [{ kind: 'http', statusCode: 429, message: '' }, true],
    [{ kind: 'http', statusCode: 500, message: '' }, true],
    [{ kind: 'http', statusCode: 422, message: '' }, false],
    [{ kind: 'http', statusCode: 409, message: '' }, false],
    [{ kind: 'manifest', message: '' }, false],
    [{ kind: 'unknown', message: '' }, false],
  ])('%j → %s', (failure, expected) => {
    expect(isClusterFailure(failure)).toBe(expected);
  });
});
