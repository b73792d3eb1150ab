/**
 * Removes the fields of a set from a value (SMD `TypedValue.RemoveItems`): a
 * member path removes that map member or list element with everything below
 * it; child paths are removed inside it; a map or list left empty by the
 * removal disappears. Pure function.
 */
import { Json, JsonMap, isJsonMap } from '../api/json';
import { TypeNode } from '../schema/field-types';
import { fieldElement } from './field-path';
import { FieldSet } from './field-set';
import { listElement } from './list-elements';

/** `value` without the fields of `set`; undefined when nothing is left of a map or list. */
export function removeFields(value: Json, set: FieldSet, type: TypeNode): Json | undefined {
  if (Array.isArray(value)) {
    const list = type.list;
    if (value.length === 0 || list.type === 'atomic') return value;
    const itemType = type.item();
    const kept: Json[] = [];
    for (const item of value) {
      const result = listElement(item, list);
      if ('problem' in result) {
        kept.push(item);
        continue;
      }
      if (set.hasMember(result.element)) continue;
      const below = set.withPrefix(result.element);
      const rest = below.isEmpty() ? item : removeFields(item, below, itemType);
      if (rest !== undefined) kept.push(rest);
    }
    return kept.length ? kept : undefined;
  }
  if (isJsonMap(value)) {
    if (Object.keys(value).length === 0 || type.atomicMap) return value;
    const kept: JsonMap = {};
    for (const key of Object.keys(value)) {
      const element = fieldElement(key);
      if (set.hasMember(element)) continue;
      const below = set.withPrefix(element);
      const rest = below.isEmpty() ? value[key] : removeFields(value[key], below, type.field(key));
      if (rest !== undefined) kept[key] = rest;
    }
    return Object.keys(kept).length ? kept : undefined;
  }
  return value;
}
