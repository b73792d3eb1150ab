/**
 * Health of objects that expose or store: Service, Ingress and
 * PersistentVolumeClaim (gitops-engine pkg/health/health_{service,ingress,pvc}.go).
 */
import { KubeObject } from '../manifests/kube-object';
import { HealthStatus, health } from './health-status';
import { readObjects, readString } from './object-fields';

const hasLoadBalancerIngress = (obj: KubeObject) =>
  readObjects(obj, ['status', 'loadBalancer', 'ingress']).length > 0;

/** Service: a LoadBalancer is Progressing until it has an ingress point; any other type is Healthy. */
export function serviceHealth(obj: KubeObject): HealthStatus {
  if (readString(obj, ['spec', 'type']) === 'LoadBalancer' && !hasLoadBalancerIngress(obj)) {
    return health('Progressing');
  }
  return health('Healthy');
}

/** Ingress: Healthy once the controller reports a load-balancer ingress point, else Progressing. */
export function ingressHealth(obj: KubeObject): HealthStatus {
  return health(hasLoadBalancerIngress(obj) ? 'Healthy' : 'Progressing');
}

/** PersistentVolumeClaim: Bound → Healthy, Pending → Progressing, Lost → Degraded, anything else → Unknown. */
export function persistentVolumeClaimHealth(obj: KubeObject): HealthStatus {
  switch (readString(obj, ['status', 'phase'])) {
    case 'Bound':
      return health('Healthy');
    case 'Pending':
      return health('Progressing');
    case 'Lost':
      return health('Degraded');
    default:
      return health('Unknown');
  }
}
