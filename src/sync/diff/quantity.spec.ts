import { quantityNanos, sameQuantity } from './quantity';

describe('quantityNanos', () => {
  it.each<[unknown, bigint | undefined]>([
    ['1', 1_000_000_000n],
    [1, 1_000_000_000n],
    ['1000m', 1_000_000_000n],
    ['0.5', 500_000_000n],
    ['500m', 500_000_000n],
    ['.5', 500_000_000n],
    ['1k', 1_000_000_000_000n],
    ['1Ki', 1024_000_000_000n],
    ['1Gi', 1024n ** 3n * 1_000_000_000n],
    ['1e3', 1000_000_000_000n],
    ['1E-3', 1_000_000n],
    ['100n', 100n],
    ['0.1n', 1n],
    ['-2', -2_000_000_000n],
    ['+2', 2_000_000_000n],
    ['abc', undefined],
    ['1 Gi', undefined],
    ['1gi', undefined],
    [true, undefined],
    [Number.NaN, undefined],
  ])('%j → %s', (input, expected) => {
    expect(quantityNanos(input)).toBe(expected);
  });

  it.each<[unknown, unknown, boolean]>([
    ['1000m', '1', true],
    ['1024Mi', '1Gi', true],
    [2, '2000m', true],
    ['1G', '1Gi', false],
    ['x', 'x', false],
  ])('sameQuantity(%j, %j) is %s', (a, b, expected) => {
    expect(sameQuantity(a, b)).toBe(expected);
  });
});
