/**
 * The cluster client of a `SyncCluster`, with its request observer wired to
 * the control half's `onApiRequest` (for `fleetplane_cluster_api_requests_total`).
 */
import { ClusterClient } from '../../kube/cluster-client';
import { ClusterClientPool } from '../../kube/cluster-client-pool';
import { SyncCluster } from './engine.types';

/** The pooled client of `cluster`. */
export function clientOf(pool: ClusterClientPool, cluster: SyncCluster): Promise<ClusterClient> {
  const report = cluster.onApiRequest;
  return pool.client(
    cluster.name,
    cluster.access,
    report ? (verb, statusCode) => report({ verb, statusCode }) : undefined,
  );
}
