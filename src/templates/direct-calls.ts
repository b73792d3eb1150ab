/**
 * Output-helper calls (`{{lower name}}`, `{{default "none" (upper values.a)}}`)
 * evaluated without Handlebars, for strings that hold no block: the same
 * output and warnings the Handlebars program gives (direct-calls.spec pins
 * the two paths to each other), without a Handlebars run per Application.
 * Blocks, `this` and @-variables need Handlebars' contexts and still take
 * that path.
 */
import { TemplateTag, verbatimTag } from './fasttemplate';
import { callHelper } from './helpers';
import { Argument, HelperCall, TagSyntax } from './helper-syntax';
import { TagWarning } from './tag-substitution';
import { TemplateParams, hasParam, paramValue } from './template-params';

/** A parameter that does not exist: helpers pass it on and the tag stays as written. */
class Missing {
  constructor(readonly reason: string) {}
}

/** True for a helper call whose arguments, at any depth, are parameters, literals or calls. */
export function isDirectCall(syntax: TagSyntax | null): syntax is HelperCall {
  return syntax !== null && syntax.kind === 'call' && syntax.args.every(isDirectArgument);
}

function isDirectArgument(argument: Argument): boolean {
  if (argument.kind === 'param' || argument.kind === 'literal') return true;
  return argument.kind === 'call' && argument.args.every(isDirectArgument);
}

/**
 * The text a call tag becomes: the helper's string result, or the tag as
 * written with a warning (a missing parameter, or a result that is not a
 * string). Throws HelperArgumentError for an argument of the wrong type.
 */
export function callOutput(
  tag: TemplateTag,
  call: HelperCall,
  params: TemplateParams,
  warnings: TagWarning[],
): string {
  const value = evaluate(call, params);
  if (typeof value === 'string') return value;
  warnings.push({
    tag: verbatimTag(tag),
    reason:
      value instanceof Missing
        ? value.reason
        : 'the expression did not produce a string (toJson prints other values)',
  });
  return verbatimTag(tag);
}

function evaluate(argument: Argument, params: TemplateParams): unknown {
  switch (argument.kind) {
    case 'literal':
      return argument.value;
    case 'param':
      return hasParam(params, argument.key)
        ? paramValue(params, argument.key)
        : new Missing(`no parameter named "${argument.key}"`);
    case 'call': {
      const args = argument.args.map((a) => evaluate(a, params));
      // `default` exists to handle absence: a missing parameter is simply empty to it.
      if (argument.helper === 'default') {
        return callHelper(
          'default',
          args.map((a) => (a instanceof Missing ? undefined : a)),
        );
      }
      const missing = args.find((a) => a instanceof Missing);
      return missing ?? callHelper(argument.helper, args);
    }
    default:
      // isDirectCall keeps contexts and @-variables away from here.
      throw new Error(`${argument.kind} references need Handlebars`);
  }
}
