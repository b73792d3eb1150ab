import { httpFailure, transportFailure, unknownKindFailure } from './kube-failure';

describe(httpFailure.name, () => {
  it('takes reason and message from a Status body and keeps Retry-After', () => {
    const body = JSON.stringify({
      kind: 'Status',
      status: 'Failure',
      reason: 'TooManyRequests',
      message: 'slow down',
      code: 429,
    });
    expect(httpFailure(429, body, '5', 'apply Deployment prod/web')).toEqual({
      kind: 'http',
      statusCode: 429,
      reason: 'TooManyRequests',
      retryAfter: '5',
      message: 'apply Deployment prod/web: HTTP 429 TooManyRequests: slow down',
    });
  });

  it('falls back to the status line for a body that is not a Status', () => {
    expect(httpFailure(502, '<html>bad gateway</html>', undefined, 'list Pod')).toEqual({
      kind: 'http',
      statusCode: 502,
      message: 'list Pod: HTTP 502',
    });
  });

  it('never repeats a bearer token a server echoed back', () => {
    const body = JSON.stringify({ message: 'token Bearer abc.def.ghi is invalid' });
    expect(httpFailure(401, body, undefined, 'get').message).toBe(
      'get: HTTP 401: token Bearer <redacted> is invalid',
    );
  });
});

describe(transportFailure.name, () => {
  it.each([
    [new Error('ignored'), true, { kind: 'timeout', message: 'get: no answer within 500 ms' }],
    [
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      false,
      { kind: 'network', code: 'ECONNREFUSED', message: 'get: connect ECONNREFUSED 127.0.0.1:1' },
    ],
    [
      Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }),
      false,
      {
        kind: 'network',
        code: 'CERT_HAS_EXPIRED',
        message: 'get: CERT_HAS_EXPIRED: certificate has expired',
      },
    ],
    [new Error('odd'), false, { kind: 'unknown', message: 'get: odd' }],
  ])('describes %p (timed out: %p)', (error, timedOut, expected) => {
    expect(transportFailure(error, 'get', timedOut, 500)).toEqual(expected);
  });
});

describe(unknownKindFailure.name, () => {
  it('is a 404 marked as an unknown kind', () => {
    expect(unknownKindFailure('example.com/v1', 'Widget')).toMatchObject({
      kind: 'http',
      statusCode: 404,
      unknownKind: true,
    });
  });
});
