/**
 * Per-kind defaulting, as the API server applies it when it decodes a request
 * (`SetDefaults_*` in k8s.io/kubernetes `pkg/apis/<group>/v1/defaults.go`,
 * plus the namespace label and Secret `stringData` the registry strategies
 * handle). Mutates the object it is given; callers pass a copy.
 */
import { JsonMap, childMap, isJsonMap, setDefault } from '../api/json';
import { KubeObject, objectName } from '../api/kube-object';
import { ResourceType } from '../api/resource-type';
import { defaultPodSpec, defaultPodTemplate } from './pod-defaults';

type Defaulter = (object: KubeObject) => void;

const DEFAULTERS: Record<string, Defaulter> = {
  Namespace: (ns) => {
    const labels = childMap(ns, 'metadata')?.labels;
    ns.metadata.labels = {
      ...(isJsonMap(labels) ? labels : {}),
      'kubernetes.io/metadata.name': objectName(ns),
    };
    setDefault(ns, ['spec', 'finalizers'], ['kubernetes']);
  },
  Secret: (secret) => {
    setDefault(secret, ['type'], 'Opaque');
    const stringData = secret.stringData;
    if (isJsonMap(stringData)) {
      const data: JsonMap = isJsonMap(secret.data) ? { ...secret.data } : {};
      for (const [key, value] of Object.entries(stringData)) {
        data[key] = Buffer.from(String(value)).toString('base64');
      }
      secret.data = data;
      delete secret.stringData;
    }
  },
  Service: (service) => {
    const spec = childMap(service, 'spec');
    if (!spec) return;
    setDefault(spec, ['type'], 'ClusterIP');
    setDefault(spec, ['sessionAffinity'], 'None');
    if (spec.type !== 'ExternalName') setDefault(spec, ['internalTrafficPolicy'], 'Cluster');
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
      setDefault(spec, ['externalTrafficPolicy'], 'Cluster');
    }
    if (spec.type === 'LoadBalancer') setDefault(spec, ['allocateLoadBalancerNodePorts'], true);
    const ports = spec.ports;
    if (Array.isArray(ports)) {
      for (const port of ports) {
        if (!isJsonMap(port)) continue;
        setDefault(port, ['protocol'], 'TCP');
        if (port.port !== undefined) setDefault(port, ['targetPort'], port.port);
      }
    }
  },
  Pod: (pod) => {
    const spec = childMap(pod, 'spec');
    if (spec) defaultPodSpec(spec, { pod: true });
  },
  PersistentVolumeClaim: (pvc) => setDefault(pvc, ['spec', 'volumeMode'], 'Filesystem'),
  Deployment: (deployment) => {
    setDefault(deployment, ['spec', 'replicas'], 1);
    setDefault(deployment, ['spec', 'revisionHistoryLimit'], 10);
    setDefault(deployment, ['spec', 'progressDeadlineSeconds'], 600);
    setDefault(deployment, ['spec', 'strategy', 'type'], 'RollingUpdate');
    const strategy = childMap(childMap(deployment, 'spec'), 'strategy');
    if (strategy?.type === 'RollingUpdate') {
      setDefault(strategy, ['rollingUpdate', 'maxUnavailable'], '25%');
      setDefault(strategy, ['rollingUpdate', 'maxSurge'], '25%');
    }
    defaultPodTemplate(childMap(deployment, 'spec')?.template);
  },
  ReplicaSet: (rs) => {
    setDefault(rs, ['spec', 'replicas'], 1);
    defaultPodTemplate(childMap(rs, 'spec')?.template);
  },
  StatefulSet: (sts) => {
    setDefault(sts, ['spec', 'replicas'], 1);
    setDefault(sts, ['spec', 'podManagementPolicy'], 'OrderedReady');
    setDefault(sts, ['spec', 'revisionHistoryLimit'], 10);
    setDefault(sts, ['spec', 'updateStrategy', 'type'], 'RollingUpdate');
    if (childMap(childMap(sts, 'spec'), 'updateStrategy')?.type === 'RollingUpdate') {
      setDefault(sts, ['spec', 'updateStrategy', 'rollingUpdate', 'partition'], 0);
    }
    setDefault(sts, ['spec', 'persistentVolumeClaimRetentionPolicy'], {
      whenDeleted: 'Retain',
      whenScaled: 'Retain',
    });
    const templates = childMap(sts, 'spec')?.volumeClaimTemplates;
    if (Array.isArray(templates)) {
      for (const t of templates)
        if (isJsonMap(t)) setDefault(t, ['spec', 'volumeMode'], 'Filesystem');
    }
    defaultPodTemplate(childMap(sts, 'spec')?.template);
  },
  DaemonSet: (ds) => {
    setDefault(ds, ['spec', 'revisionHistoryLimit'], 10);
    setDefault(ds, ['spec', 'updateStrategy', 'type'], 'RollingUpdate');
    if (childMap(childMap(ds, 'spec'), 'updateStrategy')?.type === 'RollingUpdate') {
      setDefault(ds, ['spec', 'updateStrategy', 'rollingUpdate', 'maxUnavailable'], 1);
      setDefault(ds, ['spec', 'updateStrategy', 'rollingUpdate', 'maxSurge'], 0);
    }
    defaultPodTemplate(childMap(ds, 'spec')?.template);
  },
  Job: (job) => defaultJobSpec(childMap(job, 'spec')),
  CronJob: (cronJob) => {
    const spec = childMap(cronJob, 'spec');
    if (!spec) return;
    setDefault(spec, ['concurrencyPolicy'], 'Allow');
    setDefault(spec, ['suspend'], false);
    setDefault(spec, ['successfulJobsHistoryLimit'], 3);
    setDefault(spec, ['failedJobsHistoryLimit'], 1);
    defaultJobSpec(childMap(childMap(spec, 'jobTemplate'), 'spec'));
  },
  CustomResourceDefinition: (crd) => {
    const spec = childMap(crd, 'spec');
    if (!spec) return;
    setDefault(spec, ['conversion', 'strategy'], 'None');
    const names = childMap(spec, 'names');
    if (names && typeof names.kind === 'string') {
      setDefault(names, ['singular'], names.kind.toLowerCase());
      setDefault(names, ['listKind'], `${names.kind}List`);
    }
  },
};

function defaultJobSpec(spec: JsonMap | undefined): void {
  if (!spec) return;
  setDefault(spec, ['parallelism'], 1);
  setDefault(spec, ['completions'], 1);
  setDefault(spec, ['backoffLimit'], 6);
  setDefault(spec, ['completionMode'], 'NonIndexed');
  setDefault(spec, ['suspend'], false);
  setDefault(spec, ['podReplacementPolicy'], 'TerminatingOrFailed');
  defaultPodTemplate(spec.template);
}

/** Applies the defaults of a built-in kind in place; custom resources have none here. */
export function applyDefaults(object: KubeObject, type: ResourceType): void {
  if (!type.custom) DEFAULTERS[type.kind]?.(object);
}
