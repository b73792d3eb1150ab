/**
 * `spec.ignoreDifferences` (pure functions): fields of chosen resources that
 * do not count in the comparison, as Argo CD's: a rule matches by `kind`
 * (required), `group`, `name` and `namespace`, and names fields with
 * `jsonPointers` (RFC 6901) or `jqPathExpressions`. Those fields are left
 * out of both sides before diffing, so an HPA's replicas or a webhook's
 * injected `caBundle` do not make the Application OutOfSync; with
 * `RespectIgnoreDifferences=true` a sync also keeps their live values.
 *
 * jq is a language; the paths users write for this are its path subset:
 * `.a.b`, `.a["k.e/y"]`, `.a."k"`, `.a[2]`, `.a[]`, an optional `?` after a
 * step, and `| select(<path> == <literal>)` (or `!=`, several joined with
 * `and`/`or`), e.g.
 * `.spec.template.spec.containers[] | select(.name == "istio-proxy")`.
 * Anything else is refused by name (`ignoreDifferencesProblems`) instead of
 * ignoring nothing. `managedFieldsManagers` names field managers whose
 * fields in the live object do not count where the two sides differ (an
 * HPA's `kube-controller-manager`, see managed-fields.ts).
 */
import { FieldProblem } from '../../common/field-problem';
import { isPlainObject } from '../../labels/label-rules';
import { JsonPath, JsonValue, KubeObject, ObjectRef, refOf } from '../manifests/kube-object';
import { ResourceDiff, diffResource } from './diff-resources';
import { ownedDifferences } from './managed-fields';

/** One compiled rule. */
export interface IgnoreRule {
  readonly group?: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  /** Each finds the concrete paths it names in an object. */
  readonly paths: readonly PathFinder[];
  /** Field managers whose differing fields do not count (`managedFieldsManagers`). */
  readonly managers: readonly string[];
}

type PathFinder = (value: JsonValue) => JsonPath[];

/** The rules of `spec.ignoreDifferences`, skipping entries `ignoreDifferencesProblems` refuses. */
export function compileIgnoreDifferences(spec: unknown): IgnoreRule[] {
  if (!Array.isArray(spec)) return [];
  const rules: IgnoreRule[] = [];
  for (const entry of spec) {
    if (!isPlainObject(entry) || typeof entry.kind !== 'string') continue;
    const paths: PathFinder[] = [];
    for (const pointer of stringList(entry.jsonPointers)) {
      const path = parsePointer(pointer);
      if (path) paths.push((value) => concrete(value, path));
    }
    for (const expression of stringList(entry.jqPathExpressions)) {
      const parsed = parseJqPath(expression);
      if (typeof parsed !== 'string') paths.push((value) => evaluate(parsed, value));
    }
    rules.push({
      kind: entry.kind,
      ...(typeof entry.group === 'string' ? { group: entry.group } : {}),
      ...(typeof entry.name === 'string' && entry.name ? { name: entry.name } : {}),
      ...(typeof entry.namespace === 'string' && entry.namespace
        ? { namespace: entry.namespace }
        : {}),
      paths,
      managers: stringList(entry.managedFieldsManagers),
    });
  }
  return rules;
}

/**
 * What `compileIgnoreDifferences` cannot honour, named by field: a JSON
 * pointer that does not start with `/`, a jq expression outside the path
 * subset, a manager that is not a name.
 */
export function ignoreDifferencesProblems(
  spec: unknown,
  at = 'spec.ignoreDifferences',
): FieldProblem[] {
  if (!Array.isArray(spec)) return [];
  const problems: FieldProblem[] = [];
  spec.forEach((entry, index) => {
    if (!isPlainObject(entry)) return;
    const field = `${at}[${index}]`;
    stringList(entry.jsonPointers).forEach((pointer, i) => {
      if (!parsePointer(pointer)) {
        problems.push({
          field: `${field}.jsonPointers[${i}]`,
          rule: 'json-pointer',
          message: `"${pointer}" is not a JSON pointer (RFC 6901: "/spec/replicas", "/metadata/annotations/a~1b")`,
        });
      }
    });
    stringList(entry.jqPathExpressions).forEach((expression, i) => {
      const parsed = parseJqPath(expression);
      if (typeof parsed === 'string') {
        problems.push({
          field: `${field}.jqPathExpressions[${i}]`,
          rule: 'jq-path',
          message: `${parsed}; Fleetplane reads jq paths (.a.b, .a["k"], .a[0], .a[], | select(.k == "v"))`,
        });
      }
    });
    stringList(entry.managedFieldsManagers).forEach((manager, i) => {
      if (manager.trim() === '') {
        problems.push({
          field: `${field}.managedFieldsManagers[${i}]`,
          rule: 'non-empty',
          message: 'must name a field manager (as metadata.managedFields[].manager shows it)',
        });
      }
    });
  });
  return problems;
}

