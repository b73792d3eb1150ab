/**
 * The renderer's `ScopeResolver` backed by each cluster's discovery cache:
 * whether a custom kind is namespaced on the cluster the Application
 * targets. A kind the cluster does not serve is left unknown (treated as
 * namespaced, Argo's `IsNamespacedOrUnknown`).
 */
import { ClusterClientPool } from '../../kube/cluster-client-pool';
import { ScopeResolver } from '../render/render.types';
import { clientOf } from './cluster-clients';

/** A ScopeResolver asking the clusters of `pool`. */
export function clusterScopeResolver(pool: ClusterClientPool): ScopeResolver {
  return async (cluster, kinds) => {
    const client = await clientOf(pool, cluster);
    const answers = new Map<string, boolean>();
    for (const kind of kinds) {
      const type = await client.discovery.resolve(kind.group, kind.version, kind.kind);
      if (type) answers.set(`${kind.group}/${kind.kind}`, type.namespaced);
    }
    return (ref) => answers.get(`${ref.group}/${ref.kind}`);
  };
}
