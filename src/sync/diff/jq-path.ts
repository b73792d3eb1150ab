/**
 * The jq that `ignoreDifferences[].jqPathExpressions` are written in (pure
 * functions): Argo CD deletes what an expression selects (`del(<expr>)`
 * with gojq), so an expression is a path, narrowed by `select`. Read here:
 *
 * - paths: `.a.b`, `.a."k"`, `.a["k.e/y"]`, `.a[2]`, `.a[-1]`, `.a[]`, `.`,
 *   `?` after a step, stages joined by `|`;
 * - `select(<condition>)`, where a condition is built from paths, literals
 *   (strings, numbers, `true`, `false`, `null`), `==` `!=` `<` `<=` `>`
 *   `>=`, `and`, `or`, parentheses, `|`, arrays and objects written as JSON,
 *   and the functions `not`,
 *   `startswith(s)`, `endswith(s)`, `contains(v)`, `has(k)`, `length`,
 *   `ascii_downcase`, `ascii_upcase`, e.g.
 *   `.spec.template.spec.containers[] | select(.name | startswith("istio-"))`.
 *
 * Anything else is refused with the reason (jq-parse.ts: `parseJqPath`), so
 * a rule never ignores nothing in silence. Regular expressions (`test`,
 * `match`) are refused on purpose: a user's pattern run over every watched
 * object is a denial-of-service waiting to happen (GO-2024-2792).
 * Where jq would stop with an error (`startswith` of a number), the item is
 * not selected.
 */
import { isPlainObject } from '../../labels/label-rules';
import { JsonPath, JsonValue } from '../manifests/kube-object';
import { Comparator, Expr, FunctionName, JqPath, Step } from './jq-parse';
import { childOf } from './json-path';

/** No value: what jq would stop on (`startswith` of a number). */
const NOTHING = Symbol('nothing');
type Result = JsonValue | typeof NOTHING;

/** Every concrete path `stages` select in `root` (never the root itself). */
export function selectedPaths(stages: JqPath, root: JsonValue): JsonPath[] {
  let current: [JsonPath, JsonValue][] = [[[], root]];
  for (const stage of stages) {
    current =
      stage.kind === 'path'
        ? current.flatMap(([path, value]) => walk(stage.steps, path, value))
        : current.filter(([, value]) => evaluate(stage.condition, value).some(truthy));
  }
  return current.map(([path]) => path).filter((path) => path.length > 0);
}

function walk(steps: readonly Step[], path: JsonPath, value: JsonValue): [JsonPath, JsonValue][] {
  let current: [JsonPath, JsonValue][] = [[path, value]];
  for (const step of steps) {
    const next: [JsonPath, JsonValue][] = [];
    for (const [at, item] of current) {
      if (step.kind === 'key') {
        const found = childOf(item, step.key);
        if (found !== undefined && isPlainObject(item)) next.push([[...at, step.key], found]);
      } else if (step.kind === 'index') {
        if (!Array.isArray(item)) continue;
        const index = step.index < 0 ? item.length + step.index : step.index;
        if (index >= 0 && index < item.length) next.push([[...at, index], item[index]]);
      } else if (Array.isArray(item)) {
        item.forEach((element, index) => next.push([[...at, index], element]));
      } else if (isPlainObject(item)) {
        for (const [key, element] of Object.entries(item))
          next.push([[...at, key], element as JsonValue]);
      }
    }
    current = next;
  }
  return current;
}

/**
 * The values `expr` gives for `input`, as jq gives them: `.a[]` gives one
 * per item, and an operator combines every value of its left side with
 * every value of its right. What jq would stop on gives none.
 */
function evaluate(expr: Expr, input: JsonValue): JsonValue[] {
  switch (expr.kind) {
    case 'literal':
      return [expr.value];
    case 'path':
      return expr.steps.reduce<JsonValue[]>(
        (values, step) => values.flatMap((value) => stepInto(value, step)),
        [input],
      );
    case 'pipe':
      return evaluate(expr.left, input).flatMap((value) => evaluate(expr.right, value));
    case 'and':
    case 'or':
      return evaluate(expr.left, input).flatMap((left) =>
        // jq skips the right side when the left decides.
        (expr.kind === 'and' ? !truthy(left) : truthy(left))
          ? [expr.kind === 'or']
          : evaluate(expr.right, input).map(truthy),
      );
    case 'compare': {
      const rights = evaluate(expr.right, input);
      return evaluate(expr.left, input).flatMap((left) =>
        rights.map((right) => compareWith(expr.op, order(left, right))),
      );
    }
    case 'call': {
      if (!expr.argument) return present(call(expr.name, input, undefined));
      return evaluate(expr.argument, input).flatMap((argument) =>
        present(call(expr.name, input, argument)),
      );
    }
  }
}

