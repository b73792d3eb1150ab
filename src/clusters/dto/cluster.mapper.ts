import { Cluster } from '../cluster.model';
import { ClusterResponse } from './cluster.dto';

/** Maps a cluster to its API shape. Credentials appear only as the kinds that are set. */
export function toClusterResponse(cluster: Cluster): ClusterResponse {
  return {
    name: cluster.name,
    server: cluster.server,
    labels: cluster.labels,
    annotations: cluster.annotations,
    project: cluster.project,
    credentials: {
      kinds: cluster.credentialKinds,
      insecureSkipTLSVerify: cluster.insecureSkipTLSVerify,
    },
    connection: {
      status: cluster.connection.status,
      message: cluster.connection.message,
      serverVersion: cluster.connection.serverVersion,
      checkedAt: cluster.connection.checkedAt?.toISOString() ?? null,
    },
    resourceVersion: cluster.resourceVersion,
    createdAt: cluster.createdAt.toISOString(),
    updatedAt: cluster.updatedAt.toISOString(),
  };
}
