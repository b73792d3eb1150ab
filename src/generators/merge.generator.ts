/**
 * Merge generator (Argo's `generators/merge.go`, semantics.md §1.7): the
 * first child's sets, each overlaid by the sets of later children that agree
 * on the merge keys.
 */
import { MergeGenerator as MergeGeneratorSpec } from '../argo/applicationset.types';
import { fieldPath } from '../common/field-problem';
import { compareBytewise, hasParam } from '../templates';
import { childEntries } from './child-entries';
import { combineOverride } from './combine-params';
import { listField } from './spec-fields';
import { ChildRequeue, GenerationContext, Generator, ParamSet, minRequeue } from './generator';

const NOT_UNIQUE =
  'the parameters from a generator were not unique by the given mergeKeys, Merge requires all param sets to be unique';

const CHILD_COUNT = { tooFew: 'found less than two generators, Merge requires two or more' };

export class MergeGenerator implements Generator<MergeGeneratorSpec> {
  readonly kind = 'merge';

  constructor(private readonly childRequeue: ChildRequeue) {}

  /**
   * Every child is generated (no interpolation). Sets are keyed by the values
   * of the de-duplicated merge keys (a missing key counts as null); within any
   * one child two sets with one key are an error. For each later child in
   * order, a base set with a matching key is overlaid (later wins, values
   * become strings); unmatched sets of later children are dropped. Output:
   * base order (Argo's is hash-map order).
   */
  async generate(spec: MergeGeneratorSpec, context: GenerationContext): Promise<ParamSet[]> {
    const children = childEntries(spec, context, CHILD_COUNT);
    const childSets: ParamSet[][] = [];
    for (const { child, entryPath } of children) {
      childSets.push(await context.generateChild(child, entryPath, null));
    }
    const mergeKeys = [...new Set(listField(spec, 'mergeKeys', context).map(String))].sort(
      compareBytewise,
    );
    if (mergeKeys.length === 0) {
      throw context.invalid(
        fieldPath(context.specPath, 'mergeKeys'),
        'required',
        'no merge keys were specified, Merge requires at least one',
      );
    }
    const indexBy = (sets: readonly ParamSet[], child: number): Map<string, ParamSet> => {
      const index = new Map<string, ParamSet>();
      for (const set of sets) {
        const key = mergeKeyOf(set, mergeKeys);
        if (index.has(key)) {
          throw context.invalid(
            children[child].entryPath,
            'unique',
            `${NOT_UNIQUE}. Duplicate key was ${key}`,
          );
        }
        index.set(key, set);
      }
      return index;
    };
    const [baseSets, ...laterSets] = childSets;
    const baseKeys = [...indexBy(baseSets, 0).keys()];
    const merged = [...baseSets];
    laterSets.forEach((sets, i) => {
      const overrides = indexBy(sets, i + 1);
      baseKeys.forEach((key, position) => {
        const override = overrides.get(key);
        if (override) merged[position] = combineOverride(merged[position], override);
      });
    });
    return merged;
  }

  /** The smallest non-zero requeue of the children. */
  requeueAfterSeconds(spec: MergeGeneratorSpec): number | null {
    return minRequeue((spec.generators ?? []).map(this.childRequeue));
  }
}

/** Argo's key: the JSON of `{mergeKey: value}` with keys sorted, missing values null. */
function mergeKeyOf(set: ParamSet, mergeKeys: readonly string[]): string {
  const members = mergeKeys.map(
    (key) =>
      `${JSON.stringify(key)}:${JSON.stringify(hasParam(set, key) ? set[key] : null) ?? 'null'}`,
  );
  return `{${members.join(',')}}`;
}
