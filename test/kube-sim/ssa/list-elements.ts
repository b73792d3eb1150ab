/**
 * The path element that names one element of an associative list or set
 * (SMD `listItemToPathElement`), and the indexing of a list by those
 * elements. Pure functions.
 */
import { Json, isJsonMap } from '../api/json';
import { ListSemantics } from '../schema/field-types';
import { PathElement, describeElement, keyElement, valueElement } from './field-path';

/** A schema violation found while walking a value; `path` is printed SMD-style. */
export interface TypedProblem {
  readonly path: string;
  readonly message: string;
}

/** The element naming `item`, or a problem when the item cannot be keyed. */
export function listElement(
  item: Json,
  list: ListSemantics,
): { element: PathElement } | { problem: string } {
  if (list.type === 'set') {
    if (item !== null && typeof item === 'object') {
      return { problem: 'expected a set element to be a scalar' };
    }
    return { element: valueElement(item) };
  }
  if (list.type !== 'map') return { problem: 'atomic lists have no element paths' };
  if (!isJsonMap(item))
    return { problem: 'associative list with keys has an element that is not a map' };
  const fields: Record<string, Json> = {};
  for (const key of list.keys) {
    const value = item[key] ?? list.keyDefaults?.[key];
    if (value === undefined) {
      return {
        problem: `associative list with keys has an element that omits key field "${key}" (and doesn't have default value)`,
      };
    }
    fields[key] = value;
  }
  return { element: keyElement(fields) };
}

/** A list indexed by element: order of first appearance, and the first value of each element. */
export interface IndexedList {
  readonly order: PathElement[];
  readonly byElement: Map<PathElement, Json>;
}

/**
 * Indexes `items`. Duplicates are reported when `strict` (an applied
 * configuration must not repeat a key) and otherwise ignored after the first,
 * as SMD's compare does for live objects.
 */
export function indexList(
  items: readonly Json[],
  list: ListSemantics,
  at: () => string,
  problems: TypedProblem[],
  strict: boolean,
): IndexedList {
  const order: PathElement[] = [];
  const byElement = new Map<PathElement, Json>();
  items.forEach((item, index) => {
    const result = listElement(item, list);
    if ('problem' in result) {
      problems.push({ path: at(), message: `element ${index}: ${result.problem}` });
      return;
    }
    if (byElement.has(result.element)) {
      if (strict) {
        problems.push({
          path: at(),
          message: `duplicate entries for key ${describeElement(result.element)}`,
        });
      }
      return;
    }
    byElement.set(result.element, item);
    order.push(result.element);
  });
  return { order, byElement };
}