/** The rules that apply to `ref` (Argo: kind and group must match, name and namespace when set). */
export function rulesFor(rules: readonly IgnoreRule[], ref: ObjectRef): IgnoreRule[] {
  return rules.filter(
    (rule) =>
      rule.kind === ref.kind &&
      (rule.group === undefined || rule.group === ref.group) &&
      (rule.name === undefined || rule.name === ref.name) &&
      (rule.namespace === undefined || rule.namespace === ref.namespace),
  );
}

/**
 * `diffResource` without the fields `ignore` names for this resource (on both
 * sides: a field only one side has is no difference either).
 */
export function diffIgnoring(
  desired: KubeObject | undefined,
  live: KubeObject | undefined,
  ignore: readonly IgnoreRule[],
): ResourceDiff {
  const rules = ignore.length > 0 && desired && live ? rulesFor(ignore, refOf(desired)) : [];
  if (rules.length === 0) return diffResource(desired, live);
  const wanted = withoutIgnored(desired!, rules);
  const actual = withoutIgnored(live!, rules);
  const owned = ownedDifferences(wanted, actual, managersOf(rules));
  if (owned.length === 0) return diffResource(wanted, actual);
  return diffResource(
    withoutPaths(
      wanted,
      owned.map((field) => field.desired),
    ),
    withoutPaths(
      actual,
      owned.map((field) => field.live),
    ),
  );
}

/** Every concrete path the rules name in `object`. */
export function ignoredPaths(rules: readonly IgnoreRule[], object: KubeObject): JsonPath[] {
  const root = object as unknown as JsonValue;
  return rules.flatMap((rule) => rule.paths.flatMap((find) => find(root)));
}

/** `object` without the fields the rules name (a copy; `object` is not changed). */
export function withoutIgnored(object: KubeObject, rules: readonly IgnoreRule[]): KubeObject {
  if (rules.length === 0) return object;
  return withoutPaths(object, ignoredPaths(rules, object));
}

/** `object` without `paths` (a copy when there are any). */
function withoutPaths(object: KubeObject, paths: readonly JsonPath[]): KubeObject {
  if (paths.length === 0) return object;
  const copy = structuredClone(object) as unknown as JsonValue;
  // Later array elements first, so removing one does not move the next.
  for (const path of sortForRemoval(paths)) remove(copy, path);
  return copy as unknown as KubeObject;
}

function managersOf(rules: readonly IgnoreRule[]): string[] {
  return [...new Set(rules.flatMap((rule) => rule.managers))];
}

/**
 * `desired` with the ignored fields as `live` has them
 * (`RespectIgnoreDifferences=true`): a field the rules name in the live
 * object takes its live value, one they name only in the desired object is
 * left out, so a sync never reverts what the rules ignore.
 */
