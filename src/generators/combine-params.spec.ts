import { combineOverride, combineStrict } from './combine-params';

describe('combineStrict (matrix)', () => {
  it.each<[Record<string, unknown>, Record<string, unknown>, ReturnType<typeof combineStrict>]>([
    [{ a: '1' }, { b: '2' }, { params: { a: '1', b: '2' } }],
    [{ a: '1' }, { a: '1' }, { params: { a: '1' } }],
    [{ a: 1 }, { a: '1' }, { params: { a: '1' } }],
    [
      { a: '1' },
      { a: '2' },
      { conflict: 'found duplicate key a with different value, a: 1 ,b: 2' },
    ],
    [{ l: ['x', 2] }, { m: { k: null } }, { params: { l: '[x 2]', m: 'map[k:<nil>]' } }],
  ])('%j + %j', (first, second, expected) => {
    expect(combineStrict(first, second)).toEqual(expected);
  });
});

describe('combineOverride (merge)', () => {
  it('overlays the later set and stringifies both', () => {
    expect(combineOverride({ a: '1', b: 2 }, { b: '3', c: true })).toEqual({
      a: '1',
      b: '3',
      c: 'true',
    });
  });
});
