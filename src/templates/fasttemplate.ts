/**
 * The tag syntax of Argo CD's flat-mode renderer (`valyala/fasttemplate` with
 * `{{`/`}}`, semantics.md §2.1), as pure functions. Everything built on top
 * (parameter substitution, Handlebars helpers) starts from these segments, so
 * what counts as a tag is exactly what Argo CD counts.
 */

/** One `{{…}}` occurrence: the text between the braces, as written and trimmed. */
export interface TemplateTag {
  /** The text between `{{` and the next `}}`, untouched (whitespace included). */
  readonly raw: string;
  /** `raw` trimmed as Go's `strings.TrimSpace` trims; the parameter key it names. */
  readonly key: string;
}

/** Literal text, or a tag. */
export type TemplateSegment = string | TemplateTag;

/** A `{{` with no `}}` after it, in a string that is a template (§2.1). */
export class TemplateSyntaxError extends Error {
  constructor(readonly offset: number) {
    super(`unclosed "{{" at offset ${offset}: no "}}" follows it`);
    this.name = 'TemplateSyntaxError';
  }
}

/**
 * Argo only renders a string that has `{{` followed by `}}` on the same line
 * (`isTemplatedRegex = .*{{.*}}.*`; Go's `.` excludes only `\n`).
 */
const TEMPLATED = /{{[^\n]*}}/;

/**
 * Splits a string into literal text and tags, or returns null when Argo
 * would leave the string untouched (no `{{…}}` on one line). A tag runs from
 * `{{` to the *next* `}}`, even across lines. Throws TemplateSyntaxError for
 * a `{{` without a later `}}` (`{{a}} {{b`).
 */
export function parseTemplateString(template: string): TemplateSegment[] | null {
  if (!template.includes('{{') || !TEMPLATED.test(template)) return null;
  const segments: TemplateSegment[] = [];
  let position = 0;
  for (;;) {
    const open = template.indexOf('{{', position);
    if (open < 0) {
      if (position < template.length) segments.push(template.slice(position));
      return segments;
    }
    if (open > position) segments.push(template.slice(position, open));
    const close = template.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateSyntaxError(open);
    const raw = template.slice(open + 2, close);
    segments.push({ raw, key: goTrimSpace(raw) });
    position = close + 2;
  }
}

/** The tag exactly as written, which is what Argo writes back for an unknown tag. */
export function verbatimTag(tag: TemplateTag): string {
  return `{{${tag.raw}}}`;
}

/**
 * Go's `unicode.IsSpace` set: unlike JavaScript's `trim`, it includes U+0085
 * and excludes U+FEFF, so `{{\uFEFFname}}` is not the tag `name`.
 */
const GO_SPACE =
  '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');

/** `strings.TrimSpace` (pure function). */
export function goTrimSpace(text: string): string {
  return text.replace(GO_TRIM, '');
}
