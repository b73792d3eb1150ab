/**
 * Merges an applied configuration into the live object (SMD `TypedValue.Merge`
 * with the keep-right-hand-side rule): maps merge member by member, atomic
 * values are replaced, associative lists and sets merge element by element in
 * the order SMD's `visitListItems` produces (live order, with the applied
 * order imposed on shared elements and new elements placed where the
 * configuration puts them). Pure function; inputs are not modified, and
 * what the configuration leaves as it is comes back as the live value itself
 * (same reference), so comparing the result with the live object is cheap.
 */
import { Json, JsonMap, isJsonMap, jsonEqual } from '../api/json';
import { TypeNode } from '../schema/field-types';
import { PathElement } from './field-path';
import { TypedProblem, indexList } from './list-elements';

/** `live` with `config` merged in; either may be undefined. */
export function mergeValues(
  live: Json | undefined,
  config: Json | undefined,
  type: TypeNode,
  problems: TypedProblem[] = [],
): Json | undefined {
  if (config === undefined) return live;
  if (live === undefined) return config;
  const liveEmpty = isEmptyish(live);
  const configEmpty = isEmptyish(config);
  if (liveEmpty && configEmpty) return config;
  if (isMapLike(live) && isMapLike(config) && !type.atomicMap) {
    return mergeMaps(live as JsonMap | null, config as JsonMap | null, type, problems);
  }
  if (isListLike(live) && isListLike(config) && type.list.type !== 'atomic') {
    const merged = mergeLists(asList(live), asList(config), type, problems);
    return Array.isArray(live) && sameItems(merged, live) ? live : merged;
  }
  return jsonEqual(live, config) ? live : config;
}

function sameItems(a: readonly Json[], b: readonly Json[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function isEmptyish(value: Json): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonMap(value) && Object.keys(value).length === 0;
}

function isMapLike(value: Json): boolean {
  return value === null || isJsonMap(value);
}

function isListLike(value: Json): boolean {
  return value === null || Array.isArray(value);
}

function asList(value: Json): Json[] {
  return Array.isArray(value) ? value : [];
}

function mergeMaps(
  live: JsonMap | null,
  config: JsonMap | null,
  type: TypeNode,
  problems: TypedProblem[],
): JsonMap {
  const out: JsonMap = {};
  const l = live ?? {};
  const c = config ?? {};
  let same = live !== null;
  for (const key of Object.keys(l)) {
    const merged = mergeValues(l[key], c[key], type.field(key), problems);
    if (merged !== undefined) out[key] = merged;
    if (merged !== l[key]) same = false;
  }
  for (const key of Object.keys(c)) {
    if (Object.prototype.hasOwnProperty.call(l, key)) continue;
    const merged = mergeValues(undefined, c[key], type.field(key), problems);
    if (merged !== undefined) {
      out[key] = merged;
      same = false;
    }
  }
  return same && live ? live : out;
}

function mergeLists(
  live: Json[],
  config: Json[],
  type: TypeNode,
  problems: TypedProblem[],
): Json[] {
  const list = type.list;
  const itemType = type.item();
  const at = () => '';
  const lhs = indexList(live, list, at, [], false);
  const rhs = indexList(config, list, at, problems, true);
  const out: Json[] = [];
  const mergeItem = (element: PathElement, withLive: boolean, withConfig: boolean) => {
    const merged = mergeValues(
      withLive ? lhs.byElement.get(element) : undefined,
      withConfig ? rhs.byElement.get(element) : undefined,
      itemType,
      problems,
    );
    if (merged !== undefined) out.push(merged);
  };

  // The ordering loop of SMD typed/merge.go visitListItems, element for element.
  const shared = rhs.order.filter((element) => lhs.byElement.has(element));
  let nextShared = shared.shift();
  const takeNextShared = () => {
    nextShared = shared.shift();
  };
  let li = 0;
  let ri = 0;
  while (li < lhs.order.length || ri < rhs.order.length) {
    if (li < lhs.order.length && ri < rhs.order.length) {
      const element = lhs.order[li];
      if (element === rhs.order[ri]) {
        mergeItem(element, true, true);
        li++;
        ri++;
        takeNextShared();
        continue;
      }
      if (rhs.byElement.has(element) && nextShared !== undefined && nextShared !== element) {
        li++;
        continue;
      }
    }
    if (li < lhs.order.length && !rhs.byElement.has(lhs.order[li])) {
      mergeItem(lhs.order[li], true, false);
      li++;
      continue;
    }
    if (ri < rhs.order.length) {
      const element = rhs.order[ri];
      mergeItem(element, lhs.byElement.has(element), true);
      ri++;
      if (nextShared === element) takeNextShared();
      continue;
    }
    // Only shared live elements that were already merged remain.
    li++;
  }
  return out;
}
