import { jsonNestingExceeds, yamlNestingViolation } from './nesting-depth';

const nestedBlock = (levels: number): string =>
  Array.from({ length: levels }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' leaf\n';

describe('yamlNestingViolation', () => {
  it.each<[string, string]>([
    [
      'an ApplicationSet',
      'spec:\n  template:\n    spec:\n      source:\n        helm:\n          valuesObject: {a: {b: [1, {c: 2}]}}\n',
    ],
    [
      'brackets inside quotes, comments and block scalars',
      `a: '${'['.repeat(50)}'\n# ${'{'.repeat(50)}\nb: |\n  ${'['.repeat(50)}\nc: "${'{'.repeat(50)}"\n`,
    ],
    ['many siblings', Array.from({ length: 500 }, (_, i) => `k${i}: [1, 2]`).join('\n')],
    ['deep but allowed block nesting', nestedBlock(60)],
    [
      'several documents, each within the limit',
      `${'['.repeat(60)}${']'.repeat(60)}\n---\n${'['.repeat(60)}${']'.repeat(60)}\n`,
    ],
    ['JSON', JSON.stringify({ a: [{ b: { c: [1, 2, { d: 'x' }] } }] }, null, '\t')],
    ['empty text', ''],
  ])('accepts %s', (_name, text) => {
    expect(yamlNestingViolation(text, 128)).toBeNull();
  });

  it.each<[string, string, number]>([
    ['nested flow sequences', `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, 3 + 127],
    ['nested flow maps', `${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`, 0],
    ['compact block sequences on one line', `a:\n  ${'- '.repeat(5000)}x\n`, 5],
    ['indentation', nestedBlock(400), -1],
  ])('refuses %s, at the token that goes too deep', (_name, text, offset) => {
    const violation = yamlNestingViolation(text, 128);
    expect(violation).toEqual({ offset: expect.any(Number), limit: 128 });
    if (offset >= 0) expect(violation!.offset).toBeGreaterThanOrEqual(offset);
    expect(violation!.offset).toBeLessThan(text.length);
  });

  it('reports the first token beyond the limit', () => {
    expect(yamlNestingViolation(`${'['.repeat(200)}${'x, '.repeat(1000)}`, 128)).toEqual({
      offset: 128,
      limit: 128,
    });
  });
});

describe('jsonNestingExceeds', () => {
  const nested = (levels: number): unknown => {
    let value: unknown = 'leaf';
    for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { k: value };
    return value;
  };

  it.each<[string, unknown, boolean]>([
    ['a scalar', 'x', false],
    ['an empty map', {}, false],
    ['128 levels', nested(128), false],
    ['129 levels', nested(129), true],
    ['100,000 levels, without exhausting the stack', nested(100_000), true],
    [
      'a wide flat map',
      Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
      false,
    ],
  ])('%s', (_name, value, expected) => {
    expect(jsonNestingExceeds(value, 128)).toBe(expected);
  });
});
