/**
 * Strategic merge patch as the API server applies it
 * (apimachinery `util/strategicpatch/patch.go`, `mergeMap` with
 * MergeParallelList and IgnoreUnmatchedNulls): lists with a merge key merge
 * element by element (containers by name, ports by containerPort, ...), lists
 * of primitives with the merge strategy are unions (finalizers), everything
 * else replaces; `null` deletes; and the directives kubectl's client-side
 * apply sends are honoured: `$patch: replace|delete`, `$retainKeys`,
 * `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`.
 * Pure function; the merge keys come from the TypeNode.
 */
import { Json, JsonMap, cloneJson, isJsonMap, jsonEqual } from '../api/json';
import { PatchMeta, TypeNode } from '../schema/field-types';

/** A patch the server refuses; `code` is 400 for malformed directives, 422 otherwise. */
export class StrategicPatchError extends Error {
  constructor(
    message: string,
    readonly code: 400 | 422,
  ) {
    super(message);
    this.name = 'StrategicPatchError';
  }
}

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';
const SET_ELEMENT_ORDER = '$setElementOrder/';

/** `original` with `patch` applied; neither input is modified. */
export function applyStrategicMergePatch(
  original: JsonMap,
  patch: JsonMap,
  type: TypeNode,
): JsonMap {
  return mergeMap(cloneJson(original), cloneJson(patch), type);
}

function mergeMap(original: JsonMap, patch: JsonMap, type: TypeNode): JsonMap {
  if (DIRECTIVE in patch) {
    const directive = patch[DIRECTIVE];
    if (directive === 'replace') {
      delete patch[DIRECTIVE];
      return withoutNulls(patch) as JsonMap;
    }
    if (directive === 'delete') return {};
    throw new StrategicPatchError(`unknown patch type: ${String(directive)} in map`, 400);
  }
  applyRetainKeys(original, patch);
  applyElementOrders(original, patch, type);
  for (const rawKey of Object.keys(patch)) {
    if (rawKey === RETAIN_KEYS || rawKey.startsWith(SET_ELEMENT_ORDER)) continue;
    const deleteList = rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST);
    const key = deleteList ? rawKey.slice(DELETE_FROM_PRIMITIVE_LIST.length) : rawKey;
    const patchValue = patch[rawKey];
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const originalValue = Object.prototype.hasOwnProperty.call(original, key)
      ? original[key]
      : undefined;
    if (deleteList) {
      if (Array.isArray(originalValue) && Array.isArray(patchValue)) {
        original[key] = originalValue.filter((v) => !patchValue.some((p) => jsonEqual(p, v)));
      } else if (originalValue !== undefined && !Array.isArray(patchValue)) {
        throw new StrategicPatchError('invalid patch format for primitive list', 400);
      }
      continue;
    }
    if (originalValue === undefined || kindOf(originalValue) !== kindOf(patchValue)) {
      original[key] = withoutNulls(patchValue) as Json;
    } else if (isJsonMap(originalValue) && isJsonMap(patchValue)) {
      original[key] = mergeMap(originalValue, patchValue, type.field(key));
    } else if (Array.isArray(originalValue) && Array.isArray(patchValue)) {
      const fieldType = type.field(key);
      original[key] =
        fieldType.patch.strategy === 'merge'
          ? mergeList(originalValue, patchValue, fieldType)
          : (withoutNulls(patchValue) as Json);
    } else {
      original[key] = patchValue;
    }
  }
  return original;
}

function kindOf(value: Json): string {
  return Array.isArray(value) ? 'list' : value === null ? 'null' : typeof value;
}

/** `discardNullValuesFromPatch`, recursively, plus directives that have nothing to act on. */
function withoutNulls(value: Json): Json | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    return value
      .filter((item) => !(isJsonMap(item) && DIRECTIVE in item))
      .map((item) => withoutNulls(item) ?? null);
  }
  if (!isJsonMap(value)) return value;
  const out: JsonMap = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === DIRECTIVE || key === RETAIN_KEYS || key.startsWith('$')) continue;
    const cleaned = withoutNulls(child);
    if (cleaned !== undefined) out[key] = cleaned;
  }
  return out;
}

/** `$retainKeys`: members of the original not listed are dropped before merging. */
function applyRetainKeys(original: JsonMap, patch: JsonMap): void {
  if (!(RETAIN_KEYS in patch)) return;
  const keep = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(keep) || !keep.every((k) => typeof k === 'string')) {
    throw new StrategicPatchError('invalid patch format for retainKeys', 400);
  }
  for (const key of Object.keys(original)) if (!keep.includes(key)) delete original[key];
}

