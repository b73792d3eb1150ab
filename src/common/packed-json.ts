/**
 * JSON kept for a long time in memory, as UTF-8 in a buffer of its own
 * (pure functions). Tens of thousands of such values (the objects the live
 * cache keeps) would otherwise be strings on the V8 heap, where they bring
 * full garbage collections closer together the nearer the heap is to its
 * limit; outside it they cost the same bytes and no collection work. (Deflating them as well was measured: zlib's set-up
 * per call cost more CPU than it saved, and its native buffers grew the
 * resident memory more than the smaller values shrank it.)
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

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

// A 4 KiB window and a small hash: JSON of a few KiB compresses as well as with zlib's defaults
// (measured: 1,334 bytes for an Application of 3,976 against 1,322), and the compressor's state
// is small enough to be reused by malloc instead of mapped and unmapped at every call.
const DEFLATE = { level: 1, windowBits: 12, memLevel: 4 } as const;

/**
 * `value` as deflated JSON in a buffer of exactly its size: for values packed
 * once and read once per use, such as a worker's Applications (a third of the
 * bytes for about 40 µs per pack and unpack). Not for values rewritten at
 * every watch event (see above).
 */
export function deflateJson(value: unknown): Buffer {
  const deflated = deflateRawSync(JSON.stringify(value), DEFLATE);
  // zlib answers with a view of its 16 KiB output chunk: keep a copy of the bytes only.
  const packed = Buffer.allocUnsafeSlow(deflated.length);
  deflated.copy(packed);
  return packed;
}

/** The value `deflateJson` packed (a fresh copy each time). */
export function inflateJson<T>(packed: Buffer): T {
  return JSON.parse(
    inflateRawSync(packed, { windowBits: DEFLATE.windowBits }).toString('utf8'),
  ) as T;
}
