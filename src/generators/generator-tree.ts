/**
 * Static questions about an ApplicationSet's generators, answered without
 * running them (pure functions): which cluster selectors it uses, so a
 * cluster relabel re-evaluates only the ApplicationSets it can affect
 * (semantics.md header; Argo re-queues all of them, argo-cd#25630), and which
 * Git repositories it reads, so a push re-evaluates only its readers.
 */
import { ApplicationSet } from '../argo/applicationset.types';
import { fieldPath } from '../common/field-problem';
import { Labels, Selector, matches, selectorFromLabelSelector } from '../labels';
import { GENERATOR_KINDS, GeneratorKind } from './generator';

/** A generator spec found in the tree. */
interface GeneratorVisit {
  readonly kind: GeneratorKind;
  readonly spec: Record<string, unknown>;
  readonly specPath: string;
  readonly generatorIndex: number;
  /** True below a matrix's second child: its strings are rendered with the first child's sets. */
  readonly interpolated: boolean;
}

/** A cluster generator's selector. */
export interface ClusterSelectorUse {
  readonly specPath: string;
  readonly generatorIndex: number;
  /**
   * The requirements, or null when they cannot be known statically (they
   * depend on matrix interpolation, or are invalid): treat as "may match".
   */
  readonly selector: Selector | null;
}

/** A Git generator's repository. */
export interface GitSourceUse {
  readonly specPath: string;
  readonly generatorIndex: number;
  readonly repoURL: string;
  readonly revision: string | undefined;
  /** True when repoURL or revision holds `{{…}}` resolved by matrix interpolation. */
  readonly dependsOnInterpolation: boolean;
}

/** Every cluster generator's selector, at top level and inside matrix/merge (any depth). */
export function clusterSelectorsOf(appSet: ApplicationSet): ClusterSelectorUse[] {
  return visitGenerators(appSet)
    .filter((visit) => visit.kind === 'clusters')
    .map(({ spec, specPath, generatorIndex, interpolated }) => {
      const selector = spec.selector;
      if (interpolated && containsTag(selector))
        return { specPath, generatorIndex, selector: null };
      const parsed = selectorFromLabelSelector(selector, fieldPath(specPath, 'selector'));
      return {
        specPath,
        generatorIndex,
        selector: parsed.problems.length > 0 ? null : parsed.selector,
      };
    });
}

/**
 * Whether a cluster change can alter an ApplicationSet with these selectors:
 * true when any selector is unknown or matches the cluster's labels before or
 * after the change (`null` before: the cluster is new; `null` after: removed).
 */
export function clusterChangeMayAffect(
  uses: readonly ClusterSelectorUse[],
  labelsBefore: Labels | null,
  labelsAfter: Labels | null,
): boolean {
  return uses.some(
    ({ selector }) =>
      selector === null ||
      (labelsBefore !== null && matches(selector, labelsBefore)) ||
      (labelsAfter !== null && matches(selector, labelsAfter)),
  );
}

/** Every Git generator's repository and revision, at any depth. */
export function gitSourcesOf(appSet: ApplicationSet): GitSourceUse[] {
  return visitGenerators(appSet)
    .filter((visit) => visit.kind === 'git')
    .map(({ spec, specPath, generatorIndex, interpolated }) => ({
      specPath,
      generatorIndex,
      repoURL: String(spec.repoURL ?? ''),
      revision: typeof spec.revision === 'string' ? spec.revision : undefined,
      dependsOnInterpolation:
        interpolated && (containsTag(spec.repoURL) || containsTag(spec.revision)),
    }));
}

function visitGenerators(appSet: ApplicationSet): GeneratorVisit[] {
  const visits: GeneratorVisit[] = [];
  const visitEntry = (
    entry: unknown,
    entryPath: string,
    generatorIndex: number,
    interpolated: boolean,
  ): void => {
    if (!isMap(entry)) return;
    for (const kind of GENERATOR_KINDS) {
      const spec = entry[kind];
      if (!isMap(spec)) continue;
      const specPath = fieldPath(entryPath, kind);
      visits.push({ kind, spec, specPath, generatorIndex, interpolated });
      if ((kind === 'matrix' || kind === 'merge') && Array.isArray(spec.generators)) {
        spec.generators.forEach((child: unknown, i: number) => {
          const childInterpolated = interpolated || (kind === 'matrix' && i > 0);
          visitEntry(
            child,
            fieldPath(fieldPath(specPath, 'generators'), i),
            generatorIndex,
            childInterpolated,
          );
        });
      }
    }
  };
  (appSet.spec.generators ?? []).forEach((entry, i) =>
    visitEntry(entry, `spec.generators[${i}]`, i, false),
  );
  return visits;
}

/** True when any string or key inside `value` holds `{{`. */
function containsTag(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(containsTag);
  if (isMap(value))
    return Object.entries(value).some(([k, v]) => k.includes('{{') || containsTag(v));
  return false;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
