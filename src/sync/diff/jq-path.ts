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
 * Anything else is refused with the reason (`parseJqPath` returns text), so
 * a rule never ignores nothing in silence. Regular expressions (`test`,
 * `match`) are refused on purpose: a user's pattern run over every watched
 * object is a denial-of-service waiting to happen (GO-2024-2792).
 * Where jq would stop with an error (`startswith` of a number), the item is
 * not selected.
 */
import { isPlainObject } from '../../labels/label-rules';
import { JsonPath, JsonValue } from '../manifests/kube-object';
import { childOf } from './json-path';

// A step never fails here (a missing field or a non-array yields nothing), so jq's `?` is read and
// changes nothing.
type Step =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'each' };

type Comparator = '==' | '!=' | '<' | '<=' | '>' | '>=';

const FUNCTIONS = [
  'not',
  'length',
  'ascii_downcase',
  'ascii_upcase',
  'startswith',
  'endswith',
  'contains',
  'has',
] as const;
type FunctionName = (typeof FUNCTIONS)[number];
const WITH_ARGUMENT: ReadonlySet<FunctionName> = new Set([
  'startswith',
  'endswith',
  'contains',
  'has',
]);

/** An expression inside `select`; it gives any number of values, as in jq (`evaluate`). */
type Expr =
  | { readonly kind: 'path'; readonly steps: readonly Step[] }
  | { readonly kind: 'literal'; readonly value: JsonValue }
  | { readonly kind: 'pipe'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'call'; readonly name: FunctionName; readonly argument?: Expr };

type Stage =
  | { readonly kind: 'path'; readonly steps: readonly Step[] }
  | { readonly kind: 'select'; readonly condition: Expr };

/** A parsed expression (`parseJqPath`). */
export type JqPath = readonly Stage[];

/** No value: what jq would stop on (`startswith` of a number). */
const NOTHING = Symbol('nothing');
type Result = JsonValue | typeof NOTHING;

/** The stages of `expression`, or why it is outside what Fleetplane reads. */
export function parseJqPath(expression: string): JqPath | string {
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
    if (this.word('select')) {
      this.space();
      this.expect('(');
      const condition = this.expression();
      this.space();
      this.expect(')');
      return { kind: 'select', condition };
    }
    return { kind: 'path', steps: this.path() };
  }

  /** `a | b`: pipes bind loosest, as in jq. */
  private expression(): Expr {
    let left = this.disjunction();
    this.space();
    while (this.eat('|')) {
      left = { kind: 'pipe', left, right: this.disjunction() };
      this.space();
    }
    return left;
  }

  private disjunction(): Expr {
    let left = this.conjunction();
    while (this.spaced(() => this.word('or'))) {
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Expr {
    let left = this.comparison();
    while (this.spaced(() => this.word('and'))) {
      left = { kind: 'and', left, right: this.comparison() };
    }
    return left;
  }

  private comparison(): Expr {
    const left = this.term();
    this.space();
    const op = (['==', '!=', '<=', '>=', '<', '>'] as const).find((token) => this.eat(token));
    return op ? { kind: 'compare', op, left, right: this.term() } : left;
  }

  private term(): Expr {
    this.space();
    const next = this.text[this.at];
    if (next === '.') return { kind: 'path', steps: this.path() };
    if (next === '(') {
      this.at++;
      const inner = this.expression();
      this.space();
      this.expect(')');
      return inner;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.at))?.[0];
    if (name && !['true', 'false', 'null'].includes(name)) return this.call(name);
    return { kind: 'literal', value: this.literal() };
  }

  private call(name: string): Expr {
    if (name === 'test' || name === 'match' || name === 'capture') {
      this.fail(`${name} (regular expressions) is not read; use startswith, endswith or contains`);
    }
    if (!(FUNCTIONS as readonly string[]).includes(name)) {
      this.fail(`${name} is not a function Fleetplane reads (${FUNCTIONS.join(', ')})`);
    }
    const fn = name as FunctionName;
    this.at += name.length;
    if (!WITH_ARGUMENT.has(fn)) return { kind: 'call', name: fn };
    this.space();
    this.expect('(');
    const argument = this.expression();
    this.space();
    this.expect(')');
    return { kind: 'call', name: fn, argument };
  }

  private literal(): JsonValue {
    if (this.text[this.at] === '[' || this.text[this.at] === '{') return this.jsonLiteral();
    const rest = this.text.slice(this.at);
    const match = /^("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)/.exec(rest);
    if (!match) return this.fail('expected a path, a string, number, true, false or null');
    this.at += match[0].length;
    return JSON.parse(match[0]) as JsonValue;
  }

  /** An array or object written as JSON (`["a"]`, `{"k": 1}`), for `contains`. */
  private jsonLiteral(): JsonValue {
    let depth = 0;
    for (let i = this.at; i < this.text.length; i++) {
      const char = this.text[i];
      if (char === '"') {
        const string = /^"(?:[^"\\]|\\.)*"/.exec(this.text.slice(i));
        if (!string) break;
        i += string[0].length - 1;
      } else if (char === '[' || char === '{') depth++;
      else if ((char === ']' || char === '}') && --depth === 0) {
        try {
          const value = JSON.parse(this.text.slice(this.at, i + 1)) as JsonValue;
          this.at = i + 1;
          return value;
        } catch {
          break;
        }
      }
    }
    return this.fail('expected an array or object written as JSON');
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

  /** True (and past it) when `word` comes next as a whole word. */
  private word(word: string): boolean {
    if (!this.text.startsWith(word, this.at)) return false;
    if (/[A-Za-z0-9_]/.test(this.text[this.at + word.length] ?? '')) return false;
    this.at += word.length;
    return true;
  }

  /** `read` after spaces; the spaces stay unread when it fails. */
  private spaced(read: () => boolean): boolean {
    const start = this.at;
    this.space();
    if (read()) return true;
    this.at = start;
    return false;
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
