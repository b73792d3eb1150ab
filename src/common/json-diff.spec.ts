import { jsonDiff } from './json-diff';

describe(jsonDiff.name, () => {
  it.each<[unknown, unknown, unknown]>([
    [{ a: 1 }, { a: 1 }, []],
    [{ a: 1 }, { a: 2 }, [{ path: 'a', from: 1, to: 2 }]],
    [
      { a: { b: 'x' } },
      { a: { b: 'y', c: 1 } },
      [
        { path: 'a.b', from: 'x', to: 'y' },
        { path: 'a.c', to: 1 },
      ],
    ],
    [
      { labels: { 'app.kubernetes.io/name': 'a' } },
      { labels: {} },
      [{ path: "labels['app.kubernetes.io/name']", from: 'a' }],
    ],
    [{ l: [1, 2] }, { l: [1, 3] }, [{ path: 'l[1]', from: 2, to: 3 }]],
    [{ l: [1, 2] }, { l: [1] }, [{ path: 'l', from: [1, 2], to: [1] }]],
    [{ a: null }, { a: {} }, [{ path: 'a', from: null, to: {} }]],
  ])('%j → %j', (from, to, expected) => {
    expect(jsonDiff(from, to)).toEqual(expected);
  });
});
