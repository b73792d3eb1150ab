/**
 * The set of fields a value sets (SMD `TypedValue.ToFieldSet`): every scalar,
 * every atomic list or map as a whole, every element of an associative list
 * or set (and its contents), and every member that is null or an empty map.
 * This is what an applier owns after applying a configuration. Pure function.
 */
import { Json, isJsonMap } from '../api/json';
import { TypeNode } from '../schema/field-types';
import { PathElement, describePath, fieldElement } from './field-path';
import { FieldSet } from './field-set';
import { TypedProblem, indexList } from './list-elements';

/**
 * Fields set by `value`. Duplicate keys and elements without their key are
 * reported in `problems` (an applied configuration must be unambiguous).
 */
export function toFieldSet(value: Json, type: TypeNode, problems: TypedProblem[]): FieldSet {
  const set = new FieldSet();
  collect(value, type, [], set, problems);
  return set;
}

function collect(
  value: Json,
  type: TypeNode,
  path: PathElement[],
  set: FieldSet,
  problems: TypedProblem[],
): void {
  if (Array.isArray(value)) {
    const list = type.list;
    if (list.type === 'atomic') {
      set.insert(path);
      return;
    }
    const indexed = indexList(value, list, () => describePath(path), problems, true);
    const itemType = type.item();
    for (const element of indexed.order) {
      const itemPath = [...path, element];
      collect(indexed.byElement.get(element) as Json, itemType, itemPath, set, problems);
      set.insert(itemPath);
    }
    return;
  }
  if (isJsonMap(value)) {
    if (type.atomicMap) {
      set.insert(path);
      return;
    }
    for (const key of Object.keys(value)) {
      const child = value[key];
      const childPath = [...path, fieldElement(key)];
      if (child === null || (isJsonMap(child) && Object.keys(child).length === 0)) {
        set.insert(childPath);
      } else {
        collect(child, type.field(key), childPath, set, problems);
      }
    }
    return;
  }
  set.insert(path);
}
