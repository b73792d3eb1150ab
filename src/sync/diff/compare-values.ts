/**
 * Field-by-field comparison with server-side-apply semantics: only what the
 * desired manifest sets is compared. A field that only the server or another
 * manager set (defaults, `status`, labels added by a controller) is not
 * drift; a field we set with another live value is.
 *
 * - Objects: each desired key is compared with the live value at that key.
 * - Lists with merge keys and sets: see list-rules.ts.
 * - Other lists: compared position by position, and the lengths must match
 *   (an item added or removed behind Git's back is drift; fields the server
 *   defaults inside an item are not).
 * - A desired `null` sets nothing (server-side apply drops it); a desired
 *   zero value (`false`, `0`, `""`, `{}`, `[]`) matches an absent live
 *   field, because the API server drops empty and `omitempty` fields.
 * - Quantities under `requests`, `limits`, `hard`, `capacity` and the like
 *   compare by amount (`1000m` equals `1`).
 */
import { fieldPath } from '../../common/field-problem';
import { JsonValue, KubeObject, isJsonObject } from '../manifests/kube-object';
import { ListRule, listRuleFor } from './list-rules';
import { sameQuantity } from './quantity';

/**
 * One field that differs; an absent side is left out (so it is omitted from
 * JSON). At path `''` a side is a whole object (a Missing or Extraneous
 * resource).
 */
export interface Difference {
  /** Where, as people read it: `spec.template.spec.containers[name=web].image`. */
  readonly path: string;
  readonly desired?: JsonValue | KubeObject;
  readonly live?: JsonValue | KubeObject;
}

/** The kind being compared, for kind-specific list rules. */
export interface CompareScope {
  readonly group: string;
  readonly kind: string;
}

// Fields holding maps of resource quantities (ResourceRequirements, ResourceQuota,
// PersistentVolume, LimitRange, Node, RuntimeClass overhead).
const QUANTITY_MAPS = new Set([
  'requests',
  'limits',
  'hard',
  'capacity',
  'allocatable',
  'overhead',
  'podFixed',
  'max',
  'min',
  'default',
  'defaultRequest',
  'maxLimitRequestRatio',
]);
const QUANTITY_FIELDS = new Set(['sizeLimit']);

/**
 * Every difference between the fields `desired` sets and `live` (pure
 * function). `path` and `fieldNames` locate the values (pass `''` and `[]`
 * for whole objects).
 */
export function compareValues(
  desired: JsonValue | undefined,
  live: JsonValue | undefined,
  scope: CompareScope,
  path = '',
  fieldNames: readonly string[] = [],
): Difference[] {
  const found: Difference[] = [];
  // One list of differences and one stack of field names for the whole walk: every
  // comparison of every pass walks the objects, and arrays per field were most of its garbage.
  collect(desired, live, { scope, names: [...fieldNames], found }, path);
  return found;
}

interface Walk {
  readonly scope: CompareScope;
  /** Field names from the root to the value compared, `*` for list items. */
  readonly names: string[];
  readonly found: Difference[];
}

function collect(
  desired: JsonValue | undefined,
  live: JsonValue | undefined,
  walk: Walk,
  path: string,
): void {
  if (desired === undefined || desired === null) return;
  if (live === undefined && isZeroValue(desired)) return;
  if (isJsonObject(desired)) {
    if (!isJsonObject(live)) {
      walk.found.push(difference(path, desired, live));
      return;
    }
    for (const key of Object.keys(desired)) {
      walk.names.push(key);
      collect(desired[key], live[key], walk, fieldPath(path, key));
      walk.names.pop();
    }
    return;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) walk.found.push(difference(path, desired, live));
    else collectLists(desired, live, walk, path);
    return;
  }
  if (!scalarsEqual(desired, live, walk.names)) walk.found.push(difference(path, desired, live));
}

function collectLists(desired: JsonValue[], live: JsonValue[], walk: Walk, path: string): void {
  const rule = listRuleFor(walk.scope.kind, walk.scope.group, walk.names);
  if (rule?.kind === 'set') {
    const present = new Set(live.map((item) => JSON.stringify(item)));
    for (const item of desired) {
      const text = JSON.stringify(item);
      if (!present.has(text)) walk.found.push(difference(`${path}[${text}]`, item, undefined));
    }
    return;
  }
  const byKey = rule?.kind === 'map' && desired.every(isJsonObject) && live.every(isJsonObject);
  if (!byKey && desired.length !== live.length) {
    walk.found.push(difference(path, desired, live));
    return;
  }
  walk.names.push('*');
  for (let i = 0; i < desired.length; i++) {
    if (byKey) {
      const item = desired[i] as Record<string, JsonValue>;
      const key = mergeKey(item, rule);
      const match = live.find((candidate) =>
        sameKey(mergeKey(candidate as Record<string, JsonValue>, rule), key),
      );
      collect(item, match, walk, `${path}[${formatKey(key)}]`);
    } else {
      collect(desired[i], live[i], walk, `${path}[${i}]`);
    }
  }
  walk.names.pop();
}

type MergeKey = readonly [string, JsonValue][];

function mergeKey(
  item: Record<string, JsonValue>,
  rule: Extract<ListRule, { kind: 'map' }>,
): MergeKey {
  return rule.keys.map((key) => [key, item[key] ?? rule.defaults?.[key] ?? null]);
}

function sameKey(a: MergeKey, b: MergeKey): boolean {
  return a.every(([, value], i) => value === b[i][1]);
}

function formatKey(key: MergeKey): string {
  return key
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(',');
}

function scalarsEqual(
  desired: JsonValue,
  live: JsonValue | undefined,
  fieldNames: readonly string[],
): boolean {
  if (desired === live) return true;
  const own = fieldNames[fieldNames.length - 1];
  const parent = fieldNames[fieldNames.length - 2];
  const isQuantity =
    QUANTITY_FIELDS.has(own) || (parent !== undefined && QUANTITY_MAPS.has(parent));
  return isQuantity && sameQuantity(desired, live);
}

function isZeroValue(value: JsonValue): boolean {
  if (value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isJsonObject(value) && Object.keys(value).length === 0;
}

function difference(path: string, desired: JsonValue, live: JsonValue | undefined): Difference {
  return live === undefined ? { path, desired } : { path, desired, live };
}
