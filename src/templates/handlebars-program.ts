/**
 * Runs tags that hold helper expressions or blocks through one isolated
 * Handlebars instance, without ever handing Handlebars a user's text.
 *
 * The Handlebars source compiled here is generated from fixed tokens and
 * integers only: literal text, substituted values and user literals travel in
 * side tables that runtime helpers (`fpText`, `fpRef`, …) read. So nothing a
 * user writes can become Handlebars syntax, a value is never re-rendered, and
 * there is no escaping to get wrong. `knownHelpersOnly` restricts calls to the
 * allowlist; `lookup` and `log` are removed; Handlebars' prototype-access
 * protections stay at their defaults (CVE-2021-23369, CVE-2021-23383).
 */
import Handlebars from 'handlebars';
import { TemplateSegment, TemplateTag, verbatimTag } from './fasttemplate';
import { callHelper } from './helpers';
import {
  Argument,
  BlockHelperName,
  OUTPUT_HELPER_ARITY,
  OutputHelperName,
  TagSyntax,
  plainReason,
} from './helper-syntax';
import { TagWarning, substituteTag } from './tag-substitution';
import { TemplateParams, hasParam, paramValue } from './template-params';

/** Block tags that do not pair up (`{{#if x}}` never closed, `{{/each}}` closing `{{#if}}`). */
export class BlockStructureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockStructureError';
  }
}

/** A compiled template string, runnable against any parameter set. */
export interface HandlebarsProgram {
  run(params: TemplateParams, warnings: TagWarning[]): string;
}

/** A value that could not be resolved; helpers pass it on and the tag stays verbatim. */
class Unresolved {
  constructor(readonly reason: string) {}
}

/** Per-template side tables plus, at run time, the parameters and the warning sink. */
interface ProgramTables {
  readonly texts: readonly string[];
  readonly tags: readonly TemplateTag[];
  /** Why a plain tag is plain although it looked like a helper call (by tag ordinal). */
  readonly plainReasons: readonly (string | undefined)[];
  readonly refs: readonly Exclude<Argument, { kind: 'call' }>[];
}

interface RunState extends ProgramTables {
  readonly params: TemplateParams;
  readonly warnings: TagWarning[];
}

const instance = createInstance();

/**
 * Compiles the segments of one template string. `syntaxOf(ordinal)` gives the
 * helper syntax of the n-th tag, or null when that tag is a plain tag. Throws
 * BlockStructureError when block tags do not pair up.
 */
export function compileHandlebarsProgram(
  segments: readonly TemplateSegment[],
  syntaxOf: (ordinal: number) => TagSyntax | null,
): HandlebarsProgram {
  const tables = {
    texts: [] as string[],
    tags: [] as TemplateTag[],
    plainReasons: [] as (string | undefined)[],
    refs: [] as ProgramTables['refs'][number][],
  };
  const blocks: { helper: BlockHelperName; hasElse: boolean; tag: string }[] = [];
  let source = '';

  const expression = (argument: Argument): string => {
    if (argument.kind === 'call') {
      return `(${argument.helper} ${argument.args.map(expression).join(' ')})`;
    }
    tables.refs.push(argument);
    return `(fpRef ${tables.refs.length - 1})`;
  };
  const inItemScope = (): boolean => blocks.some((b) => b.helper === 'each' || b.helper === 'with');

  for (const segment of segments) {
    if (typeof segment === 'string') {
      tables.texts.push(segment);
      source += `{{fpText ${tables.texts.length - 1}}}`;
      continue;
    }
    const ordinal = tables.tags.push(segment) - 1;
    const syntax = syntaxOf(ordinal);
    const plain = (reason?: string): string => {
      tables.plainReasons[ordinal] = reason;
      return `{{fpTag ${ordinal}}}`;
    };
    switch (syntax?.kind) {
      case undefined:
        source += plain();
        break;
      case 'malformed':
        if (syntax.form === 'open')
          throw new BlockStructureError(`${verbatimTag(segment)}: ${syntax.reason}`);
        source += plain(syntax.reason);
        break;
      case 'call':
        source += `{{fpOut ${ordinal} ${expression(syntax)}}}`;
        break;
      case 'reference':
        source += inItemScope()
          ? `{{fpOut ${ordinal} ${expression(syntax.argument)}}}`
          : plain(plainReason(syntax));
        break;
      case 'open':
        blocks.push({ helper: syntax.helper, hasElse: false, tag: verbatimTag(segment) });
        source += `{{#${syntax.helper} (fpOpt ${expression(syntax.argument)})}}`;
        break;
      case 'else': {
        const block = blocks.at(-1);
        if (!block) {
          source += plain(plainReason(syntax));
          break;
        }
        if (block.hasElse) throw new BlockStructureError(`second {{else}} in ${block.tag}`);
        block.hasElse = true;
        source += '{{else}}';
        break;
      }
      case 'close': {
        const block = blocks.pop();
        if (!block) throw new BlockStructureError(`${verbatimTag(segment)} closes no block`);
        if (block.helper !== syntax.helper) {
          throw new BlockStructureError(`${verbatimTag(segment)} closes ${block.tag}`);
        }
        source += `{{/${syntax.helper}}}`;
        break;
      }
    }
  }
  const unclosed = blocks.at(-1);
  if (unclosed) throw new BlockStructureError(`${unclosed.tag} is never closed`);

  const template = instance.compile(source, COMPILE_OPTIONS);
  return {
    run: (params, warnings) => {
      const fp: RunState = { ...tables, params, warnings };
      return template(undefined, { data: { fp } });
    },
  };
}

