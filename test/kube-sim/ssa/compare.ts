/**
 * What changed between two versions of an object, as field sets (SMD
 * `TypedValue.Compare`): a leaf (scalar, atomic list or map, or a map or list
 * empty on both sides) is added, removed or modified; a map, list or list
 * element that appears or disappears is itself added or removed, and its
 * contents are walked. Ownership moves along these sets. Pure function.
 */
import { Json, JsonMap, isJsonMap, jsonEqual } from '../api/json';
import { TypeNode } from '../schema/field-types';
import { PathElement, fieldElement } from './field-path';
import { FieldSet } from './field-set';
import { indexList } from './list-elements';

export interface Comparison {
  readonly added: FieldSet;
  readonly modified: FieldSet;
  readonly removed: FieldSet;
}

/** Compares `before` with `after` (either may be undefined: absent). */
export function compareValues(
  before: Json | undefined,
  after: Json | undefined,
  type: TypeNode,
): Comparison {
  const comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walk(before, after, type, [], comparison);
  return comparison;
}

/** True when the comparison found no difference. */
export function isUnchanged(comparison: Comparison): boolean {
  return (
    comparison.added.isEmpty() && comparison.modified.isEmpty() && comparison.removed.isEmpty()
  );
}

function isEmptyish(value: Json | undefined): boolean {
  if (value === undefined || value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonMap(value) && Object.keys(value).length === 0;
}

function walk(
  before: Json | undefined,
  after: Json | undefined,
  type: TypeNode,
  path: PathElement[],
  out: Comparison,
): void {
  // Versions of an object share unchanged subtrees: the same value has no changes below it.
  if (before === after) return;
  const bothEmpty = isEmptyish(before) && isEmptyish(after);
  const maps = (isJsonMap(before) || isEmptyish(before)) && (isJsonMap(after) || isEmptyish(after));
  const lists =
    (Array.isArray(before) || isEmptyish(before)) && (Array.isArray(after) || isEmptyish(after));
  if (!bothEmpty && maps && !type.atomicMap && (isJsonMap(before) || isJsonMap(after))) {
    walkMaps(before as JsonMap | undefined, after as JsonMap | undefined, type, path, out);
  } else if (
    !bothEmpty &&
    lists &&
    type.list.type !== 'atomic' &&
    (Array.isArray(before) || Array.isArray(after))
  ) {
    walkLists(before as Json[] | undefined, after as Json[] | undefined, type, path, out);
  } else {
    leaf(before, after, path, out);
    return;
  }
  if (path.length === 0) return;
  if (before === undefined) out.added.insert(path);
  else if (after === undefined) out.removed.insert(path);
}

function leaf(
  before: Json | undefined,
  after: Json | undefined,
  path: PathElement[],
  out: Comparison,
) {
  if (path.length === 0) return;
  if (before === undefined) out.added.insert(path);
  else if (after === undefined) out.removed.insert(path);
  else if (!jsonEqual(before, after)) out.modified.insert(path);
}

function walkMaps(
  before: JsonMap | undefined,
  after: JsonMap | undefined,
  type: TypeNode,
  path: PathElement[],
  out: Comparison,
): void {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const b = isJsonMap(before) ? before[key] : undefined;
    const a = isJsonMap(after) ? after[key] : undefined;
    if (b === undefined && a === undefined) continue;
    walk(b, a, type.field(key), [...path, fieldElement(key)], out);
  }
}

function walkLists(
  before: Json[] | undefined,
  after: Json[] | undefined,
  type: TypeNode,
  path: PathElement[],
  out: Comparison,
): void {
  const list = type.list;
  const ignored: { path: string; message: string }[] = [];
  const at = () => '';
  const b = indexList(Array.isArray(before) ? before : [], list, at, ignored, false);
  const a = indexList(Array.isArray(after) ? after : [], list, at, ignored, false);
  const itemType = type.item();
  const elements = new Set([...b.order, ...a.order]);
  for (const element of elements) {
    walk(b.byElement.get(element), a.byElement.get(element), itemType, [...path, element], out);
  }
}