/** One step as jq takes it: a missing field or index is null, a step into the wrong type an error. */
function stepInto(value: JsonValue, step: Step): JsonValue[] {
  if (step.kind === 'each') {
    if (Array.isArray(value)) return value;
    return isPlainObject(value) ? (Object.values(value) as JsonValue[]) : [];
  }
  if (value === null) return [null];
  if (step.kind === 'key') {
    return isPlainObject(value) ? [childOf(value, step.key) ?? null] : [];
  }
  if (!Array.isArray(value)) return [];
  return [value[step.index < 0 ? value.length + step.index : step.index] ?? null];
}

function present(result: Result): JsonValue[] {
  return result === NOTHING ? [] : [result];
}

function call(name: FunctionName, input: JsonValue, argument: JsonValue | undefined): Result {
  switch (name) {
    case 'not':
      return !truthy(input);
    case 'length':
      if (typeof input === 'string') return [...input].length;
      if (Array.isArray(input)) return input.length;
      if (isPlainObject(input)) return Object.keys(input).length;
      if (typeof input === 'number') return Math.abs(input);
      return input === null ? 0 : NOTHING;
    case 'ascii_downcase':
    case 'ascii_upcase':
      if (typeof input !== 'string') return NOTHING;
      return input.replace(/[A-Za-z]/g, (letter) =>
        name === 'ascii_downcase' ? letter.toLowerCase() : letter.toUpperCase(),
      );
    case 'startswith':
    case 'endswith':
      if (typeof input !== 'string' || typeof argument !== 'string') return NOTHING;
      return name === 'startswith' ? input.startsWith(argument) : input.endsWith(argument);
    case 'contains':
      if (argument === undefined || typeOrder(input) !== typeOrder(argument)) return NOTHING;
      return contains(input, argument);
    case 'has':
      if (isPlainObject(input) && typeof argument === 'string')
        return Object.hasOwn(input, argument);
      if (Array.isArray(input) && typeof argument === 'number')
        return argument >= 0 && argument < input.length;
      return NOTHING;
  }
}

/** jq's `contains`: substrings, every wanted item in some item, every wanted key recursively. */
function contains(value: JsonValue, wanted: JsonValue): boolean {
  if (typeof value === 'string' && typeof wanted === 'string') return value.includes(wanted);
  if (Array.isArray(value) && Array.isArray(wanted)) {
    return wanted.every((item) => value.some((candidate) => sameTypeContains(candidate, item)));
  }
  if (isPlainObject(value) && isPlainObject(wanted)) {
    return Object.entries(wanted).every(
      ([key, item]) => Object.hasOwn(value, key) && sameTypeContains(value[key], item),
    );
  }
  return order(value, wanted) === 0;
}

function sameTypeContains(value: JsonValue, wanted: JsonValue): boolean {
  return typeOrder(value) === typeOrder(wanted) && contains(value, wanted);
}

function truthy(value: JsonValue): boolean {
  return value !== null && value !== false;
}

function compareWith(op: Comparator, ordered: number): boolean {
  switch (op) {
    case '==':
      return ordered === 0;
    case '!=':
      return ordered !== 0;
    case '<':
      return ordered < 0;
    case '<=':
      return ordered <= 0;
    case '>':
      return ordered > 0;
    case '>=':
      return ordered >= 0;
  }
}

/** jq's order of types: null, false, true, numbers, strings, arrays, objects. */
function typeOrder(value: JsonValue): number {
  if (value === null) return 0;
  if (value === false) return 1;
  if (value === true) return 2;
  if (typeof value === 'number') return 3;
  if (typeof value === 'string') return 4;
  return Array.isArray(value) ? 5 : 6;
}

/** jq's total order of values (negative, 0, positive). */
function order(a: JsonValue, b: JsonValue): number {
  const byType = typeOrder(a) - typeOrder(b);
  if (byType !== 0) return byType;
  if (typeof a === 'number') return a - (b as number);
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (Array.isArray(a)) {
    const other = b as JsonValue[];
    for (let i = 0; i < Math.min(a.length, other.length); i++) {
      const item = order(a[i], other[i]);
      if (item !== 0) return item;
    }
    return a.length - other.length;
  }
  if (isPlainObject(a)) {
    const left = a as Record<string, JsonValue>;
    const right = b as Record<string, JsonValue>;
    const keys = order(Object.keys(left).sort(), Object.keys(right).sort());
    if (keys !== 0) return keys;
    for (const key of Object.keys(left).sort()) {
      const item = order(left[key], right[key]);
      if (item !== 0) return item;
    }
  }
  return 0;
}
