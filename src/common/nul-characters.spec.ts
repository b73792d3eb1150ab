import { nulCharacterProblems, storableJson } from './nul-characters';

const RULE = 'nul-character';

describe(nulCharacterProblems.name, () => {
  it('finds nothing in ordinary values', () => {
    expect(nulCharacterProblems({ a: ['x', 1, null, { b: 'y' }], c: true })).toEqual([]);
    expect(nulCharacterProblems('plain', 'name')).toEqual([]);
  });

  it('names each string that holds a NUL by its path, in document order', () => {
    const problems = nulCharacterProblems({
      metadata: { name: 'web\u0000' },
      spec: { generators: [{ list: { elements: [{ env: 'ok' }, { env: '\u0000prod' }] } }] },
      labels: { 'app.kubernetes.io/name': 'a\u0000b' },
    });
    expect(problems.map((p) => p.field)).toEqual([
      'metadata.name',
      'spec.generators[0].list.elements[1].env',
      "labels['app.kubernetes.io/name']",
    ]);
    expect(problems.every((p) => p.rule === RULE)).toBe(true);
    expect(problems[0].message).toBe(
      'must not contain the NUL character (U+0000), which PostgreSQL cannot store',
    );
  });

  it('names the object whose key holds a NUL, and the root by the name given', () => {
    expect(nulCharacterProblems({ annotations: { 'a\u0000': 'x' } })).toEqual([
      {
        field: 'annotations',
        rule: RULE,
        message: 'must not have a key that contains the NUL character (U+0000)',
      },
    ]);
    expect(nulCharacterProblems('a\u0000', 'name').map((p) => p.field)).toEqual(['name']);
    expect(nulCharacterProblems('a\u0000').map((p) => p.field)).toEqual(['body']);
  });

  it('stops at the limit, and walks deep values without recursion', () => {
    const many = Array.from({ length: 50 }, () => '\u0000');
    expect(nulCharacterProblems(many, 'items', 3)).toHaveLength(3);
    let deep: unknown = '\u0000';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(nulCharacterProblems(deep)).toHaveLength(1);
  });
});

describe(storableJson.name, () => {
  it('writes a NUL as the visible text \\u0000, and leaves everything else as JSON.stringify does', () => {
    const value = { name: 'a\u0000b', literal: 'c\\u0000d', escaped: 'e\\\u0000', plain: 'f' };
    const json = storableJson(value);
    expect(JSON.parse(json)).toEqual({
      name: 'a\\u0000b',
      literal: 'c\\u0000d',
      escaped: 'e\\\\u0000',
      plain: 'f',
    });
    expect(storableJson({ plain: 'f', n: 1 })).toBe(JSON.stringify({ plain: 'f', n: 1 }));
  });
});
