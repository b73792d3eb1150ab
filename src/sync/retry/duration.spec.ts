import { formatDuration, parseDuration } from './duration';

const FIELD = 'spec.syncPolicy.retry.backoff.duration';

describe('parseDuration', () => {
  it.each<[unknown, number]>([
    ['5s', 5_000],
    ['2m', 120_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['1m30.5s', 90_500],
    ['250us', 0.25],
    ['250µs', 0.25],
    ['100ns', 0.0001],
    ['30', 30_000],
    [' 3m ', 180_000],
    ['0', 0],
    [10, 10_000],
  ])('%j is %d ms', (value, ms) => {
    expect(parseDuration(value, FIELD)).toEqual({ ms });
  });

  it.each<[unknown, string]>([
    [
      '1.5',
      '"1.5" is not a duration; use whole seconds or a duration such as "5s", "2m", "1h30m", "500ms"',
    ],
    [
      '5 s',
      '"5 s" is not a duration; use whole seconds or a duration such as "5s", "2m", "1h30m", "500ms"',
    ],
    [
      '-5s',
      '"-5s" is not a duration; use whole seconds or a duration such as "5s", "2m", "1h30m", "500ms"',
    ],
    [
      '5d',
      '"5d" is not a duration; use whole seconds or a duration such as "5s", "2m", "1h30m", "500ms"',
    ],
    [
      '',
      '"" is not a duration; use whole seconds or a duration such as "5s", "2m", "1h30m", "500ms"',
    ],
    [-1, '-1 is not a duration; use whole seconds or a duration such as "5s", "2m", "1h30m"'],
    [1.5, '1.5 is not a duration; use whole seconds or a duration such as "5s", "2m", "1h30m"'],
    [true, 'must be a duration such as "5s", "2m", "1h30m"'],
  ])('refuses %j, naming the field', (value, message) => {
    expect(parseDuration(value, FIELD)).toEqual({
      problem: { field: FIELD, rule: 'duration', message },
    });
  });
});

describe('formatDuration', () => {
  it.each<[number, string]>([
    [0, '0s'],
    [500, '500ms'],
    [5_000, '5s'],
    [1_500, '1.5s'],
    [180_000, '3m0s'],
    [5_400_000, '1h30m0s'],
    [0.25, '250µs'],
    [0.0001, '100ns'],
    [-2_000, '-2s'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
