/**
 * The parser of the jq that ignore rules are written in (pure functions):
 * text to stages, or the reason it is outside what Fleetplane reads. What it
 * reads, and how it is evaluated, is in jq-path.ts.
 */
import { JsonValue } from '../manifests/kube-object';

// A step never fails here (a missing field or a non-array yields nothing), so jq's `?` is read and
// changes nothing.
export type Step =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'each' };

export type Comparator = '==' | '!=' | '<' | '<=' | '>' | '>=';

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
export type FunctionName = (typeof FUNCTIONS)[number];
const WITH_ARGUMENT: ReadonlySet<FunctionName> = new Set([
  'startswith',
  'endswith',
  'contains',
  'has',
]);

/** An expression inside `select`; it gives any number of values, as in jq (`evaluate`). */
export type Expr =
  | { readonly kind: 'path'; readonly steps: readonly Step[] }
  | { readonly kind: 'literal'; readonly value: JsonValue }
  | { readonly kind: 'pipe'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'call'; readonly name: FunctionName; readonly argument?: Expr };

export type Stage =
  | { readonly kind: 'path'; readonly steps: readonly Step[] }
  | { readonly kind: 'select'; readonly condition: Expr };

/** A parsed expression (`parseJqPath`). */
export type JqPath = readonly Stage[];

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
