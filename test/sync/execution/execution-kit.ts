/**
 * Shared helpers of the execution e2e specs: cluster access for a kube-sim
 * cluster, Applications, and manifests.
 */
import { Application } from '../../../src/argo/application.types';
import { ClusterAccess } from '../../../src/kube/cluster-access';
import { SyncCluster } from '../../../src/sync/engine/engine.types';
import { SimCluster } from '../../kube-sim';

/** The ClusterAccess Fleetplane would store for a kube-sim cluster (CA as PEM). */
export function accessOf(cluster: SimCluster): ClusterAccess {
  return {
    server: cluster.server,
    bearerToken: cluster.token,
    caData: cluster.caData ? Buffer.from(cluster.caData, 'base64').toString('utf8') : undefined,
    insecureSkipTLSVerify: false,
  };
}

/** The SyncCluster of a kube-sim cluster. */
export function syncClusterOf(cluster: SimCluster): SyncCluster {
  return { name: cluster.name, access: accessOf(cluster) };
}

/** An Application of a Git source, with spec overrides. */
export function application(
  name: string,
  source: Application['spec']['source'],
  spec: Partial<Application['spec']> = {},
): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name },
    spec: {
      project: 'default',
      source,
      destination: { name: 'in-cluster', namespace: 'default' },
      ...spec,
    },
  };
}
