/**
 * A stable fingerprint of what an Application wants applied, so that an
 * unchanged Application (same manifests, same options) sends no write to its
 * cluster: rancher/fleet's deployment id, Argo's "once per (commit, params)".
 * The hash does not depend on file order, key order or whitespace.
 */
import { hash } from 'node:crypto';
import { KubeObject, compareRefs, refOf } from './kube-object';

/**
 * JSON with object keys sorted at every depth and no whitespace, so equal
 * values always give equal text. Array order is kept (it is meaningful);
 * `undefined` members are dropped as JSON.stringify drops them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // JSON.stringify(undefined) is undefined; inside arrays it means null, as JSON.stringify does.
    return JSON.stringify(value) ?? 'null';
  }
  // Built by appending (V8 joins such strings lazily): the drift watch hashes every event of
  // every watched object, and intermediate arrays of parts made this a third slower.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of sortedKeys(record)) {
    const member = record[key];
    if (member === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + canonicalJson(member);
    first = false;
  }
  return out + '}';
}

/** The keys of `record` in sort order; most manifests already list them so, and need no sort. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return keys.sort();
  return keys;
}

/**
 * True when `a` and `b` have the same canonical JSON, decided without
 * writing it: statuses and memories are compared on every pass, and two
 * canonical texts per comparison were a large share of a fleet-wide sync's
 * garbage.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    // Different primitives can still write the same text (undefined and null in arrays, NaN).
    return (JSON.stringify(a) ?? 'null') === (JSON.stringify(b) ?? 'null');
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let members = 0;
  for (const key of Object.keys(left)) {
    if (left[key] === undefined) continue;
    members++;
    if (right[key] === undefined || !Object.hasOwn(right, key)) return false;
    if (!jsonEqual(left[key], right[key])) return false;
  }
  for (const key of Object.keys(right)) if (right[key] !== undefined) members--;
  return members === 0;
}

/** Lower-case hex SHA-256 of the canonical JSON of `value`. */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

// Desired objects are immutable once rendered; their digests are asked for at render and at apply.
const objectDigests = new WeakMap<KubeObject, string>();

/** `contentHash` of a desired object, remembered for the object. */
export function objectDigest(object: KubeObject): string {
  let digest = objectDigests.get(object);
  if (digest === undefined) {
    digest = contentHash(object);
    objectDigests.set(object, digest);
  }
  return digest;
}

/**
 * The hash of a desired state: the objects (in ref order, so file order does
 * not matter) together with every option that changes what is written
 * (sync options, prune, destination, ...). Equal hashes mean the last
 * successful apply can be skipped. It is the `contentHash` of
 * `{ objects, options }`; the objects' canonical texts are written once and
 * also give each object's `objectDigest`.
 */
export function desiredStateHash(objects: readonly KubeObject[], options: unknown): string {
  const ordered = [...objects].sort((a, b) => compareRefs(refOf(a), refOf(b)));
  const texts = ordered.map((object) => {
    const text = canonicalJson(object);
    if (!objectDigests.has(object)) {
      objectDigests.set(object, sha256Hex(text));
    }
    return text;
  });
  const document = `{"objects":[${texts.join(',')}],"options":${canonicalJson(options ?? null)}}`;
  return sha256Hex(document);
}

function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}
