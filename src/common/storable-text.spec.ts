import {
  isUnstorableText,
  storableJson,
  storableText,
  unstorableTextProblems,
} from './storable-text';

const NUL_MESSAGE = 'must not contain the NUL character (U+0000), which PostgreSQL cannot store';

describe(isUnstorableText.name, () => {
  it('accepts any Unicode text, paired surrogates (emoji) included', () => {
    expect(isUnstorableText('plain')).toBe(false);
    expect(isUnstorableText('grüße 😀 日本')).toBe(false);
  });

  it('refuses a NUL, and half of a surrogate pair at either end or alone', () => {
    expect(isUnstorableText('a\u0000b')).toBe(true);
    expect(isUnstorableText('a\ud800')).toBe(true);
    expect(isUnstorableText('\udc00a')).toBe(true);
    expect(isUnstorableText('\ud83d\ud83d\ude00')).toBe(true);
  });
});

describe(unstorableTextProblems.name, () => {
  it('finds nothing in ordinary values', () => {
    expect(unstorableTextProblems({ a: ['x', 1, null, { b: 'y' }], c: true })).toEqual([]);
    expect(unstorableTextProblems('plain', 'name')).toEqual([]);
  });

  it('names each string that cannot be stored by its path, in document order', () => {
    const problems = unstorableTextProblems({
      metadata: { name: 'web\u0000' },
      spec: { generators: [{ list: { elements: [{ env: 'ok' }, { env: '\ud800prod' }] } }] },
      labels: { 'app.kubernetes.io/name': 'a\u0000b' },
    });
    expect(problems.map((p) => [p.field, p.rule])).toEqual([
      ['metadata.name', 'nul-character'],
      ['spec.generators[0].list.elements[1].env', 'unpaired-surrogate'],
      ["labels['app.kubernetes.io/name']", 'nul-character'],
    ]);
    expect(problems[0].message).toBe(NUL_MESSAGE);
    expect(problems[1].message).toBe(
      'must be Unicode text: it holds half of a UTF-16 surrogate pair (\\ud800-\\udfff) without the other',
    );
  });

  it('names the object whose key cannot be stored, and the root by the name given', () => {
    expect(unstorableTextProblems({ annotations: { 'a\u0000': 'x', 'b\udc00': 'y' } })).toEqual([
      {
        field: 'annotations',
        rule: 'nul-character',
        message: 'must not have a key that contains the NUL character (U+0000)',
      },
      {
        field: 'annotations',
        rule: 'unpaired-surrogate',
        message: 'must not have a key that holds half of a UTF-16 surrogate pair',
      },
    ]);
    expect(unstorableTextProblems('a\u0000', 'name').map((p) => p.field)).toEqual(['name']);
    expect(unstorableTextProblems('a\u0000').map((p) => p.field)).toEqual(['body']);
  });

  it('stops at the limit, and walks deep values without recursion', () => {
    const many = Array.from({ length: 50 }, () => '\u0000');
    expect(unstorableTextProblems(many, 'items', 3)).toHaveLength(3);
    let deep: unknown = '\u0000';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(unstorableTextProblems(deep)).toHaveLength(1);
  });
});

describe(storableJson.name, () => {
  it('writes unstorable characters as visible text, and the rest as JSON.stringify does', () => {
    const value = {
      name: 'a\u0000b',
      half: 'c\ud800',
      pair: '😀',
      literal: 'd\\u0000e',
      escaped: 'f\\\u0000',
    };
    expect(JSON.parse(storableJson(value))).toEqual({
      name: 'a\\u0000b',
      half: 'c\\ud800',
      pair: '😀',
      literal: 'd\\u0000e',
      escaped: 'f\\\\u0000',
    });
    expect(storableJson({ plain: 'f', n: 1 })).toBe(JSON.stringify({ plain: 'f', n: 1 }));
  });
});

describe(storableText.name, () => {
  it('writes a NUL and each half of a surrogate pair out as text, keeping the rest', () => {
    expect(storableText('v1.30.0')).toBe('v1.30.0');
    expect(storableText('a\u0000b\ud800c😀\udfff')).toBe('a\\u0000b\\ud800c😀\\udfff');
    expect(isUnstorableText(storableText('\u0000\udc00'))).toBe(false);
  });
});
