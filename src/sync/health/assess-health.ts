/**
 * The health of one live object: the registry of built-in checks by group and
 * kind (gitops-engine `GetHealthCheckFunc`, plus Argo CD's CronJob check),
 * the "Pending deletion" rule, and Unknown for a check that cannot judge.
 */
import { HOOK_FINALIZER } from '../manifests/annotations';
import { KubeObject, parseApiVersion } from '../manifests/kube-object';
import { cronJobHealth, jobHealth } from './batch-health';
import { HealthStatus, health } from './health-status';
import { podHealth } from './pod-health';
import { ingressHealth, persistentVolumeClaimHealth, serviceHealth } from './service-health';
import {
  daemonSetHealth,
  deploymentHealth,
  replicaSetHealth,
  statefulSetHealth,
} from './workload-health';

/** A built-in health check; throws when the object cannot be judged. */
export type HealthCheck = (obj: KubeObject) => HealthStatus;

// Keyed `group/Kind`. Deployment, ReplicaSet and DaemonSet are still served
// under the legacy `extensions` group by old clusters; Ingress under both
// `extensions` and `networking.k8s.io`. Any version of a group is accepted:
// the fields read here are the same in all of them.
const CHECKS: ReadonlyMap<string, HealthCheck> = new Map([
  ['apps/Deployment', deploymentHealth],
  ['extensions/Deployment', deploymentHealth],
  ['apps/StatefulSet', statefulSetHealth],
  ['apps/DaemonSet', daemonSetHealth],
  ['extensions/DaemonSet', daemonSetHealth],
  ['apps/ReplicaSet', replicaSetHealth],
  ['extensions/ReplicaSet', replicaSetHealth],
  ['/Service', serviceHealth],
  ['/PersistentVolumeClaim', persistentVolumeClaimHealth],
  ['/Pod', podHealth],
  ['networking.k8s.io/Ingress', ingressHealth],
  ['extensions/Ingress', ingressHealth],
  ['batch/Job', jobHealth],
  ['batch/CronJob', cronJobHealth],
]);

/** The built-in check for a kind, or undefined when the kind has none. */
export function healthCheckFor(group: string, kind: string): HealthCheck | undefined {
  return CHECKS.get(`${group}/${kind}`);
}

/**
 * Judges one live object (pure function, never throws):
 * - being deleted (`deletionTimestamp`, without Argo's hook finalizer) →
 *   Progressing "Pending deletion";
 * - a kind with a built-in check → that check's verdict, or Unknown with the
 *   reason when the check cannot read the object (a field of the wrong type);
 * - any other kind → Healthy: it exists, and nothing more can be known.
 */
export function assessHealth(obj: KubeObject): HealthStatus {
  const finalizers = Array.isArray(obj.metadata.finalizers) ? obj.metadata.finalizers : [];
  if (obj.metadata.deletionTimestamp && !finalizers.includes(HOOK_FINALIZER)) {
    return health('Progressing', 'Pending deletion');
  }
  const check = healthCheckFor(parseApiVersion(obj.apiVersion).group, obj.kind);
  if (!check) return health('Healthy');
  try {
    return check(obj);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return health(
      'Unknown',
      `failed to assess the health of ${obj.kind} "${obj.metadata.name}": ${reason}`,
    );
  }
}
