/**
 * The `selector` of a generator entry (semantics.md §1.8, Argo's
 * `Transform`): applied to every parameter set the entry produces, against the
 * set flattened to strings. Label values are not validated, so a URL can be
 * matched; keys must still be qualified names (`path[0]` cannot be a key).
 */
import { LabelSelector, matches, selectorFromLabelSelector } from '../labels';
import { flattenToStrings } from './flatten';
import { ParamSet } from './generator';
import { GeneratorLocation, invalidAt } from './generation-error';

/** Keeps the sets a post-selector selects. */
export type ParamSetFilter = (sets: readonly ParamSet[]) => ParamSet[];

/**
 * Compiles the post-selector at `field`; absent, it keeps every set. Throws
 * GenerationError (Invalid) listing every problem of a malformed selector.
 */
export function compilePostSelector(
  selector: LabelSelector | undefined | null,
  field: string,
  location: GeneratorLocation,
): ParamSetFilter {
  if (selector === undefined || selector === null) return (sets) => [...sets];
  const { selector: requirements, problems } = selectorFromLabelSelector(selector, field, {
    validateValues: false,
  });
  if (problems.length > 0) {
    const summary = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw invalidAt(location, field, 'selector', `invalid post-selector: ${summary}`, problems);
  }
  return (sets) =>
    sets.filter((set) => matches(requirements, Object.fromEntries(flattenToStrings(set))));
}
