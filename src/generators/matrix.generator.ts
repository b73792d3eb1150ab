/**
 * Matrix generator (Argo's `generators/matrix.go`, semantics.md §1.6): the
 * cartesian product of two children, the second re-rendered with each
 * parameter set of the first.
 */
import { MatrixGenerator as MatrixGeneratorSpec } from '../argo/applicationset.types';
import { fieldPath } from '../common/field-problem';
import { childEntries } from './child-entries';
import { combineStrict } from './combine-params';
import { ChildRequeue, GenerationContext, Generator, ParamSet, minRequeue } from './generator';

const CHILD_COUNT = {
  tooFew: 'found less than two generators, Matrix support only two',
  atMost: { count: 2, message: 'found more than two generators, Matrix support only two' },
};

export class MatrixGenerator implements Generator<MatrixGeneratorSpec> {
  readonly kind = 'matrix';

  constructor(private readonly childRequeue: ChildRequeue) {}

  /**
   * Child 1 is generated once; for each of its sets `a`, child 2's spec is
   * interpolated with `a`, generated, and each of its sets `b` combined with
   * `a` (a key in both with different values is an error). Output: for each
   * `a` in order, for each `b` in order. A child with no sets gives none.
   */
  async generate(spec: MatrixGeneratorSpec, context: GenerationContext): Promise<ParamSet[]> {
    const [first, second] = childEntries(spec, context, CHILD_COUNT);
    const combined: ParamSet[] = [];
    for (const a of await context.generateChild(first.child, first.entryPath, null)) {
      for (const b of await context.generateChild(second.child, second.entryPath, a)) {
        const result = combineStrict(a, b);
        if ('conflict' in result) {
          throw context.invalid(
            fieldPath(context.specPath, 'generators'),
            'duplicate-key',
            result.conflict,
          );
        }
        combined.push(result.params);
      }
    }
    return combined;
  }

  /** The smallest non-zero requeue of the children. */
  requeueAfterSeconds(spec: MatrixGeneratorSpec): number | null {
    return minRequeue((spec.generators ?? []).map(this.childRequeue));
  }
}
