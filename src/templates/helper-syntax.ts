/**
 * The Handlebars expressions Fleetplane accepts inside a flat-mode tag, parsed
 * from the tag's trimmed text (pure functions). Arguments are resolved the
 * Argo way: a bare word is one whole flat parameter key (`path[0]`,
 * `metadata.labels.topology.kubernetes.io/zone`), never a Handlebars path.
 * See docs/templates.md for the rules.
 */

/** Helpers that produce output, with the number of arguments each takes. */
export const OUTPUT_HELPER_ARITY = {
  normalize: [1, 1],
  lower: [1, 1],
  upper: [1, 1],
  default: [2, 2],
  replace: [3, 3],
  trunc: [2, 2],
  toJson: [1, 1],
  quote: [1, Infinity],
  join: [2, 2],
} as const satisfies Record<string, readonly [number, number]>;

export type OutputHelperName = keyof typeof OUTPUT_HELPER_ARITY;

/** Handlebars' built-in block helpers that are enabled; each takes one argument. */
export const BLOCK_HELPERS = ['if', 'unless', 'each', 'with'] as const;
export type BlockHelperName = (typeof BLOCK_HELPERS)[number];

/** Handlebars data variables available inside `{{#each}}`. */
export type DataVariable = 'index' | 'key' | 'first' | 'last';
const DATA_VARIABLES: readonly string[] = ['index', 'key', 'first', 'last'];

export interface HelperCall {
  readonly kind: 'call';
  readonly helper: OutputHelperName;
  readonly args: readonly Argument[];
}

/** `this` (key null) or `this.<key>`: the current block context, or one own key of it. */
export interface ContextReference {
  readonly kind: 'context';
  readonly key: string | null;
}

export interface DataReference {
  readonly kind: 'data';
  readonly name: DataVariable;
}

export type Argument =
  | { readonly kind: 'param'; readonly key: string }
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null | undefined }
  | ContextReference
  | DataReference
  | HelperCall;

/** What a tag is, when it is not a plain parameter tag. */
export type TagSyntax =
  | HelperCall
  | { readonly kind: 'open'; readonly helper: BlockHelperName; readonly argument: Argument }
  | { readonly kind: 'else' }
  | { readonly kind: 'close'; readonly helper: BlockHelperName }
  | { readonly kind: 'reference'; readonly argument: ContextReference | DataReference }
  | {
      readonly kind: 'malformed';
      readonly form: 'call' | 'open';
      readonly reason: string;
    };

const OPEN_BLOCK = /^#\s*([A-Za-z]+)(?:\s+([\s\S]*))?$/;
const CLOSE_BLOCK = /^\/\s*([A-Za-z]+)$/;
const CALL = /^([A-Za-z]+)\s+([\s\S]+)$/;
const REFERENCE = /^(?:this(?:\.[^\s()]*)?|@(?:index|key|first|last))$/;
const NUMBER = /^-?[0-9]+(?:\.[0-9]+)?$/;
const WORD_END = /[\s()]/;

/**
 * Classifies a tag's trimmed text. Returns null for anything that is not a
 * helper expression, block tag or block reference: such a tag is a plain
 * parameter tag (substituted, or left verbatim as Argo does).
 */
export function parseTagSyntax(key: string): TagSyntax | null {
  if (key === 'else') return { kind: 'else' };
  const open = OPEN_BLOCK.exec(key);
  if (open) return parseOpen(open[1], open[2] ?? '');
  const close = CLOSE_BLOCK.exec(key);
  if (close) return isBlockHelper(close[1]) ? { kind: 'close', helper: close[1] } : null;
  if (REFERENCE.test(key)) {
    const argument = readWord(key);
    return argument.kind === 'context' || argument.kind === 'data'
      ? { kind: 'reference', argument }
      : null;
  }
  const call = CALL.exec(key);
  if (call && isOutputHelper(call[1])) {
    try {
      return checkedCall(call[1], new ArgumentReader(call[2]).readAll());
    } catch (error) {
      return { kind: 'malformed', form: 'call', reason: errorMessage(error) };
    }
  }
  return null;
}

/** Why a tag that looks like helper syntax was nevertheless left as a plain tag. */
export function plainReason(syntax: TagSyntax | null): string | undefined {
  switch (syntax?.kind) {
    case 'malformed':
      return syntax.reason;
    case 'else':
      return '{{else}} outside a block';
    case 'reference':
      return 'this and @-variables refer to the current item, which exists only inside {{#each}} or {{#with}}';
    default:
      return undefined;
  }
}

