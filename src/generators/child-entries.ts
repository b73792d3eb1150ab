/**
 * The children of a matrix or merge spec, after Argo's count checks
 * (semantics.md §1.6, §1.7), each with its entry path.
 */
import { ChildGenerator } from '../argo/applicationset.types';
import { fieldPath } from '../common/field-problem';
import { GenerationContext } from './generator';
import { listField } from './spec-fields';

export interface ChildEntry {
  readonly child: ChildGenerator;
  /** e.g. `spec.generators[0].matrix.generators[1]`. */
  readonly entryPath: string;
}

export interface ChildCountRule {
  /** Argo's message for fewer than two children. */
  readonly tooFew: string;
  /** The largest number of children allowed, with Argo's message beyond it. */
  readonly atMost?: { readonly count: number; readonly message: string };
}

/** At least two children (and at most `rule.atMost`), or a GenerationError on `generators`. */
export function childEntries(
  spec: { readonly generators?: readonly ChildGenerator[] },
  context: GenerationContext,
  rule: ChildCountRule,
): ChildEntry[] {
  const generatorsField = fieldPath(context.specPath, 'generators');
  const list = listField(spec, 'generators', context) as ChildGenerator[];
  if (list.length < 2) throw context.invalid(generatorsField, 'count', rule.tooFew);
  if (rule.atMost && list.length > rule.atMost.count) {
    throw context.invalid(generatorsField, 'count', rule.atMost.message);
  }
  return list.map((child, i) => ({ child, entryPath: fieldPath(generatorsField, i) }));
}
