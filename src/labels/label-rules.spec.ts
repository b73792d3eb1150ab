import {
  annotationMapProblems,
  labelMapProblems,
  labelValueProblems,
  qualifiedNameProblems,
} from './label-rules';

describe('qualifiedNameProblems', () => {
  it.each([
    'env',
    'a',
    'A_b.c-D',
    'app.kubernetes.io/name',
    'topology.kubernetes.io/region',
    'example.com/x',
    'x'.repeat(63),
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}/name`,
  ])('accepts %j', (key) => {
    expect(qualifiedNameProblems(key)).toEqual([]);
  });

  it.each<[string, RegExp]>([
    ['', /name part must be non-empty/],
    ['-env', /must start and end with an alphanumeric/],
    ['env-', /must start and end/],
    ['has space', /name part must consist/],
    ['x'.repeat(64), /no more than 63 characters/],
    ['/name', /prefix part must be non-empty/],
    ['Example.com/name', /prefix part a lowercase RFC 1123/],
    ['example.com/', /name part must be non-empty/],
    ['a/b/c', /qualified name/],
    [`${'a'.repeat(254)}/x`, /prefix part must be no more than 253/],
  ])('rejects %j', (key, message) => {
    expect(qualifiedNameProblems(key).join(' ')).toMatch(message);
  });
});

describe('labelValueProblems', () => {
  it.each(['', 'prod', 'eu-west-1', 'a_b.c', '1', 'x'.repeat(63)])('accepts %j', (value) => {
    expect(labelValueProblems(value)).toEqual([]);
  });
  it.each(['-x', 'x-', 'a/b', 'a b', 'x'.repeat(64), 'é'])('rejects %j', (value) => {
    expect(labelValueProblems(value)).not.toEqual([]);
  });
});

describe('labelMapProblems', () => {
  it('names each offending key in the field path', () => {
    expect(
      labelMapProblems(
        { env: 'prod', 'bad key': 'x', 'topology.kubernetes.io/zone': 'a/b' },
        'labels',
      ),
    ).toEqual([
      expect.objectContaining({ field: "labels['bad key']", rule: 'label-key' }),
      expect.objectContaining({
        field: "labels['topology.kubernetes.io/zone']",
        rule: 'label-value',
      }),
    ]);
  });
  it('rejects non-objects and non-string values', () => {
    expect(labelMapProblems(['a'], 'labels')).toEqual([
      expect.objectContaining({ field: 'labels', rule: 'type' }),
    ]);
    expect(labelMapProblems({ a: 1 }, 'labels')).toEqual([
      expect.objectContaining({ field: 'labels.a', rule: 'label-value' }),
    ]);
  });
});

describe('annotationMapProblems', () => {
  it('allows any string value but limits the total size', () => {
    expect(
      annotationMapProblems({ 'example.com/note': 'any / value with spaces ☃' }, 'annotations'),
    ).toEqual([]);
    expect(annotationMapProblems({ big: 'x'.repeat(300 * 1024) }, 'annotations')).toEqual([
      expect.objectContaining({ field: 'annotations', rule: 'annotations-size' }),
    ]);
  });
});