export function withIgnoredFromLive(
  desired: KubeObject,
  live: KubeObject,
  rules: readonly IgnoreRule[],
): KubeObject {
  if (rules.length === 0) return desired;
  const inLive = ignoredPaths(rules, live);
  const inDesired = ignoredPaths(rules, desired);
  const liveRoot = live as unknown as JsonValue;
  let result = desired;
  if (inLive.length > 0 || inDesired.length > 0) {
    const copy = structuredClone(desired) as unknown as JsonValue;
    const kept = new Set(inLive.map((path) => JSON.stringify(path)));
    for (const path of sortForRemoval(inDesired.filter((p) => !kept.has(JSON.stringify(p))))) {
      remove(copy, path);
    }
    for (const path of inLive) set(copy, path, structuredClone(get(liveRoot, path)!));
    result = copy as unknown as KubeObject;
  }
  // A field another manager owns and changed keeps its live value too (found after the paths
  // above: their removals may have moved list items).
  const owned = ownedDifferences(result, live, managersOf(rules));
  if (owned.length === 0) return result;
  const copy = structuredClone(result) as unknown as JsonValue;
  for (const field of owned) set(copy, field.desired, structuredClone(get(liveRoot, field.live)!));
  return copy as unknown as KubeObject;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/** RFC 6901: `''` is the whole document (never ignored whole here), else `/`-separated, `~1` `/`, `~0` `~`. */
function parsePointer(pointer: string): JsonPath | undefined {
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function child(value: JsonValue | undefined, key: string | number): JsonValue | undefined {
  if (Array.isArray(value)) {
    const index = typeof key === 'number' ? key : /^(0|[1-9]\d*)$/.test(key) ? Number(key) : NaN;
    return Number.isInteger(index) ? value[index] : undefined;
  }
  if (isPlainObject(value) && Object.hasOwn(value, String(key))) {
    return (value as Record<string, JsonValue>)[String(key)];
  }
  return undefined;
}

function get(value: JsonValue, path: JsonPath): JsonValue | undefined {
  let current: JsonValue | undefined = value;
  for (const key of path) current = child(current, key);
  return current;
}

/**
 * `path` as found in `value` (a pointer's tokens are text: those that index
 * an array become numbers), or nothing when `value` lacks it.
 */
function concrete(value: JsonValue, path: JsonPath): JsonPath[] {
  const found: (string | number)[] = [];
  let current: JsonValue | undefined = value;
  for (const token of path) {
    const key = Array.isArray(current) ? Number(token) : token;
    current = child(current, key);
    if (current === undefined) return [];
    found.push(key);
  }
  return [found];
}

function remove(value: JsonValue, path: JsonPath): void {
  const parent = get(value, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (Number.isInteger(index) && index < parent.length) parent.splice(index, 1);
  } else if (isPlainObject(parent)) {
    delete (parent as Record<string, JsonValue>)[String(key)];
  }
}

/** Sets `path` in `value`, creating the objects on the way (an array index past the end appends). */
function set(value: JsonValue, path: JsonPath, item: JsonValue): void {
  let current = value;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    const last = i === path.length - 1;
    if (Array.isArray(current)) {
      const index = Math.min(Number(key), current.length);
      if (last) current[index] = item;
      else current = current[index] ??= typeof path[i + 1] === 'number' ? [] : {};
    } else if (isPlainObject(current)) {
      const record = current as Record<string, JsonValue>;
      if (last) record[String(key)] = item;
      else {
        const next = record[String(key)];
        current =
          isPlainObject(next) || Array.isArray(next)
            ? next
            : (record[String(key)] = typeof path[i + 1] === 'number' ? [] : {});
      }
    } else {
      return;
    }
  }
}

function sortForRemoval(paths: readonly JsonPath[]): JsonPath[] {
  return [...paths].sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] === b[i]) continue;
      if (typeof a[i] === 'number' && typeof b[i] === 'number')
        return (b[i] as number) - (a[i] as number);
      return String(a[i]) < String(b[i]) ? -1 : 1;
    }
    return b.length - a.length;
  });
}

// --- the jq path subset ---------------------------------------------------

// A step never fails here (a missing field or a non-array yields nothing), so jq's `?` is read and
// changes nothing.
type Step =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'each' };

type Condition =
  | {
      readonly kind: 'compare';
      readonly path: readonly Step[];
      readonly equal: boolean;
      readonly literal: JsonValue;
    }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition };

type Stage =
  | { readonly kind: 'path'; readonly steps: readonly Step[] }
  | { readonly kind: 'select'; readonly condition: Condition };

/** The stages of `expression`, or why it is outside the subset. */
export function parseJqPath(expression: string): Stage[] | string {
  const parser = new JqParser(expression);
  try {
    const stages = parser.pipeline();
    if (stages.length === 0 || stages[0].kind !== 'path') {
      return `"${expression}" must start with a path (".spec...")`;
    }
    return stages;
  } catch (error) {
    return `"${expression}": ${(error as Error).message}`;
  }
}

function evaluate(stages: readonly Stage[], root: JsonValue): JsonPath[] {
  let current: [JsonPath, JsonValue][] = [[[], root]];
  for (const stage of stages) {
    current =
      stage.kind === 'path'
        ? current.flatMap(([path, value]) => walk(stage.steps, path, value))
        : current.filter(([, value]) => holds(stage.condition, value));
  }
  return current.map(([path]) => path).filter((path) => path.length > 0);
}

