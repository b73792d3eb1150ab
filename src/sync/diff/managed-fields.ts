/**
 * What other field managers own, read from an object's `managedFields`
 * (pure functions), for `ignoreDifferences[].managedFieldsManagers`: Argo CD
 * leaves out of the comparison every field that one of the named managers
 * owns in the live object and that desired and live hold with different
 * values (its `managedfields.Normalize`: the manager's field set intersected
 * with what the comparison finds modified, removed from both sides). A field
 * only one side has is not such a field: it still counts.
 *
 * A field set is the `fieldsV1` JSON of server-side apply: `f:<name>` a map
 * field, `k:<json>` the item of a keyed list whose key fields have those
 * values (containers by name), `v:<json>` the item of a set with that value,
 * `i:<n>` an index, `.` the node itself. Keys say how list items pair up,
 * so no schema is needed to find the same container on both sides.
 */
import { isDeepStrictEqual } from 'node:util';
import { FIELD_MANAGER } from '../../kube/cluster-client';
import { JsonPath, JsonValue, KubeObject, isJsonObject } from '../manifests/kube-object';

/** The same field in the desired and in the live object (list items may sit at other indexes). */
export interface OwnedDifference {
  readonly desired: JsonPath;
  readonly live: JsonPath;
}

interface ManagedFieldsEntry {
  readonly manager?: unknown;
  readonly subresource?: unknown;
  readonly fieldsV1?: unknown;
}

type FieldSet = Readonly<Record<string, unknown>>;

/**
 * The fields `managers` own in `live` whose values differ in `desired`, as
 * paths into each (Argo CD's managedFieldsManagers rule). Entries of any
 * operation and subresource count; a malformed entry is skipped.
 */
export function ownedDifferences(
  desired: KubeObject,
  live: KubeObject,
  managers: readonly string[],
): OwnedDifference[] {
  if (managers.length === 0) return [];
  const entries = live.metadata?.managedFields;
  if (!Array.isArray(entries)) return [];
  const found = new Map<string, OwnedDifference>();
  for (const entry of entries as ManagedFieldsEntry[]) {
    if (typeof entry?.manager !== 'string' || !managers.includes(entry.manager)) continue;
    if (!isFieldSet(entry.fieldsV1)) continue;
    collect(entry.fieldsV1, asJson(desired), asJson(live), [], [], found);
  }
  return [...found.values()];
}

/**
 * `object` without the `managedFields` entries no comparison reads:
 * Fleetplane's own and those of the status subresource (status is never
 * compared); the field disappears when nothing is left. An answer of the
 * cluster is often kept by a pass for seconds (waves, health waits) and by
 * the live cache for good; the field sets are about half of an object, and
 * a thousand passes in flight kept them alive long enough for every
 * young-generation collection to copy them. Other managers' entries stay for
 * `managedFieldsManagers`: most objects have none.
 */
export function withoutOwnManagedFields(object: KubeObject): KubeObject {
  const entries = object.metadata?.managedFields;
  if (entries === undefined) return object;
  const kept = Array.isArray(entries)
    ? (entries as ManagedFieldsEntry[]).filter(
        (entry) => entry?.manager !== FIELD_MANAGER && entry?.subresource !== 'status',
      )
    : [];
  const { managedFields: _managedFields, ...metadata } = object.metadata;
  return {
    ...object,
    metadata: kept.length > 0 ? { ...metadata, managedFields: kept } : metadata,
  };
}

function collect(
  set: FieldSet,
  desired: JsonValue,
  live: JsonValue,
  desiredPath: JsonPath,
  livePath: JsonPath,
  found: Map<string, OwnedDifference>,
): void {
  for (const [element, below] of Object.entries(set)) {
    if (element === '.' || !isFieldSet(below)) continue;
    const inDesired = locate(desired, element);
    const inLive = locate(live, element);
    // Present on one side only: added or removed, not modified.
    if (inDesired === undefined || inLive === undefined) continue;
    const desiredAt = [...desiredPath, inDesired.key];
    const liveAt = [...livePath, inLive.key];
    if (Object.keys(below).some((key) => key !== '.')) {
      collect(below, inDesired.value, inLive.value, desiredAt, liveAt, found);
    } else if (!isDeepStrictEqual(inDesired.value, inLive.value)) {
      found.set(JSON.stringify(liveAt), { desired: desiredAt, live: liveAt });
    }
  }
}

/** The child of `value` a field-set element names, with its key or index. */
function locate(
  value: JsonValue,
  element: string,
): { key: string | number; value: JsonValue } | undefined {
  const kind = element.slice(0, 2);
  const rest = element.slice(2);
  if (kind === 'f:') {
    if (!isJsonObject(value) || !Object.hasOwn(value, rest)) return undefined;
    return { key: rest, value: value[rest] };
  }
  if (!Array.isArray(value)) return undefined;
  let index = -1;
  if (kind === 'i:') {
    index = /^\d+$/.test(rest) ? Number(rest) : -1;
  } else if (kind === 'k:' || kind === 'v:') {
    const wanted = parseJson(rest);
    if (wanted === undefined) return undefined;
    index =
      kind === 'v:'
        ? value.findIndex((item) => isDeepStrictEqual(item, wanted))
        : value.findIndex((item) => hasKey(item, wanted));
  }
  return index >= 0 && index < value.length ? { key: index, value: value[index] } : undefined;
}

/** True when `item` holds every field of `key` with the same value. */
function hasKey(item: JsonValue, key: JsonValue): boolean {
  if (!isJsonObject(item) || !isJsonObject(key)) return false;
  return Object.entries(key).every(
    ([field, value]) => Object.hasOwn(item, field) && isDeepStrictEqual(item[field], value),
  );
}

function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

function isFieldSet(value: unknown): value is FieldSet {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asJson(object: KubeObject): JsonValue {
  return object as unknown as JsonValue;
}
