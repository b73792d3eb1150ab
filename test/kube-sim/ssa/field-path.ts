/**
 * Path elements of structured-merge-diff (sigs.k8s.io/structured-merge-diff
 * `fieldpath`), in their serialised fieldsV1 form: `f:name` (a map member),
 * `k:{"name":"web"}` (an associative-list element, key fields sorted by name),
 * `v:"value"` (a set element) and `i:3` (an index, unused by the schemas
 * kube-sim knows). A path is a list of such strings. Pure functions.
 */
import { Json, JsonMap } from '../api/json';

/** A path element in fieldsV1 form, e.g. `f:spec` or `k:{"name":"web"}`. */
export type PathElement = string;
/** A field path from the object root. */
export type FieldPath = readonly PathElement[];

export function fieldElement(name: string): PathElement {
  return `f:${name}`;
}

/** `k:{…}` with the key fields in name order, as SMD sorts a FieldList. */
export function keyElement(fields: Readonly<Record<string, Json>>): PathElement {
  const sorted: JsonMap = {};
  for (const name of Object.keys(fields).sort()) sorted[name] = fields[name];
  return `k:${JSON.stringify(sorted)}`;
}

export function valueElement(value: Json): PathElement {
  return `v:${JSON.stringify(value)}`;
}

const TYPE_RANK: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** The total order of SMD's PathElement.Compare: fields, then keys, values, indices. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  if (a === b) return 0;
  const rankA = TYPE_RANK[a[0]] ?? 4;
  const rankB = TYPE_RANK[b[0]] ?? 4;
  if (rankA !== rankB) return rankA - rankB;
  const bodyA = a.slice(2);
  const bodyB = b.slice(2);
  switch (a[0]) {
    case 'f':
      return compareStrings(bodyA, bodyB);
    case 'k':
      return compareFieldLists(JSON.parse(bodyA) as JsonMap, JSON.parse(bodyB) as JsonMap);
    case 'v':
      return compareValues(JSON.parse(bodyA) as Json, JSON.parse(bodyB) as Json);
    default:
      return Number(bodyA) - Number(bodyB);
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareFieldLists(a: JsonMap, b: JsonMap): number {
  const aNames = Object.keys(a);
  const bNames = Object.keys(b);
  for (let i = 0; ; i++) {
    if (i >= aNames.length && i >= bNames.length) return 0;
    if (i >= aNames.length) return -1;
    if (i >= bNames.length) return 1;
    const byName = compareStrings(aNames[i], bNames[i]);
    if (byName !== 0) return byName;
    const byValue = compareValues(a[aNames[i]], b[bNames[i]]);
    if (byValue !== 0) return byValue;
  }
}

/** SMD value.Compare: numbers < strings < booleans < lists < maps < null. */
function compareValues(a: Json, b: Json): number {
  const rank = (v: Json): number =>
    typeof v === 'number'
      ? 0
      : typeof v === 'string'
        ? 1
        : typeof v === 'boolean'
          ? 2
          : Array.isArray(v)
            ? 3
            : v === null
              ? 5
              : 4;
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return compareStrings(JSON.stringify(a), JSON.stringify(b));
}

/**
 * One element as SMD's PathElement.String prints it in conflict messages
 * (values in JSON form, which is how Go's `%q` prints the strings of keys).
 */
export function describeElement(element: PathElement): string {
  const body = element.slice(2);
  switch (element[0]) {
    case 'f':
      return `.${body}`;
    case 'k': {
      const fields = JSON.parse(body) as JsonMap;
      return `[${Object.entries(fields)
        .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
        .join(',')}]`;
    }
    case 'v':
      return `[=${body}]`;
    default:
      return `[${body}]`;
  }
}

/** A whole path as conflict messages print it: `.spec.template.spec.containers[name="web"].image`. */
export function describePath(path: FieldPath): string {
  return path.map(describeElement).join('');
}
