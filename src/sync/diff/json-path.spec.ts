import { JsonValue } from '../manifests/kube-object';
import {
  parsePointer,
  pointerPaths,
  removePath,
  setPath,
  sortForRemoval,
  valueAt,
  withValuesOf,
} from './json-path';

describe(withValuesOf.name, () => {
  const target = {
    containers: [
      { name: 'web', image: 'nginx:2' },
      { name: 'proxy', image: 'envoy:2' },
    ],
    replicas: 2,
  };
  const source = {
    containers: [
      { name: 'proxy', image: 'envoy:1' },
      { name: 'log', image: 'fluent' },
      { name: 'web', image: 'nginx:1' },
    ],
    paused: true,
  } as unknown as JsonValue;

  it('gives the n-th field found in the target the value of the n-th found in the source', () => {
    // What `.containers[] | select(.name == "proxy") | .image` finds on each side.
    const result = withValuesOf(target, source, [
      { inTarget: [['containers', 1, 'image']], inSource: [['containers', 0, 'image']] },
    ]);
    expect(result.containers).toEqual([
      { name: 'web', image: 'nginx:2' },
      { name: 'proxy', image: 'envoy:1' },
    ]);
    expect(target.containers[1].image).toBe('envoy:2');
  });

  it('removes what only the target has and adds what only the source has at a sure place', () => {
    const result = withValuesOf(target, source, [
      { inTarget: [['replicas']], inSource: [] },
      { inTarget: [], inSource: [['paused']] },
      // A list item only the source has is not created at an index the target does not share,
      { inTarget: [], inSource: [['containers', 1, 'image']] },
      // unless the path is a fixed place (a JSON pointer).
      { inTarget: [], inSource: [['containers', 2, 'image']], fixed: true },
    ]) as unknown as Record<string, unknown>;
    expect(result).toEqual({
      containers: [
        { name: 'web', image: 'nginx:2' },
        { name: 'proxy', image: 'envoy:2' },
        { image: 'nginx:1' },
      ],
      paused: true,
    });
  });

  it('returns the target itself when nothing was found', () => {
    expect(withValuesOf(target, source, [{ inTarget: [], inSource: [] }])).toBe(target);
  });
});

describe('path edits', () => {
  it('reads, sets, and removes later list items first', () => {
    const value = { a: [1, 2, 3], b: { c: 'd' } } as unknown as JsonValue;
    expect(valueAt(value, ['a', 2])).toBe(3);
    expect(valueAt(value, ['b', 'x'])).toBeUndefined();
    setPath(value, ['b', 'e', 0], 'f');
    for (const path of sortForRemoval([
      ['a', 0],
      ['a', 2],
    ]))
      removePath(value, path);
    expect(value).toEqual({ a: [2], b: { c: 'd', e: ['f'] } });
  });
});

describe(parsePointer.name, () => {
  it.each<[string, string[] | undefined]>([
    ['', []],
    ['/spec/source', ['spec', 'source']],
    ['/metadata/annotations/a~1b~0c', ['metadata', 'annotations', 'a/b~c']],
    ['spec/source', undefined],
  ])('%p → %p', (pointer, tokens) => expect(parsePointer(pointer)).toEqual(tokens));
});

describe(pointerPaths.name, () => {
  it('reads the tokens that index arrays as numbers, and finds nothing where the value has none', () => {
    const value = { spec: { sources: [{ path: 'a' }] } } as unknown as JsonValue;
    expect(pointerPaths(value, ['spec', 'sources', '0', 'path'])).toEqual([
      ['spec', 'sources', 0, 'path'],
    ]);
    expect(pointerPaths(value, ['spec', 'sources', '1'])).toEqual([]);
    expect(pointerPaths(value, ['spec', 'nope'])).toEqual([]);
  });
});
