import { NextCheckInput, nextCheckAtMs } from './next-check';

const base: NextCheckInput = {
  nowMs: 0,
  compareIntervalMs: 180_000,
  random: 0,
  transientFailures: 0,
  progressingChecks: 0,
};

describe(nextCheckAtMs.name, () => {
  it.each<[string, Partial<NextCheckInput>, number]>([
    ['nothing to do: the periodic comparison', {}, 180_000],
    ['the periodic comparison is spread by up to 10 % earlier', { random: 0.5 }, 171_000],
    ['first transient failure: 5 s (±20 %)', { transientFailures: 1, random: 0.5 }, 5_000],
    ['fourth transient failure: 40 s', { transientFailures: 4, random: 0.5 }, 40_000],
    ['many failures are capped at 3 minutes', { transientFailures: 30, random: 0 }, 144_000],
    [
      'Retry-After is honoured when longer',
      { transientFailures: 1, random: 0.5, retryAfterMs: 30_000 },
      30_000,
    ],
    ['Progressing: 1 s first', { health: 'Progressing' }, 1_000],
    ['Progressing: doubling', { health: 'Progressing', progressingChecks: 3 }, 8_000],
    ['Progressing: capped at 30 s', { health: 'Progressing', progressingChecks: 10 }, 30_000],
    ['Missing counts as progressing', { health: 'Missing' }, 1_000],
    ['a guard wait', { waitUntilMs: 17_000 }, 17_000],
    ['a wait in the past means now', { waitUntilMs: -5 }, 0],
    [
      'a short interval wins over a long wait',
      { compareIntervalMs: 10_000, waitUntilMs: 60_000 },
      10_000,
    ],
  ])('%s', (_name, over, expected) => {
    expect(nextCheckAtMs({ ...base, ...over })).toBe(expected);
  });
});
