/**
 * The `values` field of the Cluster and Git generators in flat mode (Argo's
 * `appendTemplatedValues`, semantics.md §1.1).
 */
import { fieldPath } from '../common/field-problem';
import { TemplateRenderError, renderTemplate } from '../templates';
import { GenerationContext } from './generator';

/** Adds a generator's rendered `values` to one parameter set (see `valuesAppender`). */
export type ValuesAppender = (params: Record<string, unknown>) => void;

const NONE: ValuesAppender = () => undefined;

/**
 * Checks a generator's `values` map once (every value must be a string) and
 * returns the function that adds them to each parameter set: each value is
 * rendered against the set as it is *before* any value is added (so a value
 * cannot reference another value: `{{values.a}}` stays as written), then
 * added as `values.<key>`, overwriting any key of that name. Unknown tags stay
 * as written and are reported as warnings. The set is changed in place: the
 * cluster and Git generators build a fresh object per set, and `values.` keys
 * can never be `__proto__`.
 */
export function valuesAppender(
  values: Readonly<Record<string, unknown>> | undefined,
  context: GenerationContext,
): ValuesAppender {
  if (!values) return NONE;
  const valuesField = fieldPath(context.specPath, 'values');
  const entries = Object.entries(values).map(([key, template]) => {
    const field = fieldPath(valuesField, key);
    if (typeof template !== 'string') throw context.invalid(field, 'type', 'must be a string');
    return { key: `values.${key}`, template, field };
  });
  if (entries.length === 0) return NONE;
  return (params) => {
    const rendered = entries.map(({ key, template, field }) => {
      try {
        const result = renderTemplate(template, params, field);
        result.warnings.forEach((warning) => context.warn(warning.field, warning.message));
        return [key, result.value] as const;
      } catch (error) {
        if (error instanceof TemplateRenderError) {
          throw context.invalid(field, 'template', error.reason);
        }
        throw error;
      }
    });
    for (const [key, value] of rendered) params[key] = value;
  };
}