function walk(steps: readonly Step[], path: JsonPath, value: JsonValue): [JsonPath, JsonValue][] {
  let current: [JsonPath, JsonValue][] = [[path, value]];
  for (const step of steps) {
    const next: [JsonPath, JsonValue][] = [];
    for (const [at, item] of current) {
      if (step.kind === 'key') {
        const found = child(item, step.key);
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

function holds(condition: Condition, value: JsonValue): boolean {
  if (condition.kind !== 'compare') {
    return condition.kind === 'and'
      ? holds(condition.left, value) && holds(condition.right, value)
      : holds(condition.left, value) || holds(condition.right, value);
  }
  const found = walk(condition.path, [], value);
  // jq reads a missing field as null.
  const actual = found.length > 0 ? found[0][1] : null;
  const same = JSON.stringify(actual) === JSON.stringify(condition.literal);
  return condition.equal ? same : !same;
}

class JqParser {
  private at = 0;

  constructor(private readonly text: string) {}

  pipeline(): Stage[] {
    const stages: Stage[] = [this.stage()];
    this.space();
    while (this.eat('|')) {
      stages.push(this.stage());
      this.space();
    }
    if (this.at < this.text.length) this.fail(`unexpected "${this.text.slice(this.at)}"`);
    return stages;
  }

  private stage(): Stage {
    this.space();
    if (this.text.startsWith('select', this.at)) {
      this.at += 'select'.length;
      this.space();
      this.expect('(');
      const condition = this.condition();
      this.space();
      this.expect(')');
      return { kind: 'select', condition };
    }
    return { kind: 'path', steps: this.path() };
  }

  private condition(): Condition {
    let left = this.comparison();
    for (;;) {
      this.space();
      const joiner = this.text.startsWith('and', this.at)
        ? 'and'
        : this.text.startsWith('or', this.at)
          ? 'or'
          : undefined;
      if (!joiner) return left;
      this.at += joiner.length;
      left = { kind: joiner, left, right: this.comparison() };
    }
  }

  private comparison(): Condition {
    this.space();
    const path = this.path();
    this.space();
    const equal = this.eat('==')
      ? true
      : this.eat('!=')
        ? false
        : this.fail('expected == or != in select');
    this.space();
    return { kind: 'compare', path, equal, literal: this.literal() };
  }

  private literal(): JsonValue {
    const rest = this.text.slice(this.at);
    const match = /^("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)/.exec(rest);
    if (!match) return this.fail('expected a string, number, true, false or null');
    this.at += match[0].length;
    return JSON.parse(match[0]) as JsonValue;
  }

  /** `.a.b["c"][0][]?`, or `.` alone. */
  private path(): Step[] {
    this.space();
    if (this.text[this.at] !== '.') this.fail('expected a path starting with "."');
    const steps: Step[] = [];
    for (;;) {
      if (this.text[this.at] === '.') {
        this.at++;
        const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.at));
        if (name) {
          this.at += name[0].length;
          steps.push({ kind: 'key', key: name[0] });
          this.eat('?');
        } else if (this.text[this.at] === '"') {
          steps.push({ kind: 'key', key: this.string() });
          this.eat('?');
        } else if (this.text[this.at] !== '[' && steps.length > 0) {
          this.fail('expected a field name after "."');
        }
      } else if (this.text[this.at] === '[') {
        this.at++;
        this.space();
        if (this.eat(']')) {
          steps.push({ kind: 'each' });
          this.eat('?');
        } else if (this.text[this.at] === '"') {
          const key = this.string();
          this.space();
          this.expect(']');
          steps.push({ kind: 'key', key });
          this.eat('?');
        } else {
          const number = /^-?\d+/.exec(this.text.slice(this.at));
          if (!number) this.fail('expected "]", a string or an index in "[...]"');
          this.at += number![0].length;
          this.space();
          this.expect(']');
          steps.push({ kind: 'index', index: Number(number![0]) });
          this.eat('?');
        }
      } else {
        return steps;
      }
    }
  }

  private string(): string {
    const match = /^"(?:[^"\\]|\\.)*"/.exec(this.text.slice(this.at));
    if (!match) this.fail('unterminated string');
    this.at += match![0].length;
    return JSON.parse(match![0]) as string;
  }

  private space(): void {
    while (this.text[this.at] === ' ' || this.text[this.at] === '\t') this.at++;
  }

  private eat(token: string): boolean {
    if (!this.text.startsWith(token, this.at)) return false;
    this.at += token.length;
    return true;
  }

  private expect(token: string): void {
    if (!this.eat(token)) this.fail(`expected "${token}"`);
  }

  private fail(message: string): never {
    throw new Error(`${message} at character ${this.at + 1}`);
  }
}
