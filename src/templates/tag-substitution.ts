/**
 * What one plain tag becomes (pure function): Argo's flat-mode rule
 * (semantics.md §2.1). A string parameter named by the trimmed tag is inserted
 * raw and never re-scanned; anything else leaves the tag exactly as written
 * and says why.
 */
import { TemplateTag, verbatimTag } from './fasttemplate';
import { TemplateParams, hasParam, paramValue } from './template-params';

/** A tag left as written, and why. */
export interface TagWarning {
  readonly tag: string;
  readonly reason: string;
}

/**
 * The text that replaces `tag`: the string parameter's value, or the tag
 * verbatim with a warning pushed to `warnings`. `reason` overrides the
 * explanation (a malformed helper expression says what is wrong with it).
 */
export function substituteTag(
  tag: TemplateTag,
  params: TemplateParams,
  warnings: TagWarning[],
  reason?: string,
): string {
  const value = tag.key === '' ? undefined : paramValue(params, tag.key);
  if (typeof value === 'string') return value;
  const verbatim = verbatimTag(tag);
  warnings.push({ tag: verbatim, reason: reason ?? missingReason(tag, params) });
  return verbatim;
}

function missingReason(tag: TemplateTag, params: TemplateParams): string {
  if (tag.key === '') return 'empty tag';
  if (hasParam(params, tag.key)) {
    return `parameter "${tag.key}" is not a string (only strings are substituted; toJson prints other values)`;
  }
  return `no parameter named "${tag.key}"`;
}
