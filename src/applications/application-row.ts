/**
 * Turns a generated Application into its stored row (pure function): the
 * destination resolved to a registered cluster, the columns used for
 * filtering, and the hash that tells whether it changed.
 */
import { Application } from '../argo/application.types';
import { contentHash } from '../sync/manifests/content-hash';
import { ApplicationRow } from './application.model';

export interface ClusterRef {
  readonly name: string;
  readonly server: string;
}

/** Hash of everything the reconciler writes for an Application (metadata and spec). */
export function manifestHash(application: Application): string {
  return contentHash(application);
}

/**
 * The destination cluster: by `destination.name`, or by `destination.server`
 * (first registered cluster with that server, in name order).
 */
export function resolveDestination(
  application: Application,
  clustersByName: ReadonlyMap<string, ClusterRef>,
  clustersByServer: ReadonlyMap<string, ClusterRef>,
): ClusterRef | null {
  const { name, server } = application.spec.destination ?? {};
  if (name) return clustersByName.get(name) ?? null;
  if (server) return clustersByServer.get(server) ?? null;
  return null;
}

export function toApplicationRow(
  application: Application,
  cluster: ClusterRef | null,
): ApplicationRow {
  return {
    name: application.metadata.name,
    project: application.spec.project,
    clusterName: cluster?.name ?? null,
    destServer: cluster?.server ?? application.spec.destination?.server ?? null,
    destNamespace: application.spec.destination?.namespace ?? '',
    labels: application.metadata.labels ?? {},
    manifest: application,
    specHash: manifestHash(application),
  };
}

/** Lookup tables for `resolveDestination`; `clusters` must be in name order. */
export function indexClusters(clusters: readonly ClusterRef[]): {
  byName: Map<string, ClusterRef>;
  byServer: Map<string, ClusterRef>;
} {
  const byName = new Map<string, ClusterRef>();
  const byServer = new Map<string, ClusterRef>();
  for (const cluster of clusters) {
    byName.set(cluster.name, cluster);
    if (!byServer.has(cluster.server)) byServer.set(cluster.server, cluster);
  }
  return { byName, byServer };
}
