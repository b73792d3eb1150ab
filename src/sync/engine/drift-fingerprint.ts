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
import { hash } from 'node:crypto';
import { FIELD_MANAGER } from '../../kube/cluster-client';
import { KubeObject } from '../manifests/kube-object';

/**
 * A short digest of a value as JSON.stringify writes it (not a security
 * boundary: SHA-1 is enough). One-shot `hash`, not a `Hash` object: every
 * watch event is digested several times, and the object cost twice the hashing.
 */
function textDigest(value: unknown): string {
  return hash('sha1', JSON.stringify(value) ?? 'null', 'base64');
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

// One stamp: a marker (Fleetplane's entry or another's) and an unpadded SHA-1 in base64.
const STAMP_WIDTH = 28;
const FLEETPLANE_MARK = 'F';
const OTHER_MARK = 'O';

/**
 * The `managedFields` entries of an object as one string of fixed-width
 * stamps, each a digest of the entry's manager, operation, subresource,
 * time and owned fields, marked as Fleetplane's or another manager's. An
 * entry "moves" when its manager wrote again, even within the same second.
 * One string, not a map: the drift watch keeps this for every watched object.
 * (An object lists each manager, operation and subresource once.)
 * Entries of the `status` subresource are left out: a write there changes
 * status only, which is never drift, so the watch need not stamp the object
 * again for each controller's status update.
 */
export function managerStamps(object: KubeObject): string {
  const entries = Array.isArray(object.metadata.managedFields) ? object.metadata.managedFields : [];
  let stamps = '';
  for (const entry of entries as {
    manager?: unknown;
    operation?: unknown;
    subresource?: unknown;
    time?: unknown;
    fieldsV1?: unknown;
  }[]) {
    if (entry?.subresource === 'status') continue;
    const manager = String(entry?.manager ?? '');
    const digest = textDigest([
      manager,
      String(entry?.operation ?? ''),
      String(entry?.subresource ?? ''),
      String(entry?.time ?? ''),
      entry?.fieldsV1 ?? null,
    ]);
    stamps += (manager === FIELD_MANAGER ? FLEETPLANE_MARK : OTHER_MARK) + digest.slice(0, -1);
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
export function onlyFleetplaneChanged(before: string | undefined, after: string): boolean {
  let moved = false;
  for (let i = 0; i < after.length; i += STAMP_WIDTH) {
    const stamp = after.slice(i, i + STAMP_WIDTH);
    if (before !== undefined && hasStamp(before, stamp)) continue;
    if (stamp[0] !== FLEETPLANE_MARK) return false;
    moved = true;
  }
  return moved;
}

function hasStamp(stamps: string, stamp: string): boolean {
  for (let i = 0; i < stamps.length; i += STAMP_WIDTH) if (stamps.startsWith(stamp, i)) return true;
  return false;
}
