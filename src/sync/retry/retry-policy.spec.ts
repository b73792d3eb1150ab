import { RetryStrategy } from '../../argo/application.types';
import {
  RetryPolicy,
  mayRetry,
  nextRetryAtMs,
  resolveRetryPolicy,
  retryDelayMs,
} from './retry-policy';
import {
  DEFAULT_SELF_HEAL_BACKOFF,
  selfHealDelayMs,
  selfHealRemainingMs,
} from './self-heal-backoff';
import { withJitter } from './jitter';

const defaults = { durationMs: 5_000, factor: 2, maxDurationMs: 180_000, refresh: false };

describe('resolveRetryPolicy (B1)', () => {
  it.each<[string, RetryStrategy | undefined, boolean, RetryPolicy]>([
    ['automated sync without a retry block: limit 5', undefined, true, { ...defaults, limit: 5 }],
    ['manual sync without a retry block: no retry', undefined, false, { ...defaults, limit: 0 }],
    ['an empty retry block: limit 0 (Go zero value)', {}, true, { ...defaults, limit: 0 }],
    ['a negative limit: unlimited', { limit: -1 }, true, { ...defaults, limit: Infinity }],
    [
      'everything set',
      { limit: 3, refresh: true, backoff: { duration: '10s', factor: 3, maxDuration: '1h' } },
      false,
      { limit: 3, durationMs: 10_000, factor: 3, maxDurationMs: 3_600_000, refresh: true },
    ],
    [
      'bare seconds',
      { limit: 1, backoff: { duration: '30', maxDuration: '0' } },
      false,
      { ...defaults, limit: 1, durationMs: 30_000, maxDurationMs: 0 },
    ],
  ])('%s', (_name, strategy, automated, policy) => {
    expect(resolveRetryPolicy(strategy, { automated })).toEqual({ policy });
  });

  it('names every bad field', () => {
    expect(
      resolveRetryPolicy(
        { limit: 1.5, backoff: { duration: 'soon', factor: 0, maxDuration: '3x' } },
        { automated: true },
      ),
    ).toEqual({
      problems: [
        {
          field: 'spec.syncPolicy.retry.limit',
          rule: 'integer',
          message: 'must be a whole number (0: no retry, negative: unlimited)',
        },
        {
          field: 'spec.syncPolicy.retry.backoff.duration',
          rule: 'duration',
          message:
            '"soon" is not a duration; use whole seconds or a duration such as "5s", "2m", "1h30m", "500ms"',
        },
        {
          field: 'spec.syncPolicy.retry.backoff.maxDuration',
          rule: 'duration',
          message:
            '"3x" is not a duration; use whole seconds or a duration such as "5s", "2m", "1h30m", "500ms"',
        },
        {
          field: 'spec.syncPolicy.retry.backoff.factor',
          rule: 'integer',
          message: 'must be a whole number of at least 1',
        },
      ],
    });
  });
});

describe('retry schedule', () => {
  const policy: RetryPolicy = { ...defaults, limit: 10 };
  it('waits duration × factor^n, capped at maxDuration: 5 s, 10 s, 20 s, ... 180 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(policy, n))).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 180_000, 180_000,
    ]);
  });

  it('does not cap when maxDuration is 0', () => {
    expect(retryDelayMs({ ...policy, maxDurationMs: 0 }, 7)).toBe(640_000);
  });

  it.each<[number, number, boolean]>([
    [0, 0, false],
    [5, 4, true],
    [5, 5, false],
    [Infinity, 1_000, true],
  ])('limit %d after %d retries: may retry %s', (limit, done, expected) => {
    expect(mayRetry({ ...policy, limit }, done)).toBe(expected);
  });

  it('schedules the next retry from the last attempt, or not at all', () => {
    expect(nextRetryAtMs({ ...policy, limit: 2 }, 1_000, 1)).toBe(11_000);
    expect(nextRetryAtMs({ ...policy, limit: 2 }, 1_000, 2)).toBeUndefined();
  });
});

describe('self-heal backoff (B1: 2 s, ×3, cap 300 s)', () => {
  it('waits 0, 2, 6, 18, 54, 162, 300, 300 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => selfHealDelayMs(n))).toEqual([
      0, 2_000, 6_000, 18_000, 54_000, 162_000, 300_000, 300_000,
    ]);
  });

  it.each<[number, number | undefined, number]>([
    [3, undefined, 18_000],
    [3, 5_000, 13_000],
    [3, 60_000, 0],
  ])(
    'after %d attempts and %s ms since the last operation, %d ms remain',
    (attempts, since, remaining) => {
      expect(selfHealRemainingMs(attempts, since)).toBe(remaining);
    },
  );

  it('takes other settings', () => {
    expect(selfHealDelayMs(3, { ...DEFAULT_SELF_HEAL_BACKOFF, initialMs: 1_000, factor: 2 })).toBe(
      4_000,
    );
  });
});

describe('withJitter', () => {
  it.each<[number, number, number, number]>([
    [1_000, 0.5, 0, 1_000],
    [1_000, 0.5, 0.5, 1_250],
    [1_000, 0.1, 0.999, 1_099.9],
    [1_000, 0, 0.5, 1_500],
  ])('%d ms with factor %d and draw %d → %d ms', (ms, factor, draw, expected) => {
    expect(withJitter(ms, factor, () => draw)).toBeCloseTo(expected, 6);
  });
});
