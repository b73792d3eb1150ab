import { packJson, unpackJson } from './packed-json';

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
    const manifest = {
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
    const packed = packJson(manifest);
    expect(packed.length).toBe(Buffer.byteLength(JSON.stringify(manifest)));
    // Not a view of a shared slab, which would stay allocated with it.
    expect(packed.buffer.byteLength).toBe(packed.length);
  });
});
