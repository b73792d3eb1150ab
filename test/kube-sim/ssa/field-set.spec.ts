import { fieldElement as f } from './field-path';
import { FieldSet } from './field-set';

describe(FieldSet.name, () => {
  const set = (...paths: string[][]) => FieldSet.of(...paths.map((p) => p.map(f)));
  const spec = ['spec'];
  const replicas = ['spec', 'replicas'];
  const image = ['spec', 'image'];
  const data = ['data', 'k'];

  it.each([
    ['empty in empty', set(), set(), true],
    ['empty in any', set(), set(replicas), true],
    ['a path in a set holding it', set(replicas), set(replicas, image), true],
    ['a set in a smaller one', set(replicas, image), set(replicas), false],
    ['a child path in a set holding only its parent', set(replicas), set(spec), false],
    ['a parent member in a set holding only its child', set(spec), set(replicas), false],
  ])('isSubsetOf: %s -> %s', (_name, a, b, expected) => {
    expect(a.isSubsetOf(b)).toBe(expected);
    expect(a.isSubsetOf(b)).toBe(a.difference(b).isEmpty());
  });

  it.each([
    ['disjoint', set(replicas), set(image, data), false],
    ['sharing a path', set(replicas, data), set(data), true],
    ['parent and child are different paths', set(spec), set(replicas), false],
    ['empty', set(), set(replicas), false],
  ])('intersects: %s -> %s', (_name, a, b, expected) => {
    expect(a.intersects(b)).toBe(expected);
    expect(b.intersects(a)).toBe(expected);
    expect(a.intersects(b)).toBe(!a.intersection(b).isEmpty());
  });

  it('equals compares member paths, whatever the insertion order', () => {
    expect(set(replicas, image).equals(set(image, replicas))).toBe(true);
    expect(set(replicas).equals(set(replicas, image))).toBe(false);
    expect(set(spec, replicas).equals(set(replicas))).toBe(false);
  });
});
