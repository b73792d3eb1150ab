/**
 * Field ownership under server-side apply, after structured-merge-diff's
 * `merge.Updater` (Apply, Update, prune) and the API server's field manager
 * (stripped metadata fields). Pure functions over JSON objects and field
 * sets; the object store turns the result into `metadata.managedFields`.
 *
 * Apply: the configuration is merged into the live object; fields the manager
 * applied last time and no longer applies are removed unless another manager
 * owns them; a field whose value changes while another manager owns it is a
 * conflict, unless forced, which moves the ownership to the applier. Update:
 * the writer takes ownership of what it changed; removed fields leave every
 * owner.
 */
import { Json, JsonMap, jsonEqual } from '../api/json';
import { TypeNode } from '../schema/field-types';
import { Comparison, compareValues } from './compare';
import { FieldPath, fieldElement } from './field-path';
import { FieldSet } from './field-set';
import { TypedProblem } from './list-elements';
import { mergeValues } from './merge';
import { removeFields } from './remove';
import { toFieldSet } from './to-field-set';

/** Who wrote: one `managedFields` entry's identity. */
export interface ManagerIdentity {
  readonly manager: string;
  readonly operation: 'Apply' | 'Update';
  /** Recorded in the identity of updaters only (appliers keep one entry across versions). */
  readonly apiVersion?: string;
  readonly subresource?: string;
}

/** The fields one manager owns, at the API version it last wrote. */
export interface ManagedSet {
  readonly set: FieldSet;
  readonly apiVersion: string;
}

/** Managers by identity key (see `managerKey`). */
export type ManagedFields = ReadonlyMap<string, ManagedSet>;

/** A field another manager owns and the applied configuration would change. */
export interface Conflict {
  readonly manager: string;
  readonly path: FieldPath;
}

/** Identity key, the JSON form of SMD's `BuildManagerIdentifier`. */
export function managerKey(identity: ManagerIdentity): string {
  const key: JsonMap = { manager: identity.manager, operation: identity.operation };
  if (identity.operation === 'Update' && identity.apiVersion) key.apiVersion = identity.apiVersion;
  if (identity.subresource) key.subresource = identity.subresource;
  return JSON.stringify(key);
}

export function parseManagerKey(key: string): ManagerIdentity {
  return JSON.parse(key) as ManagerIdentity;
}

/**
 * The fields the field manager never records as owned (apimachinery
 * `internal/stripmeta.go`). `metadata` itself is stripped as a member only.
 */
const STRIPPED = FieldSet.of(
  [fieldElement('apiVersion')],
  [fieldElement('kind')],
  [fieldElement('metadata')],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation']
    .concat(['managedFields', 'resourceVersion'])
    .map((name) => [fieldElement('metadata'), fieldElement(name)]),
);

export type ApplyOutcome =
  | { readonly kind: 'applied'; readonly object: JsonMap; readonly managed: ManagedFields }
  | { readonly kind: 'conflicts'; readonly conflicts: readonly Conflict[] }
  | { readonly kind: 'invalid'; readonly problems: readonly TypedProblem[] };

export interface ApplyInput {
  /** The live object without managedFields; undefined when the apply creates it. */
  readonly live: JsonMap | undefined;
  readonly config: JsonMap;
  readonly type: TypeNode;
  readonly managed: ManagedFields;
  readonly manager: ManagerIdentity;
  readonly apiVersion: string;
  readonly force: boolean;
}

/** Server-side apply of `config` by `manager` (pure function). */
export function applyConfiguration(input: ApplyInput): ApplyOutcome {
  const problems: TypedProblem[] = [];
  const configSet = toFieldSet(input.config, input.type, problems);
  let merged = mergeValues(input.live, input.config, input.type, problems) as JsonMap;
  if (problems.length) return { kind: 'invalid', problems };

  const key = managerKey(input.manager);
  const managed = new Map(input.managed);
  const lastSet = managed.get(key)?.set;
  managed.set(key, { set: configSet, apiVersion: input.apiVersion });
  // Only what the applier stopped applying can be pruned: nothing when it
  // applies every path it applied last time (the common, steady case).
  if (lastSet && !lastSet.isSubsetOf(configSet))
    merged = prune(merged, lastSet, managed, input.type);

  const comparison = compareValues(input.live ?? {}, merged, input.type);
  const conflicts = takeOwnership(managed, key, comparison);
  if (conflicts.length && !input.force) return { kind: 'conflicts', conflicts };
  storeStripped(managed, key, configSet, input.apiVersion, lastSet);
  return { kind: 'applied', object: merged, managed };
}

