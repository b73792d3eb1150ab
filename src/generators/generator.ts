/**
 * The contract every generator implements (after Argo CD's three-method
 * `Generator` interface, `applicationset/generators/interface.go`): produce
 * parameter sets from a spec and say when to run again. Generators are pure
 * apart from the narrow ports in `context.sources`; rendering the
 * Application is not their business.
 */
import { ChildGenerator } from '../argo/applicationset.types';
import { FieldProblem } from '../common/field-problem';
import { TemplateParams } from '../templates';
import { ExpansionSources } from './expansion-sources';
import { GenerationError, GeneratorLocation } from './generation-error';

/**
 * One parameter set. Flat mode: flat keys (`metadata.labels.env`, `path[0]`)
 * to strings, except `elementsYaml` items and `flatList` clusters, which keep
 * their JSON values.
 */
export type ParamSet = TemplateParams;

/** Spec fields that name a generator, in Argo's field order (`GetRelevantGenerators`). */
export const GENERATOR_KINDS = ['list', 'clusters', 'git', 'matrix', 'merge'] as const;
export type GeneratorKind = (typeof GENERATOR_KINDS)[number];

export interface GenerationContext {
  readonly location: GeneratorLocation;
  /** Path of this generator's spec, e.g. `spec.generators[0].clusters`. */
  readonly specPath: string;
  /** Memoised ports for this expansion. */
  readonly sources: ExpansionSources;
  /** Records a warning for the preview (deduplicated by the expansion). */
  warn(field: string, message: string): void;
  /** A GenerationError (Invalid) at `field`; `problems` when several fields are at fault. */
  invalid(
    field: string,
    rule: string,
    message: string,
    problems?: readonly FieldProblem[],
  ): GenerationError;
  /** A GenerationError (Upstream) at `field`, wrapping a port failure. */
  upstream(field: string, message: string, cause: unknown): GenerationError;
  /**
   * Runs a matrix/merge child entry at `entryPath`: checks it sets exactly one
   * generator, interpolates its spec with `interpolation` when that is
   * non-empty (matrix), generates, and applies the child's own post-selector.
   */
  generateChild(
    child: ChildGenerator,
    entryPath: string,
    interpolation: ParamSet | null,
  ): Promise<ParamSet[]>;
}

export interface Generator<Spec> {
  readonly kind: GeneratorKind;
  /**
   * Parameter sets in a deterministic order; equal input gives equal output.
   * Throws GenerationError; an upstream failure is an error, never an empty list.
   */
  generate(spec: Spec, context: GenerationContext): Promise<ParamSet[]>;
  /** Seconds until the spec should be re-evaluated, or null for no timer (semantics.md §4). */
  requeueAfterSeconds(spec: Spec): number | null;
}

/** The requeue of a matrix/merge child entry, supplied by the registry. */
export type ChildRequeue = (child: ChildGenerator) => number | null;

/** The smallest positive value, or null when there is none (Argo's `getMinRequeueAfter`). */
export function minRequeue(values: readonly (number | null)[]): number | null {
  const positive = values.filter((v): v is number => v !== null && v > 0);
  return positive.length > 0 ? Math.min(...positive) : null;
}