function parseOpen(name: string, rest: string): TagSyntax | null {
  if (!isBlockHelper(name)) return null;
  try {
    const args = new ArgumentReader(rest).readAll();
    if (args.length !== 1) {
      return {
        kind: 'malformed',
        form: 'open',
        reason: `#${name} takes 1 argument, got ${args.length}`,
      };
    }
    return { kind: 'open', helper: name, argument: args[0] };
  } catch (error) {
    return { kind: 'malformed', form: 'open', reason: errorMessage(error) };
  }
}

function checkedCall(helper: OutputHelperName, args: Argument[]): HelperCall {
  const [min, max] = OUTPUT_HELPER_ARITY[helper];
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `at least ${min}`;
    throw new Error(
      `${helper} takes ${expected} argument${min === 1 ? '' : 's'}, got ${args.length}`,
    );
  }
  return { kind: 'call', helper, args };
}

/** Reads whitespace-separated arguments: literals, words, `( … )` subexpressions. */
class ArgumentReader {
  private position = 0;

  constructor(private readonly text: string) {}

  readAll(): Argument[] {
    const args: Argument[] = [];
    for (;;) {
      this.skipSpace();
      if (this.position >= this.text.length) return args;
      if (this.text[this.position] === ')') throw new Error('unexpected ")"');
      args.push(this.readArgument());
    }
  }

  private readArgument(): Argument {
    const char = this.text[this.position];
    if (char === '(') return this.readSubexpression();
    if (char === '"' || char === "'") return this.readString(char);
    const start = this.position;
    while (this.position < this.text.length && !WORD_END.test(this.text[this.position])) {
      this.position++;
    }
    return readWord(this.text.slice(start, this.position));
  }

  private readSubexpression(): HelperCall {
    this.position++; // (
    this.skipSpace();
    const start = this.position;
    while (this.position < this.text.length && !WORD_END.test(this.text[this.position])) {
      this.position++;
    }
    const name = this.text.slice(start, this.position);
    if (!isOutputHelper(name)) throw new Error(`unknown helper "${name}" in a subexpression`);
    const args: Argument[] = [];
    for (;;) {
      this.skipSpace();
      if (this.position >= this.text.length) throw new Error('missing ")"');
      if (this.text[this.position] === ')') {
        this.position++;
        return checkedCall(name, args);
      }
      args.push(this.readArgument());
    }
  }

  /** Handlebars string literals: only the quote itself can be escaped (`\"`). */
  private readString(quote: string): Argument {
    let value = '';
    for (let i = this.position + 1; i < this.text.length; i++) {
      const char = this.text[i];
      if (char === '\\' && this.text[i + 1] === quote) {
        value += quote;
        i++;
      } else if (char === quote) {
        this.position = i + 1;
        return { kind: 'literal', value };
      } else {
        value += char;
      }
    }
    throw new Error(`unterminated string ${quote}${value}`);
  }

  private skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position])) {
      this.position++;
    }
  }
}

function readWord(word: string): Argument {
  if (NUMBER.test(word)) return { kind: 'literal', value: Number(word) };
  switch (word) {
    case 'true':
      return { kind: 'literal', value: true };
    case 'false':
      return { kind: 'literal', value: false };
    case 'null':
      return { kind: 'literal', value: null };
    case 'undefined':
      return { kind: 'literal', value: undefined };
    case 'this':
      return { kind: 'context', key: null };
  }
  if (word.startsWith('this.')) return { kind: 'context', key: word.slice('this.'.length) };
  if (word.startsWith('@')) {
    const name = word.slice(1);
    if (DATA_VARIABLES.includes(name)) return { kind: 'data', name: name as DataVariable };
    throw new Error(`unknown data variable "${word}"; use @index, @key, @first or @last`);
  }
  return { kind: 'param', key: word };
}

function isOutputHelper(name: string): name is OutputHelperName {
  return Object.prototype.hasOwnProperty.call(OUTPUT_HELPER_ARITY, name);
}

function isBlockHelper(name: string): name is BlockHelperName {
  return (BLOCK_HELPERS as readonly string[]).includes(name);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
