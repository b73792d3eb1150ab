import { reconcileBackoffMs, withJitter } from './work-queue.backoff';

describe(reconcileBackoffMs.name, () => {
  it.each([
    [1, 5_000],
    [2, 10_000],
    [3, 20_000],
    [6, 160_000],
    [7, 180_000],
    [50, 180_000],
  ])('after %d failures waits %d ms (no jitter)', (attempts, expected) => {
    expect(reconcileBackoffMs(attempts, () => 0.5)).toBe(expected);
  });

  it('jitters by at most 20 %', () => {
    expect(reconcileBackoffMs(1, () => 0)).toBe(4_000);
    expect(reconcileBackoffMs(1, () => 1)).toBe(6_000);
  });
});

describe(withJitter.name, () => {
  it('spreads by at most 10 %', () => {
    expect(withJitter(180_000, () => 0)).toBe(162_000);
    expect(withJitter(180_000, () => 1)).toBe(198_000);
  });
});
