import { flattenToStrings } from './flatten';

describe('flattenToStrings', () => {
  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ['an empty map', {}, {}],
    [
      'flat strings unchanged',
      { 'metadata.labels.env': 'prod', name: 'c1' },
      { 'metadata.labels.env': 'prod', name: 'c1' },
    ],
    [
      'nested maps and lists',
      { cluster: { name: 'c1', zones: ['a', { id: 2 }] } },
      { 'cluster.name': 'c1', 'cluster.zones.0': 'a', 'cluster.zones.1.id': '2' },
    ],
    [
      'Go %v leaves',
      { n: 1234567, m: 1000000, s: 0.00001, i: 123, f: 1.5, z: null, t: true, b: false },
      {
        n: '1.234567e+06',
        m: '1e+06',
        s: '1e-05',
        i: '123',
        f: '1.5',
        z: '<nil>',
        t: 'true',
        b: 'false',
      },
    ],
    ['empty maps and lists vanish', { a: {}, b: [], c: { d: [] }, e: 'x' }, { e: 'x' }],
    ['later duplicates win', { 'a.b': '1', a: { b: '2' } }, { 'a.b': '2' }],
  ])('%s', (_name, input, expected) => {
    expect(Object.fromEntries(flattenToStrings(input))).toEqual(expected);
  });
});
