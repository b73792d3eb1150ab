/**
 * What the registry strategies of the API server do around a write, beyond
 * defaulting and validation: the initial status of a new object, the status
 * a main-resource write may not change, cluster IP and node port allocation
 * for Services, the generated selector of Jobs, and the generation bump.
 * Mutates the candidate object it is given.
 */
import { Json, JsonMap, childMap, isJsonMap, jsonEqual } from '../api/json';
import { KubeObject, objectName } from '../api/kube-object';
import { ResourceType } from '../api/resource-type';

/** Hands out Service cluster IPs and node ports, per virtual cluster. */
export class ServiceAllocator {
  private nextIp = 11;
  private nextNodePort = 30000;

  /** An address of the default 10.96.0.0/12 service range (.1 and .10 are taken by kubernetes and kube-dns). */
  clusterIp(): string {
    const n = this.nextIp++;
    return `10.96.${Math.floor(n / 254) % 256}.${(n % 254) + 1}`;
  }

  nodePort(): number {
    const port = this.nextNodePort;
    this.nextNodePort = port >= 32767 ? 30000 : port + 1;
    return port;
  }
}

/** The status a new object starts with, as the create strategies set it. */
function initialStatus(type: ResourceType): JsonMap | undefined {
  if (type.custom) return undefined;
  switch (type.kind) {
    case 'Namespace':
      return { phase: 'Active' };
    case 'PersistentVolumeClaim':
      return { phase: 'Pending' };
    case 'Service':
      return { loadBalancer: {} };
    case 'Pod':
      return { phase: 'Pending', qosClass: 'BestEffort' };
    default:
      return type.statusSubresource ? {} : undefined;
  }
}

/** `PrepareForCreate`: system-owned parts of a new object. */
export function prepareForCreate(
  object: KubeObject,
  type: ResourceType,
  allocator: ServiceAllocator,
): void {
  if (type.statusSubresource) {
    const status = initialStatus(type);
    if (status) object.status = status;
    else delete object.status;
  }
  if (type.generation !== 'none') object.metadata.generation = 1;
  if (type.custom) return;
  if (type.kind === 'Service') allocateService(object, undefined, allocator);
  if (type.kind === 'Job') generateJobSelector(object);
}

/** `PrepareForUpdate` of a main-resource write: keeps what the client may not change here. */
export function prepareForUpdate(
  next: KubeObject,
  previous: KubeObject,
  type: ResourceType,
  allocator: ServiceAllocator,
): void {
  if (type.statusSubresource) {
    if (previous.status === undefined) delete next.status;
    else next.status = previous.status;
  }
  if (!type.custom && type.kind === 'Service') allocateService(next, previous, allocator);
}

/** A write through `/status`: only the status of `next` is kept. */
export function prepareForStatusUpdate(next: KubeObject, previous: KubeObject): KubeObject {
  const out: KubeObject = { ...previous, metadata: { ...previous.metadata } };
  if (next.status === undefined) delete out.status;
  else out.status = next.status;
  return out;
}

/** `metadata.generation` after a write, per the kind's policy. */
export function nextGeneration(
  next: KubeObject,
  previous: KubeObject,
  type: ResourceType,
): number | undefined {
  const current =
    typeof previous.metadata.generation === 'number' ? previous.metadata.generation : undefined;
  if (type.generation === 'none' || current === undefined) return current;
  const changed =
    type.generation === 'spec'
      ? !jsonEqual(next.spec, previous.spec)
      : !jsonEqual(withoutMetaAndStatus(next, type), withoutMetaAndStatus(previous, type));
  return changed ? current + 1 : current;
}

function withoutMetaAndStatus(object: KubeObject, type: ResourceType): JsonMap {
  const { metadata: _m, status, ...rest } = object;
  return type.statusSubresource ? rest : { ...rest, status: status ?? null };
}

function allocateService(
  service: KubeObject,
  previous: KubeObject | undefined,
  allocator: ServiceAllocator,
) {
  const spec = childMap(service, 'spec');
  if (!spec) return;
  const before = childMap(previous, 'spec');
  if (spec.type !== 'ExternalName') {
    if (spec.clusterIP === undefined || spec.clusterIP === '') {
      spec.clusterIP = (before?.clusterIP as Json | undefined) ?? allocator.clusterIp();
    }
    if (spec.clusterIPs === undefined) {
      spec.clusterIPs = (before?.clusterIPs as Json | undefined) ?? [spec.clusterIP];
    }
    if (spec.clusterIP !== 'None') {
      spec.ipFamilies ??= before?.ipFamilies ?? ['IPv4'];
      spec.ipFamilyPolicy ??= before?.ipFamilyPolicy ?? 'SingleStack';
    } else {
      spec.ipFamilies ??= before?.ipFamilies ?? ['IPv4'];
      spec.ipFamilyPolicy ??= before?.ipFamilyPolicy ?? 'RequireDualStack';
    }
  }
  if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && Array.isArray(spec.ports)) {
    const oldPorts = Array.isArray(before?.ports) ? before.ports.filter(isJsonMap) : [];
    for (const port of spec.ports) {
      if (!isJsonMap(port) || port.nodePort !== undefined) continue;
      const old = oldPorts.find(
        (p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'),
      );
      port.nodePort = (old?.nodePort as Json | undefined) ?? allocator.nodePort();
    }
  }
}

/** A Job without `manualSelector` gets a selector on its controller UID and matching template labels. */
function generateJobSelector(job: KubeObject): void {
  const spec = childMap(job, 'spec');
  if (!spec || spec.manualSelector === true) return;
  const uid = String(job.metadata.uid ?? '');
  const name = objectName(job);
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  const template = childMap(spec, 'template');
  if (!template) return;
  const metadata = childMap(template, 'metadata') ?? {};
  metadata.labels = {
    ...(childMap(metadata, 'labels') ?? {}),
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  template.metadata = metadata;
}
