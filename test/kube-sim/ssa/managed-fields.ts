/**
 * `metadata.managedFields` to and from ownership maps, and the apply-conflict
 * Status the API server answers with (apimachinery
 * `util/managedfields/internal`: `managedfields.go` for the entry order,
 * `conflict.go` for the message). Pure functions.
 */
import { JsonMap, isJsonMap } from '../api/json';
import { ManagedFieldsEntry } from '../api/kube-object';
import { StatusCause, StatusError } from '../api/status';
import { describePath } from './field-path';
import { FieldSet } from './field-set';
import {
  Conflict,
  ManagedFields,
  ManagedSet,
  managerKey,
  parseManagerKey,
} from './field-ownership';

/** Ownership read from an object, with each manager's last write time. */
export interface DecodedManagedFields {
  readonly managed: Map<string, ManagedSet>;
  readonly times: Map<string, string>;
}

/**
 * Parsed and encoded forms of the same field sets, both ways. Stored objects
 * are never mutated and sets are not changed once recorded, so an entry a
 * write leaves alone is neither parsed nor serialised again (most writes
 * touch one manager of several).
 */
const parsed = new WeakMap<JsonMap, FieldSet>();
const encoded = new WeakMap<FieldSet, JsonMap>();

function parseFieldsV1(json: JsonMap): FieldSet {
  let set = parsed.get(json);
  if (!set) {
    set = FieldSet.fromFieldsV1(json);
    parsed.set(json, set);
    encoded.set(set, json);
  }
  return set;
}

function encodeFieldsV1(set: FieldSet): JsonMap {
  let json = encoded.get(set);
  if (!json) {
    json = set.toFieldsV1();
    encoded.set(set, json);
    parsed.set(json, set);
  }
  return json;
}

/** Reads managedFields entries; malformed entries are dropped as the server drops them. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[]): DecodedManagedFields {
  const managed = new Map<string, ManagedSet>();
  const times = new Map<string, string>();
  for (const entry of entries) {
    if (typeof entry.manager !== 'string' || !isJsonMap(entry.fieldsV1)) continue;
    const operation = entry.operation === 'Apply' ? 'Apply' : 'Update';
    const key = managerKey({
      manager: entry.manager,
      operation,
      apiVersion: entry.apiVersion,
      subresource: typeof entry.subresource === 'string' ? entry.subresource : undefined,
    });
    managed.set(key, {
      set: parseFieldsV1(entry.fieldsV1),
      apiVersion: String(entry.apiVersion ?? ''),
    });
    if (typeof entry.time === 'string') times.set(key, entry.time);
  }
  return { managed, times };
}

/**
 * Writes managedFields entries: Apply before Update, then by time, manager,
 * API version and subresource, as `sortEncodedManagedFields` orders them.
 */
export function encodeManagedFields(
  managed: ManagedFields,
  times: ReadonlyMap<string, string>,
): ManagedFieldsEntry[] {
  const entries: ManagedFieldsEntry[] = [];
  for (const [key, { set, apiVersion }] of managed) {
    const identity = parseManagerKey(key);
    const entry: ManagedFieldsEntry = {
      manager: identity.manager,
      operation: identity.operation,
      apiVersion,
      time: times.get(key) ?? '',
      fieldsType: 'FieldsV1',
      fieldsV1: encodeFieldsV1(set),
    };
    if (identity.subresource) entry.subresource = identity.subresource;
    entries.push(entry);
  }
  const by = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort(
    (a, b) =>
      by(a.operation, b.operation) ||
      by(a.time, b.time) ||
      by(a.manager, b.manager) ||
      by(a.apiVersion, b.apiVersion) ||
      by(String(a.subresource ?? ''), String(b.subresource ?? '')),
  );
}

/** `printManager`: `"kubectl"`, or `"kubectl-edit" using apps/v1` for updaters. */
export function describeManager(key: string): string {
  const identity = parseManagerKey(key);
  let text = JSON.stringify(identity.manager);
  if (identity.subresource) text += ` with subresource ${JSON.stringify(identity.subresource)}`;
  if (identity.operation === 'Update') text += ` using ${identity.apiVersion ?? ''}`;
  return text;
}

/** The 409 an apply gets when it would change fields others own (`NewConflictError`). */
export function applyConflictError(conflicts: readonly Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(c.manager)}`,
    field: describePath(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    const [only] = conflicts;
    message = `Apply failed with 1 conflict: conflict with ${describeManager(only.manager)}: ${describePath(only.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const printed = describeManager(c.manager);
      byManager.set(printed, [...(byManager.get(printed) ?? []), describePath(c.path)]);
    }
    const lines: string[] = [];
    for (const manager of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${manager}:`);
      for (const path of byManager.get(manager) ?? []) lines.push(`- ${path}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  const details: JsonMap = { causes };
  return new StatusError(409, 'Conflict', message, details);
}
