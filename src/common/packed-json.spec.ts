import { deflateJson, inflateJson, packJson, unpackJson } from './packed-json';

/** A status-like value of the size workers keep: repeated keys, a little non-ASCII text. */
const manifest = {
  labels: { team: 'équipe-ß' },
  resources: Array.from({ length: 8 }, (_, i) => ({
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    namespace: 'team-001',
    name: `web-${i}`,
    status: 'Synced',
    health: { status: 'Healthy' },
  })),
};

describe('packJson / unpackJson', () => {
  it('round-trips JSON values, with non-ASCII text, into fresh copies', () => {
    const value = { name: 'web', labels: { team: 'équipe-ß' }, items: [1, null, true, 'x'] };
    const packed = packJson(value);
    const first = unpackJson<typeof value>(packed);
    expect(first).toEqual(value);
    first.items.push('changed');
    expect(unpackJson<typeof value>(packed)).toEqual(value);
  });

  it('keeps the JSON in a buffer of its own size', () => {
    const packed = packJson(manifest);
    expect(packed.length).toBe(Buffer.byteLength(JSON.stringify(manifest)));
    // Not a view of a shared slab, which would stay allocated with it.
    expect(packed.buffer.byteLength).toBe(packed.length);
  });
});

describe('deflateJson / inflateJson', () => {
  it('round-trips JSON values into fresh copies', () => {
    const packed = deflateJson(manifest);
    const first = inflateJson<typeof manifest>(packed);
    expect(first).toEqual(manifest);
    first.resources.pop();
    expect(inflateJson<typeof manifest>(packed)).toEqual(manifest);
  });

  it('keeps fewer bytes than the JSON, in a buffer of their own', () => {
    const packed = deflateJson(manifest);
    expect(packed.length).toBeLessThan(Buffer.byteLength(JSON.stringify(manifest)) / 3);
    // Not a view of zlib's output chunk, which would stay allocated with it.
    expect(packed.buffer.byteLength).toBe(packed.length);
  });
});
