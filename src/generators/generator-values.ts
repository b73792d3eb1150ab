/**
 * The `values` field of the Cluster and Git generators in flat mode (Argo's
 * `appendTemplatedValues`, semantics.md §1.1).
 */
import { fieldPath } from '../common/field-problem';
import { TemplateRenderError, renderTemplate } from '../templates';
import { GenerationContext } from './generator';

/**
 * Renders each value against `params` as they are *before* any value is
 * added (so a value cannot reference another value: `{{values.a}}` stays as
 * written), then adds them as `values.<key>`, overwriting any key of that
 * name. Unknown tags stay as written and are reported as warnings. `values`
 * is the generator's `values` map, read once with `mapField`.
 */
export function appendValues(
  params: Map<string, unknown>,
  values: Readonly<Record<string, unknown>> | undefined,
  context: GenerationContext,
): void {
  if (!values) return;
  const valuesField = fieldPath(context.specPath, 'values');
  const snapshot = Object.fromEntries(params);
  const rendered: [string, string][] = [];
  for (const [key, value] of Object.entries(values)) {
    const field = fieldPath(valuesField, key);
    if (typeof value !== 'string') throw context.invalid(field, 'type', 'must be a string');
    try {
      const result = renderTemplate(value, snapshot, field);
      result.warnings.forEach((warning) => context.warn(warning.field, warning.message));
      rendered.push([`values.${key}`, result.value as string]);
    } catch (error) {
      if (error instanceof TemplateRenderError) {
        throw context.invalid(field, 'template', error.reason);
      }
      throw error;
    }
  }
  for (const [key, value] of rendered) params.set(key, value);
}
