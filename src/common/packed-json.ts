/**
 * JSON kept for a long time in memory, as UTF-8 in a buffer of its own
 * (pure functions). Tens of thousands of such values (the objects the live
 * cache keeps) would otherwise be strings on the V8 heap, where they bring
 * full garbage collections closer together the nearer the heap is to its
 * limit; outside it they cost the same bytes and no collection work. (Deflating them as well was measured: zlib's set-up
 * per call cost more CPU than it saved, and its native buffers grew the
 * resident memory more than the smaller values shrank it.)
 */

/** `value` as JSON in a buffer of exactly its size. */
export function packJson(value: unknown): Buffer {
  const json = JSON.stringify(value);
  // Not `Buffer.from`: a small value would be a view of a shared 8 KiB slab, which
  // one surviving value keeps allocated.
  const packed = Buffer.allocUnsafeSlow(Buffer.byteLength(json, 'utf8'));
  packed.write(json, 'utf8');
  return packed;
}

/** The value `packJson` packed (a fresh copy each time). */
export function unpackJson<T>(packed: Buffer): T {
  return JSON.parse(packed.toString('utf8')) as T;
}
