/**
 * Health of the rollout controllers: Deployment, StatefulSet, DaemonSet and
 * ReplicaSet, after gitops-engine pkg/health/health_{deployment,statefulset,
 * daemonset,replicaset}.go, which in turn follow `kubectl rollout status`.
 * Messages keep gitops-engine's wording: users search for them.
 */
import { KubeObject } from '../manifests/kube-object';
import { HealthStatus, health } from './health-status';
import { findCondition, readBool, readInt, readObject, readString } from './object-fields';

const generationOf = (obj: KubeObject) => readInt(obj, ['metadata', 'generation']) ?? 0;
const statusInt = (obj: KubeObject, field: string) => readInt(obj, ['status', field]) ?? 0;

/** Progressing while the controller has not yet seen the latest spec (`kubectl rollout status`). */
function awaitingController(obj: KubeObject, noun: string): HealthStatus | undefined {
  if (generationOf(obj) <= statusInt(obj, 'observedGeneration')) return undefined;
  return health(
    'Progressing',
    `Waiting for rollout to finish: observed ${noun} generation less than desired generation`,
  );
}

/**
 * Deployment: paused → Suspended; generation not yet observed → Progressing;
 * Progressing condition with reason ProgressDeadlineExceeded → Degraded;
 * fewer updated replicas than wanted, old replicas still terminating, or
 * updated replicas not yet available → Progressing; otherwise Healthy.
 */
export function deploymentHealth(obj: KubeObject): HealthStatus {
  if (readBool(obj, ['spec', 'paused'])) return health('Suspended', 'Deployment is paused');
  const unobserved = awaitingController(obj, 'deployment');
  if (unobserved) return unobserved;
  if (findCondition(obj, 'Progressing')?.reason === 'ProgressDeadlineExceeded') {
    return health('Degraded', `Deployment "${obj.metadata.name}" exceeded its progress deadline`);
  }
  const wanted = readInt(obj, ['spec', 'replicas']);
  const replicas = statusInt(obj, 'replicas');
  const updated = statusInt(obj, 'updatedReplicas');
  const available = statusInt(obj, 'availableReplicas');
  if (wanted !== undefined && updated < wanted) {
    return health(
      'Progressing',
      `Waiting for rollout to finish: ${updated} out of ${wanted} new replicas have been updated...`,
    );
  }
  if (replicas > updated) {
    return health(
      'Progressing',
      `Waiting for rollout to finish: ${replicas - updated} old replicas are pending termination...`,
    );
  }
  if (available < updated) {
    return health(
      'Progressing',
      `Waiting for rollout to finish: ${available} of ${updated} updated replicas are available...`,
    );
  }
  return health('Healthy');
}

/**
 * StatefulSet: generation not observed (or observedGeneration 0) or fewer
 * ready pods than replicas → Progressing; a RollingUpdate with a partition
 * is Healthy once `updatedReplicas ≥ replicas − partition`; OnDelete is
 * Healthy; otherwise Healthy once `updateRevision == currentRevision`.
 * StatefulSets are never Degraded by the built-in logic.
 */
export function statefulSetHealth(obj: KubeObject): HealthStatus {
  const observed = statusInt(obj, 'observedGeneration');
  if (observed === 0 || generationOf(obj) > observed) {
    return health('Progressing', 'Waiting for statefulset spec update to be observed...');
  }
  const wanted = readInt(obj, ['spec', 'replicas']);
  const ready = statusInt(obj, 'readyReplicas');
  if (wanted !== undefined && ready < wanted) {
    return health('Progressing', `Waiting for ${wanted - ready} pods to be ready...`);
  }
  const strategy = readString(obj, ['spec', 'updateStrategy', 'type']);
  const updated = statusInt(obj, 'updatedReplicas');
  const rollingUpdate = readObject(obj, ['spec', 'updateStrategy', 'rollingUpdate']) !== undefined;
  if (strategy === 'RollingUpdate' && rollingUpdate) {
    const partition = readInt(obj, ['spec', 'updateStrategy', 'rollingUpdate', 'partition']);
    if (wanted !== undefined && partition !== undefined && updated < wanted - partition) {
      return health(
        'Progressing',
        `Waiting for partitioned roll out to finish: ${updated} out of ${wanted - partition} new pods have been updated...`,
      );
    }
    return health(
      'Healthy',
      `partitioned roll out complete: ${updated} new pods have been updated...`,
    );
  }
  if (strategy === 'OnDelete') {
    return health('Healthy', `statefulset has ${ready} ready pods (${updated} updated)`);
  }
  const updateRevision = readString(obj, ['status', 'updateRevision']) ?? '';
  const currentRevision = readString(obj, ['status', 'currentRevision']) ?? '';
  if (updateRevision !== currentRevision) {
    return health(
      'Progressing',
      `waiting for statefulset rolling update to complete ${updated} pods at revision ${updateRevision}...`,
    );
  }
  const current = statusInt(obj, 'currentReplicas');
  return health(
    'Healthy',
    `statefulset rolling update complete ${current} pods at revision ${currentRevision}...`,
  );
}

/**
 * DaemonSet: generation not observed → Progressing; OnDelete → Healthy;
 * `updatedNumberScheduled` or `numberAvailable` below
 * `desiredNumberScheduled` → Progressing; otherwise Healthy.
 */
export function daemonSetHealth(obj: KubeObject): HealthStatus {
  const unobserved = awaitingController(obj, 'daemon set');
  if (unobserved) return unobserved;
  const desired = statusInt(obj, 'desiredNumberScheduled');
  const updated = statusInt(obj, 'updatedNumberScheduled');
  if (readString(obj, ['spec', 'updateStrategy', 'type']) === 'OnDelete') {
    return health('Healthy', `daemon set ${updated} out of ${desired} new pods have been updated`);
  }
  const name = obj.metadata.name;
  if (updated < desired) {
    return health(
      'Progressing',
      `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`,
    );
  }
  const available = statusInt(obj, 'numberAvailable');
  if (available < desired) {
    return health(
      'Progressing',
      `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`,
    );
  }
  return health('Healthy');
}

/**
 * ReplicaSet: generation not observed → Progressing; ReplicaFailure
 * condition True → Degraded; fewer available replicas than wanted →
 * Progressing; otherwise Healthy.
 */
export function replicaSetHealth(obj: KubeObject): HealthStatus {
  const unobserved = awaitingController(obj, 'replica set');
  if (unobserved) return unobserved;
  const failure = findCondition(obj, 'ReplicaFailure');
  if (failure?.status === 'True') return health('Degraded', failure.message);
  const wanted = readInt(obj, ['spec', 'replicas']);
  const available = statusInt(obj, 'availableReplicas');
  if (wanted !== undefined && available < wanted) {
    return health(
      'Progressing',
      `Waiting for rollout to finish: ${available} out of ${wanted} new replicas are available...`,
    );
  }
  return health('Healthy');
}
