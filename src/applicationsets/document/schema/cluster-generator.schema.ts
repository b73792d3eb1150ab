/**
 * The cluster generator (semantics.md §1.3): a Kubernetes label `selector`
 * over registered clusters, `values` (strings rendered with the cluster's
 * parameters) and `flatList`.
 */
import { ClusterGenerator } from '../../../argo/applicationset.types';
import { LabelSelector, isPlainObject, selectorFromLabelSelector } from '../../../labels';
import { GeneratorPosition, readGeneratorTemplate } from './generator-position';
import { FieldReader, SchemaContext, withoutUndefined } from './schema-context';
import { isTemplated } from './templating';

/**
 * Stands in for a templated selector value while the selector's structure
 * is checked; the rendered value is checked when the matrix runs (Argo CD
 * fails there too when `{{…}}` stays unresolved).
 */
const TEMPLATE_PLACEHOLDER = 'rendered-later';

/** Reads a `clusters` generator. */
export function readClusterGenerator(
  ctx: SchemaContext,
  reader: FieldReader,
  position: GeneratorPosition,
): ClusterGenerator {
  const generator = withoutUndefined({
    selector: reader.value('selector', (selector, field) => {
      const checked = position.interpolated ? withPlaceholders(selector) : selector;
      ctx.addProblems(selectorFromLabelSelector(checked, field, { validateValues: true }).problems);
      return selector as LabelSelector;
    }),
    values: reader.stringMap('values'),
    flatList: reader.boolean('flatList'),
    template: readGeneratorTemplate(ctx, reader, position),
  });
  if (generator.flatList) {
    ctx.warn(
      reader.at('flatList'),
      'flat-list',
      'flatList yields one parameter set holding a list, which only goTemplate (not supported yet) can use; flat templates cannot reference it',
    );
  }
  return generator;
}

/** A copy of the selector whose templated values are replaced by a valid placeholder. */
function withPlaceholders(selector: unknown): unknown {
  if (!isPlainObject(selector)) return selector;
  const swap = (value: unknown) => (isTemplated(value) ? TEMPLATE_PLACEHOLDER : value);
  const { matchLabels, matchExpressions } = selector;
  return {
    ...selector,
    ...(isPlainObject(matchLabels)
      ? {
          matchLabels: Object.fromEntries(
            Object.entries(matchLabels).map(([key, value]) => [key, swap(value)]),
          ),
        }
      : {}),
    ...(Array.isArray(matchExpressions)
      ? {
          matchExpressions: matchExpressions.map((expression: unknown) =>
            isPlainObject(expression) && Array.isArray(expression.values)
              ? { ...expression, values: expression.values.map(swap) }
              : expression,
          ),
        }
      : {}),
  };
}
