import { fieldPath } from '../../common/field-problem';
import { PathSegment, parseFieldPath } from './field-path';

describe(parseFieldPath.name, () => {
  it.each<[string, PathSegment[]]>([
    ['', []],
    ['kind', ['kind']],
    ['spec.generators[1].clusters.selector', ['spec', 'generators', 1, 'clusters', 'selector']],
    [
      "metadata.labels['topology.kubernetes.io/zone']",
      ['metadata', 'labels', 'topology.kubernetes.io/zone'],
    ],
    ["['a-b'].c", ['a-b', 'c']],
    ["x['it\\'s']", ['x', "it's"]],
    ["x['back\\\\slash']", ['x', 'back\\slash']],
    ['a[0][12]', ['a', 0, 12]],
  ])('reads %j', (path, segments) => {
    expect(parseFieldPath(path)).toEqual(segments);
  });

  it.each(['a..b', 'a[x]', "a['open", '.a', 'a[1', '1a'])('refuses %j', (path) => {
    expect(parseFieldPath(path)).toBeUndefined();
  });

  it('inverts fieldPath for any key', () => {
    const segments: PathSegment[] = ['spec', 'x.y/z', 3, "quote'd", 'back\\slash', 'ok_1'];
    const printed = segments.reduce<string>((path, segment) => fieldPath(path, segment), '');
    expect(parseFieldPath(printed)).toEqual(segments);
  });
});
