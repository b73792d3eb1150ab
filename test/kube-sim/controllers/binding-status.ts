/**
 * The other things a cluster does to objects after a delay: a
 * PersistentVolumeClaim is bound to a dynamically provisioned volume, a
 * LoadBalancer Service gets an ingress address. Pure functions.
 */
import { JsonMap, childMap } from '../api/json';
import { KubeObject, objectUid } from '../api/kube-object';

/** The claim as the PV binder leaves it: `spec.volumeName`, and the status (phase Bound, capacity). */
export function boundClaim(pvc: KubeObject): { spec: JsonMap; status: JsonMap } {
  const spec = childMap(pvc, 'spec') ?? {};
  const requests = childMap(childMap(spec, 'resources'), 'requests') ?? {};
  const status: JsonMap = { phase: 'Bound', capacity: { storage: requests.storage ?? '1Gi' } };
  if (Array.isArray(spec.accessModes)) status.accessModes = spec.accessModes;
  return { spec: { ...spec, volumeName: `pvc-${objectUid(pvc)}` }, status };
}

/** True when the claim still waits for a volume. */
export function isPendingClaim(pvc: KubeObject): boolean {
  return childMap(pvc, 'status')?.phase !== 'Bound';
}

/** True for a Service of type LoadBalancer that has no ingress address yet. */
export function needsLoadBalancer(service: KubeObject): boolean {
  if (childMap(service, 'spec')?.type !== 'LoadBalancer') return false;
  const ingress = childMap(childMap(service, 'status'), 'loadBalancer')?.ingress;
  return !Array.isArray(ingress) || ingress.length === 0;
}

/** The status of a LoadBalancer Service once an address (from TEST-NET-2, 198.51.100.0/24) is assigned. */
export function loadBalancerStatus(index: number): JsonMap {
  return { loadBalancer: { ingress: [{ ip: `198.51.100.${(index % 254) + 1}`, ipMode: 'VIP' }] } };
}