/** `$setElementOrder/<field>` (`mergePatchIntoOriginal`): merge the list, then order it. */
function applyElementOrders(original: JsonMap, patch: JsonMap, type: TypeNode): void {
  for (const directiveKey of Object.keys(patch)) {
    if (!directiveKey.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[directiveKey];
    if (!Array.isArray(order))
      throw new StrategicPatchError('invalid patch format for $setElementOrder list', 400);
    const key = directiveKey.slice(SET_ELEMENT_ORDER.length);
    const fieldType = type.field(key);
    const originalList = Array.isArray(original[key]) ? (original[key] as Json[]) : [];
    const patchList = Array.isArray(patch[key]) ? (patch[key] as Json[]) : [];
    let merged: Json[];
    if (originalList.length === 0) merged = patchList;
    else if (patchList.length === 0) merged = originalList;
    else merged = mergeList(originalList, patchList, fieldType);
    const mergeKey = fieldType.patch.mergeKey;
    const inOrder = (item: Json) => indexIn(order, item, mergeKey) >= 0;
    original[key] = normalizeOrder(
      merged.filter(inOrder),
      merged.filter((item) => !inOrder(item)),
      order,
      originalList,
      mergeKey,
    );
    delete patch[key];
  }
}

function mergeList(original: Json[], patch: Json[], type: TypeNode): Json[] {
  const meta: PatchMeta = type.patch;
  const mergeKey = meta.mergeKey;
  let merged: Json[];
  if (!mergeKey) {
    merged = [];
    for (const item of [...original, ...patch]) {
      if (!merged.some((m) => jsonEqual(m, item))) merged.push(item);
    }
  } else {
    merged = mergeKeyedList(original, patch, mergeKey, type.item());
  }
  const inPatch = (item: Json) => indexIn(patch, item, mergeKey) >= 0;
  return normalizeOrder(
    merged.filter(inPatch),
    merged.filter((item) => !inPatch(item)),
    patch,
    original,
    mergeKey,
  );
}

function mergeKeyedList(
  original: Json[],
  patch: Json[],
  mergeKey: string,
  itemType: TypeNode,
): Json[] {
  let result = [...original];
  const plain: JsonMap[] = [];
  let replace = false;
  for (const item of patch) {
    if (!isJsonMap(item))
      throw new StrategicPatchError('invalid patch format: list element is not a map', 400);
    if (!(DIRECTIVE in item)) {
      plain.push(item);
      continue;
    }
    const directive = item[DIRECTIVE];
    if (directive === 'delete') {
      if (!(mergeKey in item)) throw noMergeKey(item, mergeKey);
      result = result.filter((o) => !(isJsonMap(o) && jsonEqual(o[mergeKey], item[mergeKey])));
    } else if (directive === 'replace') {
      replace = true;
    } else {
      throw new StrategicPatchError(`unknown patch type: ${String(directive)} in list`, 400);
    }
  }
  if (replace) return plain.map((item) => withoutNulls(item) as Json);
  for (const item of plain) {
    if (!(mergeKey in item)) throw noMergeKey(item, mergeKey);
    const index = result.findIndex((o) => isJsonMap(o) && jsonEqual(o[mergeKey], item[mergeKey]));
    if (index >= 0) result[index] = mergeMap(result[index] as JsonMap, item, itemType);
    else result.push(withoutNulls(item) as Json);
  }
  return result;
}

function noMergeKey(item: JsonMap, mergeKey: string): StrategicPatchError {
  return new StrategicPatchError(
    `map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`,
    422,
  );
}

/** Position of `item` in `list`, matched by merge key (maps) or value (primitives). */
function indexIn(list: readonly Json[], item: Json, mergeKey: string | undefined): number {
  if (mergeKey && isJsonMap(item)) {
    return list.findIndex(
      (other) => isJsonMap(other) && jsonEqual(other[mergeKey], item[mergeKey]),
    );
  }
  return list.findIndex((other) => jsonEqual(other, item));
}

/**
 * `normalizeElementOrder`: patch items in the patch's order, server-only items
 * in the server's order, then interleaved by their positions in the server
 * list (`mergeSortedSlice`).
 */
function normalizeOrder(
  patchItems: Json[],
  serverOnly: Json[],
  patchOrder: readonly Json[],
  serverOrder: readonly Json[],
  mergeKey: string | undefined,
): Json[] {
  const byOrder = (order: readonly Json[]) => (a: Json, b: Json) => {
    const ia = indexIn(order, a, mergeKey);
    const ib = indexIn(order, b, mergeKey);
    return ia >= 0 && ib >= 0 ? ia - ib : 0;
  };
  const right = [...patchItems].sort(byOrder(patchOrder));
  const left = [...serverOnly].sort(byOrder(serverOrder));
  const out: Json[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