const INTERNAL_HELPERS = ['fpText', 'fpTag', 'fpRef', 'fpOut', 'fpOpt'] as const;

const COMPILE_OPTIONS: CompileOptions = {
  noEscape: true,
  strict: false,
  data: true,
  ignoreStandalone: true,
  knownHelpersOnly: true,
  knownHelpers: Object.fromEntries(
    [...INTERNAL_HELPERS, ...Object.keys(OUTPUT_HELPER_ARITY), 'if', 'unless', 'each', 'with'].map(
      (name) => [name, true],
    ),
  ),
};

type CompileOptions = NonNullable<Parameters<typeof Handlebars.compile>[1]>;
type Options = Handlebars.HelperOptions;

function state(options: Options): RunState {
  return (options.data as { fp: RunState }).fp;
}

function createInstance(): typeof Handlebars {
  const hbs = Handlebars.create();
  // `lookup` reads arbitrary properties and `log` writes to the console; neither is needed.
  hbs.unregisterHelper('lookup');
  hbs.unregisterHelper('log');

  hbs.registerHelper('fpText', (index: number, options: Options) => state(options).texts[index]);
  hbs.registerHelper('fpTag', (ordinal: number, options: Options) => {
    const fp = state(options);
    return substituteTag(fp.tags[ordinal], fp.params, fp.warnings, fp.plainReasons[ordinal]);
  });
  hbs.registerHelper('fpRef', function (this: unknown, index: number, options: Options) {
    return resolveReference(state(options).refs[index], this, options);
  });
  hbs.registerHelper('fpOut', (ordinal: number, value: unknown, options: Options) => {
    if (typeof value === 'string') return value;
    const fp = state(options);
    const verbatim = verbatimTag(fp.tags[ordinal]);
    const reason =
      value instanceof Unresolved
        ? value.reason
        : 'the expression did not produce a string (toJson prints other values)';
    fp.warnings.push({ tag: verbatim, reason });
    return verbatim;
  });
  hbs.registerHelper('fpOpt', (value: unknown) =>
    value instanceof Unresolved ? undefined : value,
  );

  for (const name of Object.keys(OUTPUT_HELPER_ARITY) as OutputHelperName[]) {
    hbs.registerHelper(name, (...argsAndOptions: unknown[]) => {
      const args = argsAndOptions.slice(0, -1);
      if (name === 'default') {
        return callHelper(
          name,
          args.map((a) => (a instanceof Unresolved ? undefined : a)),
        );
      }
      const unresolved = args.find((a) => a instanceof Unresolved);
      return unresolved ?? callHelper(name, args);
    });
  }
  return hbs;
}

function resolveReference(
  ref: ProgramTables['refs'][number],
  context: unknown,
  options: Options,
): unknown {
  switch (ref.kind) {
    case 'literal':
      return ref.value;
    case 'param': {
      const params = state(options).params;
      return hasParam(params, ref.key)
        ? paramValue(params, ref.key)
        : new Unresolved(`no parameter named "${ref.key}"`);
    }
    case 'context':
      if (ref.key === null) return context;
      return typeof context === 'object' &&
        context !== null &&
        hasParam(context as TemplateParams, ref.key)
        ? paramValue(context as TemplateParams, ref.key)
        : new Unresolved(`the current item has no key "${ref.key}"`);
    case 'data': {
      const value = (options.data as Record<string, unknown>)[ref.name];
      if (value === undefined) return new Unresolved(`@${ref.name} is only set inside {{#each}}`);
      return ref.name === 'index' || ref.name === 'key' ? String(value) : value;
    }
  }
}