/**
 * Removes what the applier owned last time and no longer applies, unless some
 * manager (the applier's new configuration included) still owns it.
 */
function prune(
  merged: JsonMap,
  lastSet: FieldSet,
  managed: ManagedFields,
  type: TypeNode,
): JsonMap {
  let owned = new FieldSet();
  for (const { set } of managed.values()) owned = owned.union(set);
  const present = toFieldSet(merged, type, []).ensureNamedFieldsAreMembers();
  const toRemove = present
    .intersection(lastSet.ensureNamedFieldsAreMembers())
    .difference(owned.ensureNamedFieldsAreMembers());
  if (toRemove.isEmpty()) return merged;
  return (removeFields(merged, toRemove, type) as JsonMap | undefined) ?? {};
}

/**
 * Strips from every manager other than `actor` the fields the change removed,
 * and the fields it modified or added (returned as conflicts: an apply refuses
 * them unless forced; an update takes them over).
 */
function takeOwnership(
  managed: Map<string, ManagedSet>,
  actor: string,
  change: Comparison,
): Conflict[] {
  const conflicts: Conflict[] = [];
  const changed = change.modified.union(change.added);
  for (const [key, entry] of [...managed]) {
    if (key === actor) continue;
    const lost = entry.set.intersection(changed);
    for (const path of lost.paths()) conflicts.push({ manager: key, path });
    // Keep an untouched entry as it is, so its encoded form can be reused.
    if (lost.isEmpty() && !entry.set.intersects(change.removed)) continue;
    const rest = entry.set.difference(lost).difference(change.removed);
    if (rest.isEmpty()) managed.delete(key);
    else managed.set(key, { set: rest, apiVersion: entry.apiVersion });
  }
  return conflicts;
}

function storeStripped(
  managed: Map<string, ManagedSet>,
  key: string,
  set: FieldSet,
  apiVersion: string,
  previous: FieldSet | undefined,
) {
  const stripped = set.difference(STRIPPED);
  if (stripped.isEmpty()) managed.delete(key);
  // The previous set when unchanged, so that its encoded form is reused.
  else if (previous && stripped.equals(previous)) managed.set(key, { set: previous, apiVersion });
  else managed.set(key, { set: stripped, apiVersion });
}

export interface UpdateInput {
  /** The object before the write (without managedFields); undefined for a create. */
  readonly live: JsonMap | undefined;
  /** The object as it will be stored (without managedFields). */
  readonly next: JsonMap;
  readonly type: TypeNode;
  readonly managed: ManagedFields;
  readonly manager: ManagerIdentity;
  readonly apiVersion: string;
}

/**
 * Ownership after a non-apply write (create, update, any other patch): the
 * writer owns what it changed in addition to what it owned, nobody owns what
 * it removed (pure function).
 */
export function recordUpdate(input: UpdateInput): ManagedFields {
  const before = input.live ?? creationBaseline(input.next);
  const comparison = compareValues(before, input.next, input.type);
  const key = managerKey(input.manager);
  const managed = new Map(input.managed);
  const previous = managed.get(key)?.set;
  managed.delete(key);
  takeOwnership(managed, key, comparison);
  const set = (previous ?? new FieldSet())
    .difference(comparison.removed)
    .union(comparison.modified)
    .union(comparison.added);
  storeStripped(managed, key, set, input.apiVersion, previous);
  return managed;
}

/**
 * What a create is compared against: the zero value of the Go type, whose
 * non-pointer structs (metadata, spec) exist before the create, so that
 * `.` marks only the maps the writer brought into existence.
 */
function creationBaseline(next: JsonMap): JsonMap {
  const baseline: JsonMap = { metadata: {} };
  if (next.spec !== undefined) baseline.spec = {};
  return baseline;
}

/** True when two ownership maps record the same sets for the same managers. */
export function sameOwnership(a: ManagedFields, b: ManagedFields): boolean {
  if (a.size !== b.size) return false;
  for (const [key, entry] of a) {
    const other = b.get(key);
    if (other === entry) continue;
    if (!other || other.apiVersion !== entry.apiVersion || !other.set.equals(entry.set))
      return false;
  }
  return true;
}

/** True when two values are equal as stored objects. */
export function sameObject(a: Json | undefined, b: Json | undefined): boolean {
  return jsonEqual(a, b);
}
