import {
  FailureClassification,
  FailureDescriptor,
  classifyFailure,
  parseRetryAfter,
} from './failure-classification';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const http = (statusCode: number, extra: Partial<FailureDescriptor> = {}): FailureDescriptor => ({
  kind: 'http',
  statusCode,
  message: 'x',
  ...extra,
});

describe('classifyFailure', () => {
  it.each<[string, FailureDescriptor, FailureClassification]>([
    [
      'connection refused',
      { kind: 'network', code: 'ECONNREFUSED', message: 'x' },
      { class: 'transient', reason: 'the cluster could not be reached (ECONNREFUSED)' },
    ],
    [
      'DNS hiccup',
      { kind: 'network', code: 'EAI_AGAIN', message: 'x' },
      { class: 'transient', reason: 'the cluster could not be reached (EAI_AGAIN)' },
    ],
    [
      'network error without code',
      { kind: 'network', message: 'socket hang up' },
      { class: 'transient', reason: 'the cluster could not be reached' },
    ],
    [
      'expired certificate',
      { kind: 'network', code: 'CERT_HAS_EXPIRED', message: 'x' },
      {
        class: 'terminal',
        reason: "the cluster's TLS certificate was not accepted (CERT_HAS_EXPIRED)",
      },
    ],
    [
      'timeout',
      { kind: 'timeout', message: 'x' },
      { class: 'transient', reason: 'the request timed out' },
    ],
    [
      '429 with Retry-After seconds',
      http(429, { retryAfter: '7' }),
      { class: 'transient', reason: 'the API server is throttling requests', retryAfterMs: 7_000 },
    ],
    [
      '429 with a Retry-After date',
      http(429, { retryAfter: 'Thu, 01 Jan 2026 00:00:30 GMT' }),
      { class: 'transient', reason: 'the API server is throttling requests', retryAfterMs: 30_000 },
    ],
    [
      '429 without Retry-After',
      http(429),
      { class: 'transient', reason: 'the API server is throttling requests' },
    ],
    ['500', http(500), { class: 'transient', reason: 'the API server failed' }],
    ['502', http(502), { class: 'transient', reason: 'a proxy in front of the API server failed' }],
    [
      '503 with Retry-After',
      http(503, { retryAfter: '1' }),
      { class: 'transient', reason: 'the API server is unavailable', retryAfterMs: 1_000 },
    ],
    [
      '504',
      http(504),
      { class: 'transient', reason: 'a proxy in front of the API server timed out' },
    ],
    ['507', http(507), { class: 'transient', reason: 'the API server failed' }],
    [
      '409 conflict',
      http(409, { reason: 'Conflict' }),
      { class: 'transient', reason: 'the object changed concurrently; re-read and retry' },
    ],
    [
      '400',
      http(400),
      { class: 'terminal', reason: 'the API server rejected the request as malformed' },
    ],
    ['401', http(401), { class: 'terminal', reason: 'the cluster credentials were rejected' }],
    [
      '403',
      http(403, { reason: 'Forbidden' }),
      { class: 'terminal', reason: 'the cluster credentials are not allowed to do this' },
    ],
    [
      '404 of an unknown kind',
      http(404, { unknownKind: true }),
      {
        class: 'terminal',
        reason: 'the cluster does not serve this kind; install its CustomResourceDefinition first',
      },
    ],
    [
      '404 of a namespace not created yet',
      http(404, { reason: 'NotFound' }),
      { class: 'transient', reason: 'a referenced object does not exist yet' },
    ],
    [
      '422 Invalid',
      http(422, { reason: 'Invalid' }),
      { class: 'terminal', reason: 'the API server rejected the object as invalid' },
    ],
    [
      '418',
      http(418),
      { class: 'terminal', reason: 'the API server refused the request (HTTP 418)' },
    ],
    [
      'manifest error',
      { kind: 'manifest', message: 'x' },
      { class: 'terminal', reason: 'the manifests are invalid' },
    ],
    [
      'unknown',
      { kind: 'unknown', message: 'x' },
      { class: 'transient', reason: 'unrecognised failure' },
    ],
  ])('%s', (_name, failure, expected) => {
    expect(classifyFailure(failure, NOW)).toEqual(expected);
  });
});

describe('parseRetryAfter', () => {
  it.each<[string, number | undefined]>([
    ['0', 0],
    [' 120 ', 120_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
  ])('%j → %s', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });
});
