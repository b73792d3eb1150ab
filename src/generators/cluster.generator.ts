/**
 * Cluster generator (Argo's `generators/cluster.go`, semantics.md §1.3) over
 * the clusters registered in Fleetplane. Deliberate differences from Argo
 * (semantics.md header): no synthetic `in-cluster` entry, no secret-type
 * label, clusters in byte-wise name order instead of hash-map order.
 */
import { ClusterGenerator as ClusterGeneratorSpec } from '../argo/applicationset.types';
import { fieldPath } from '../common/field-problem';
import { Selector, matches, selectorFromLabelSelector } from '../labels';
import { compareBytewise, normalize } from '../templates';
import { GenerationContext, Generator, ParamSet } from './generator';
import { ValuesAppender, valuesAppender } from './generator-values';
import { ClusterRecord } from './ports';
import { mapField } from './spec-fields';

export class ClusterGenerator implements Generator<ClusterGeneratorSpec> {
  readonly kind = 'clusters';

  /**
   * One set per registered cluster the selector matches: `name`,
   * `nameNormalized`, `server`, `project` (`""` when unset),
   * `metadata.labels.<k>`, `metadata.annotations.<k>` (keys in byte-wise
   * order), then `values.<k>`. With `flatList`, one set `{clusters: [...]}`.
   * Selector values are validated as label values, so a matrix that
   * interpolates `{{…}}` into one it cannot resolve fails, as in Argo.
   */
  async generate(spec: ClusterGeneratorSpec, context: GenerationContext): Promise<ParamSet[]> {
    const selector = parseSelector(spec, context);
    let clusters: readonly ClusterRecord[];
    try {
      clusters = await context.sources.listClusters();
    } catch (error) {
      throw context.upstream(context.specPath, 'unable to list the registered clusters', error);
    }
    const addValues = valuesAppender(mapField(spec, 'values', context), context);
    const sets = uniqueByName(clusters.filter((c) => matches(selector, c.labels))).map((cluster) =>
      clusterParams(cluster, addValues),
    );
    return spec.flatList ? [{ clusters: sets }] : sets;
  }

  /** Event-driven: the reconciler re-runs it when clusters change (§4). */
  requeueAfterSeconds(): number | null {
    return null;
  }
}

function parseSelector(spec: ClusterGeneratorSpec, context: GenerationContext): Selector {
  const field = fieldPath(context.specPath, 'selector');
  const { selector, problems } = selectorFromLabelSelector(spec.selector, field, {
    validateValues: true,
  });
  if (problems.length > 0) {
    const summary = problems.map((p) => `${p.field}: ${p.message}`).join('; ');
    throw context.invalid(
      field,
      'selector',
      `error converting label selector: ${summary}`,
      problems,
    );
  }
  return selector;
}

/** Byte-wise name order; of two clusters with one name the later listed wins, as in Argo. */
function uniqueByName(clusters: readonly ClusterRecord[]): ClusterRecord[] {
  const byName = new Map(clusters.map((cluster) => [cluster.name, cluster]));
  const unique = [...byName.values()];
  // The registry lists clusters in name order already; checking is n comparisons, sorting n log n.
  for (let i = 1; i < unique.length; i++) {
    if (compareBytewise(unique[i - 1].name, unique[i].name) > 0) {
      return unique.sort((a, b) => compareBytewise(a.name, b.name));
    }
  }
  return unique;
}

function clusterParams(cluster: ClusterRecord, addValues: ValuesAppender): ParamSet {
  // Every key is fixed or prefixed (`metadata.labels.`), so plain assignment is safe here.
  const params: Record<string, unknown> = {
    name: cluster.name,
    nameNormalized: normalize(cluster.name),
    server: cluster.server,
    project: cluster.project ?? '',
  };
  for (const key of sortedKeys(cluster.labels)) {
    params[`metadata.labels.${key}`] = cluster.labels[key];
  }
  for (const key of sortedKeys(cluster.annotations)) {
    params[`metadata.annotations.${key}`] = cluster.annotations[key];
  }
  addValues(params);
  return params;
}

function sortedKeys(map: Readonly<Record<string, string>>): string[] {
  return Object.keys(map).sort(compareBytewise);
}
