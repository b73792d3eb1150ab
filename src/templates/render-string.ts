/**
 * Renders one string the way Argo CD's flat mode does (semantics.md §2.1),
 * with Handlebars helper expressions and blocks on top (docs/templates.md).
 * Plain strings and strings whose only helper syntax is output-helper calls
 * take paths that never touch Handlebars (direct-calls.ts); blocks run a
 * compiled Handlebars program. Parsed templates and compiled programs are
 * cached by template text, so rendering the same template for 10,000
 * clusters parses it once.
 */
import { callOutput, isDirectCall } from './direct-calls';
import { TemplateSegment, TemplateTag, parseTemplateString } from './fasttemplate';
import { HandlebarsProgram, compileHandlebarsProgram } from './handlebars-program';
import { TagSyntax, parseTagSyntax, plainReason } from './helper-syntax';
import { TagWarning, substituteTag } from './tag-substitution';
import { TemplateParams, paramValue } from './template-params';

interface ParsedTemplate {
  readonly segments: readonly TemplateSegment[];
  readonly tags: readonly TemplateTag[];
  /** Helper syntax per tag ordinal (null for plain tags). */
  readonly syntax: readonly (TagSyntax | null)[];
  /** Compiled programs, keyed by which helper-looking tags a string parameter shadows. */
  readonly programs: Map<string, HandlebarsProgram>;
}

/** Enough for every distinct string of many templates; cleared wholesale when full. */
const CACHE_LIMIT = 5_000;
const cache = new Map<string, ParsedTemplate>();

/**
 * Renders `template` against `params`, pushing a warning for every tag left
 * as written. Returns the input itself when it is not a template. Throws
 * TemplateSyntaxError (`{{a}} {{b`), BlockStructureError (unpaired block
 * tags) or HelperArgumentError (a helper given the wrong type).
 */
export function renderString(
  template: string,
  params: TemplateParams,
  warnings: TagWarning[],
): string {
  const parsed = parse(template);
  if (!parsed) return template;
  // A tag that names a string parameter is a substitution even if it reads
  // like a helper call: Argo's rule comes first.
  const shadowed = parsed.syntax.map(
    (syntax, i) => syntax !== null && typeof paramValue(params, parsed.tags[i].key) === 'string',
  );
  const structural = parsed.syntax.filter((syntax, i) => !shadowed[i] && isStructural(syntax));
  if (structural.length === 0 || structural.every(isDirectCall)) {
    return substituteAll(parsed, shadowed, params, warnings);
  }
  return program(parsed, shadowed).run(params, warnings);
}

function parse(template: string): ParsedTemplate | null {
  const cached = cache.get(template);
  if (cached) return cached;
  const segments = parseTemplateString(template);
  if (!segments) return null;
  const tags = segments.filter((s): s is TemplateTag => typeof s !== 'string');
  const parsed: ParsedTemplate = {
    segments,
    tags,
    syntax: tags.map((tag) => parseTagSyntax(tag.key)),
    programs: new Map(),
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(template, parsed);
  return parsed;
}

/** Tags that make the string a Handlebars program rather than plain substitutions. */
function isStructural(syntax: TagSyntax | null): boolean {
  if (syntax === null) return false;
  if (syntax.kind === 'malformed') return syntax.form === 'open';
  return syntax.kind === 'call' || syntax.kind === 'open' || syntax.kind === 'close';
}

function substituteAll(
  parsed: ParsedTemplate,
  shadowed: readonly boolean[],
  params: TemplateParams,
  warnings: TagWarning[],
): string {
  let output = '';
  let ordinal = 0;
  for (const segment of parsed.segments) {
    if (typeof segment === 'string') {
      output += segment;
      continue;
    }
    const syntax = shadowed[ordinal] ? null : parsed.syntax[ordinal];
    output += isDirectCall(syntax)
      ? callOutput(segment, syntax, params, warnings)
      : substituteTag(segment, params, warnings, plainReason(syntax));
    ordinal++;
  }
  return output;
}

function program(parsed: ParsedTemplate, shadowed: readonly boolean[]): HandlebarsProgram {
  const key = shadowed.map((s) => (s ? '1' : '0')).join('');
  let compiled = parsed.programs.get(key);
  if (!compiled) {
    compiled = compileHandlebarsProgram(parsed.segments, (i) =>
      shadowed[i] ? null : parsed.syntax[i],
    );
    parsed.programs.set(key, compiled);
  }
  return compiled;
}
