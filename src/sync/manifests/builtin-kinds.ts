/**
 * Whether the built-in Kubernetes kinds are namespaced, so that namespace
 * defaulting works before (or without) API discovery. The worker's
 * `isNamespaced` callback (backed by discovery) takes precedence; a kind
 * neither knows is treated as namespaced, as Argo CD does
 * (`IsNamespacedOrUnknown` in controller/state.go).
 */
import { ObjectRef } from './kube-object';

const CLUSTER_SCOPED: Readonly<Record<string, readonly string[]>> = {
  '': ['Namespace', 'Node', 'PersistentVolume', 'ComponentStatus'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding'],
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  'apiregistration.k8s.io': ['APIService'],
  'storage.k8s.io': ['StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment'],
  'admissionregistration.k8s.io': [
    'MutatingWebhookConfiguration',
    'ValidatingWebhookConfiguration',
    'ValidatingAdmissionPolicy',
    'ValidatingAdmissionPolicyBinding',
  ],
  'scheduling.k8s.io': ['PriorityClass'],
  'node.k8s.io': ['RuntimeClass'],
  'networking.k8s.io': ['IngressClass'],
  policy: ['PodSecurityPolicy'],
  'certificates.k8s.io': ['CertificateSigningRequest'],
  'flowcontrol.apiserver.k8s.io': ['FlowSchema', 'PriorityLevelConfiguration'],
};

const NAMESPACED: Readonly<Record<string, readonly string[]>> = {
  '': [
    'ConfigMap',
    'Endpoints',
    'Event',
    'LimitRange',
    'PersistentVolumeClaim',
    'Pod',
    'PodTemplate',
    'ReplicationController',
    'ResourceQuota',
    'Secret',
    'Service',
    'ServiceAccount',
  ],
  apps: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  autoscaling: ['HorizontalPodAutoscaler'],
  batch: ['CronJob', 'Job'],
  extensions: ['DaemonSet', 'Deployment', 'Ingress', 'NetworkPolicy', 'ReplicaSet'],
  'networking.k8s.io': ['Ingress', 'NetworkPolicy'],
  policy: ['PodDisruptionBudget'],
  'rbac.authorization.k8s.io': ['Role', 'RoleBinding'],
  'coordination.k8s.io': ['Lease'],
  'discovery.k8s.io': ['EndpointSlice'],
  'events.k8s.io': ['Event'],
  'storage.k8s.io': ['CSIStorageCapacity'],
};

/**
 * True or false for a built-in kind, undefined for any other (custom
 * resources, aggregated APIs): only discovery can tell those.
 */
export function builtinIsNamespaced(ref: Pick<ObjectRef, 'group' | 'kind'>): boolean | undefined {
  if (CLUSTER_SCOPED[ref.group]?.includes(ref.kind)) return false;
  if (NAMESPACED[ref.group]?.includes(ref.kind)) return true;
  return undefined;
}

/** Answers whether a kind is namespaced, or undefined when the answerer does not know it. */
export type NamespacedLookup = (ref: ObjectRef) => boolean | undefined;

/**
 * Whether objects of this kind live in a namespace: the caller's lookup
 * first, then the built-in table, then "namespaced" for anything unknown
 * (Argo's rule, so a custom resource without discovery still lands in the
 * destination namespace).
 */
export function resolveNamespaced(ref: ObjectRef, lookup?: NamespacedLookup): boolean {
  return lookup?.(ref) ?? builtinIsNamespaced(ref) ?? true;
}
