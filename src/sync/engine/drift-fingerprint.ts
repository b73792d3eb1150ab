/**
 * What counts as a change for drift detection (pure functions): an object's
 * fingerprint leaves out `status` and the fields the API server maintains,
 * so status updates by controllers are not drift; and a change whose
 * `managedFields` show only Fleetplane's own manager moving is Fleetplane's
 * own write, not drift.
 *
 * Fingerprints hash the object as the API server wrote it, not its
 * canonical JSON: every watch event of every watched object is hashed, and
 * sorting keys cost a fleet-wide sync a fifth of its garbage. The server
 * writes an unchanged object in the same key order (struct fields in
 * declaration order, map keys sorted), and at worst a reordering would make
 * an unchanged object look changed once: one comparison more, never a
 * change missed.
 */
import { createHash } from 'node:crypto';
import { FIELD_MANAGER } from '../../kube/cluster-client';
import { KubeObject } from '../manifests/kube-object';

/** A short digest of a value as JSON.stringify writes it (not a security boundary: SHA-1 is enough). */
function textDigest(value: unknown): string {
  return createHash('sha1')
    .update(JSON.stringify(value) ?? 'null')
    .digest('base64');
}

/** Hash of an object without status and server-maintained metadata. */
export function driftFingerprint(object: KubeObject): string {
  const {
    resourceVersion: _rv,
    managedFields: _mf,
    generation: _g,
    selfLink: _sl,
    ...metadata
  } = object.metadata;
  const { status: _status, ...rest } = object;
  return textDigest({ ...rest, metadata });
}

/**
 * The `managedFields` entries of an object as `manager|operation|subresource`
 * → a stamp of the entry's time and owned fields, so an entry "moves" when
 * its manager wrote again, even within the same second.
 */
export function managerTimes(object: KubeObject): Map<string, string> {
  const entries = Array.isArray(object.metadata.managedFields) ? object.metadata.managedFields : [];
  const stamps = new Map<string, string>();
  for (const entry of entries as {
    manager?: unknown;
    operation?: unknown;
    subresource?: unknown;
    time?: unknown;
    fieldsV1?: unknown;
  }[]) {
    const key = `${String(entry?.manager ?? '')}|${String(entry?.operation ?? '')}|${String(entry?.subresource ?? '')}`;
    stamps.set(key, `${String(entry?.time ?? '')}|${textDigest(entry?.fieldsV1 ?? null)}`);
  }
  return stamps;
}

/**
 * True when every `managedFields` entry that is new or moved (new time or
 * new owned fields) belongs to Fleetplane's field manager, and at least one
 * does: the change was Fleetplane's own apply. When no entry moved (a
 * manager rewrote the same fields within the same second) nothing can be
 * told, and the change counts as drift.
 */
export function onlyFleetplaneChanged(
  before: ReadonlyMap<string, string> | undefined,
  after: ReadonlyMap<string, string>,
): boolean {
  const moved = [...after].filter(([key, time]) => before?.get(key) !== time).map(([key]) => key);
  return moved.length > 0 && moved.every((key) => key.startsWith(`${FIELD_MANAGER}|`));
}
