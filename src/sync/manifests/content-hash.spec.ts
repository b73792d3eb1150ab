import {
  canonicalJson,
  contentHash,
  desiredStateHash,
  jsonEqual,
  objectDigest,
} from './content-hash';

/** A small seeded generator, so a failing case can be replayed. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

function randomValue(random: () => number, depth: number): unknown {
  const pick = Math.floor(random() * (depth > 2 ? 6 : 8));
  const leaves = [null, undefined, 0, 1, 'a', 'b', true, false];
  if (pick < 6) return leaves[Math.floor(random() * leaves.length)];
  const size = Math.floor(random() * 4);
  if (pick === 6) return Array.from({ length: size }, () => randomValue(random, depth + 1));
  const record: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) record[['x', 'y', 'z', 'w'][i]] = randomValue(random, depth + 1);
  return record;
}

/** The same value with every object's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, member]) => [key, reversedKeys(member)]),
  );
}

describe('canonicalJson', () => {
  it('sorts keys at every depth, keeps array order and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":null,"z":true}]},"b":1}',
    );
  });

  it('writes undefined inside arrays as null and escapes keys and strings as JSON does', () => {
    expect(canonicalJson([undefined, 'é"\n'])).toBe('[null,"é\\"\\n"]');
    expect(canonicalJson({ 'k"ey': 1 })).toBe('{"k\\"ey":1}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
  });

  it('gives the text JSON.stringify gives for values whose keys are already sorted', () => {
    const value = { a: [1, 'two', { b: false, c: 1.5 }], d: { e: null } };
    expect(canonicalJson(value)).toBe(JSON.stringify(value));
  });
});

describe('jsonEqual', () => {
  it('ignores key order and undefined members, and keeps array order', () => {
    expect(jsonEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1, d: undefined })).toBe(
      true,
    );
    expect(jsonEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
    expect(jsonEqual([undefined], [null])).toBe(true);
    expect(jsonEqual(undefined, {})).toBe(false);
  });

  it('agrees with comparing canonical texts on many random pairs', () => {
    const random = randomSource(42);
    for (let i = 0; i < 2_000; i++) {
      const a = randomValue(random, 0);
      // Half the pairs are the same value written in another key order, half unrelated values.
      const b = i % 2 === 0 ? reversedKeys(a) : randomValue(random, 0);
      expect([a, b, jsonEqual(a, b)]).toEqual([a, b, canonicalJson(a) === canonicalJson(b)]);
    }
  });
});

describe('contentHash / desiredStateHash', () => {
  it('does not depend on key order, and stays the digest already stored in databases', () => {
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    // SHA-256 of '{"a":1,"b":2}': inventories and spec hashes written before must still match.
    expect(contentHash({ b: 2, a: 1 })).toBe(
      '43258cff783fe7036d8a43033f830adfc60ec037382473548ac742b888292777',
    );
  });

  it('is the content hash of the ordered objects with the options, and remembers their digests', () => {
    const a = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a' },
      data: { z: '1', y: '2' },
    };
    const b = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } };
    const options = { prune: true, syncOptions: ['CreateNamespace=true'] };
    expect(desiredStateHash([b, a], options)).toBe(contentHash({ objects: [a, b], options }));
    expect(desiredStateHash([a], undefined)).toBe(contentHash({ objects: [a], options: null }));
    expect(objectDigest(a)).toBe(contentHash(a));
    expect(objectDigest({ ...b })).toBe(contentHash(b));
  });

  it('does not depend on the order of the objects', () => {
    const a = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
    const b = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } };
    expect(desiredStateHash([a, b], { prune: true })).toBe(
      desiredStateHash([b, a], { prune: true }),
    );
  });
});
