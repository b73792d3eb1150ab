/**
 * Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`,
 * which `kubectl get` sends): the columns of the built-in printers
 * (k8s.io/kubernetes `pkg/printers/internalversion/printers.go`) for the
 * kinds kube-sim serves, and the CRD's `additionalPrinterColumns` for custom
 * kinds. Ages are rendered by the server, as `HumanDuration` renders them.
 * Pure functions.
 */
import { Json, JsonMap, childMap, getPath, isJsonMap } from '../api/json';
import { KubeObject, objectName } from '../api/kube-object';
import { PrinterColumn, ResourceType } from '../api/resource-type';

type Cell = string | number | boolean;

interface Column {
  readonly name: string;
  readonly type?: string;
  readonly priority?: number;
  cell(object: KubeObject, now: Date): Cell;
}

/** kubectl's `duration.HumanDuration`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8)
    return hours % 24 === 0 ? `${hours / 24}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 2) return `${days}d`;
  if (hours < 24 * 365 * 8)
    return days % 365 === 0
      ? `${Math.floor(days / 365)}y`
      : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

function since(timestamp: Json | undefined, now: Date): string {
  if (typeof timestamp !== 'string') return '<unknown>';
  return humanDuration(now.getTime() - Date.parse(timestamp));
}

const num = (v: Json | undefined): number => (typeof v === 'number' ? v : 0);
const str = (v: Json | undefined, fallback = '<none>'): string =>
  typeof v === 'string' && v !== '' ? v : fallback;
const at = (o: KubeObject, path: string) => getPath(o, path.split('.'));
const count = (v: Json | undefined): number => (isJsonMap(v) ? Object.keys(v).length : 0);

const NAME: Column = { name: 'Name', type: 'string', cell: (o) => objectName(o) };
const AGE: Column = {
  name: 'Age',
  type: 'string',
  cell: (o, now) => since(o.metadata.creationTimestamp, now),
};
const CREATED_AT: Column = {
  name: 'Created At',
  type: 'date',
  cell: (o) => str(o.metadata.creationTimestamp),
};

function servicePorts(service: KubeObject): string {
  const ports = childMap(service, 'spec')?.ports;
  if (!Array.isArray(ports) || ports.length === 0) return '<none>';
  return ports
    .filter(isJsonMap)
    .map(
      (p) =>
        `${String(p.port)}${p.nodePort ? `:${String(p.nodePort)}` : ''}/${str(p.protocol, 'TCP')}`,
    )
    .join(',');
}

function externalIp(service: KubeObject): string {
  const spec = childMap(service, 'spec') ?? {};
  if (spec.type === 'ExternalName') return str(spec.externalName);
  const ingress = at(service, 'status.loadBalancer.ingress');
  const ips = Array.isArray(ingress)
    ? ingress.filter(isJsonMap).map((i) => str(i.ip ?? i.hostname, ''))
    : [];
  if (ips.length) return ips.join(',');
  return spec.type === 'LoadBalancer' ? '<pending>' : '<none>';
}

function podReady(pod: KubeObject): string {
  const statuses = at(pod, 'status.containerStatuses');
  const containers = at(pod, 'spec.containers');
  const total = Array.isArray(containers) ? containers.length : 0;
  const ready = Array.isArray(statuses)
    ? statuses.filter((s) => isJsonMap(s) && s.ready === true).length
    : 0;
  return `${ready}/${total}`;
}

function podStatus(pod: KubeObject): string {
  const statuses = at(pod, 'status.containerStatuses');
  for (const status of Array.isArray(statuses) ? statuses : []) {
    const reason = getPath(status, ['state', 'waiting', 'reason']);
    if (typeof reason === 'string') return reason;
  }
  return str(at(pod, 'status.phase'), 'Pending');
}

function jobStatus(job: KubeObject): string {
  const conditions = at(job, 'status.conditions');
  const has = (type: string) =>
    Array.isArray(conditions) &&
    conditions.some((c) => isJsonMap(c) && c.type === type && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  return 'Running';
}

const PRINTERS: Record<string, Column[]> = {
  Namespace: [NAME, { name: 'Status', cell: (o) => str(at(o, 'status.phase'), '') }, AGE],
  ConfigMap: [
    NAME,
    { name: 'Data', type: 'integer', cell: (o) => count(o.data) + count(o.binaryData) },
    AGE,
  ],
  Secret: [
    NAME,
    { name: 'Type', cell: (o) => str(o.type, '') },
    { name: 'Data', type: 'integer', cell: (o) => count(o.data) },
    AGE,
  ],
  ServiceAccount: [
    NAME,
    {
      name: 'Secrets',
      type: 'integer',
      cell: (o) => (Array.isArray(o.secrets) ? o.secrets.length : 0),
    },
    AGE,
  ],
  Service: [
    NAME,
    { name: 'Type', cell: (o) => str(at(o, 'spec.type'), '') },
    { name: 'Cluster-IP', cell: (o) => str(at(o, 'spec.clusterIP')) },
    { name: 'External-IP', cell: externalIp },
    { name: 'Port(s)', cell: servicePorts },
    AGE,
  ],
  Pod: [
    NAME,
    { name: 'Ready', cell: podReady },
    { name: 'Status', cell: podStatus },
    { name: 'Restarts', type: 'string', cell: () => '0' },
    AGE,
    { name: 'IP', priority: 1, cell: (o) => str(at(o, 'status.podIP')) },
  ],
  PersistentVolumeClaim: [
    NAME,
    { name: 'Status', cell: (o) => str(at(o, 'status.phase'), '') },
    { name: 'Volume', cell: (o) => str(at(o, 'spec.volumeName'), '') },
    { name: 'Capacity', cell: (o) => str(at(o, 'status.capacity.storage'), '') },
    {
      name: 'Access Modes',
      cell: (o) =>
        Array.isArray(at(o, 'spec.accessModes'))
          ? (at(o, 'spec.accessModes') as Json[])
              .map(
                (m) =>
                  ({
                    ReadWriteOnce: 'RWO',
                    ReadOnlyMany: 'ROX',
                    ReadWriteMany: 'RWX',
                    ReadWriteOncePod: 'RWOP',
                  })[String(m)] ?? String(m),
              )
              .join(',')
          : '',
    },
    { name: 'StorageClass', cell: (o) => str(at(o, 'spec.storageClassName')) },
    { name: 'VolumeAttributesClass', cell: (o) => str(at(o, 'spec.volumeAttributesClassName')) },
    AGE,
  ],
  Deployment: [
    NAME,
    {
      name: 'Ready',
      cell: (o) => `${num(at(o, 'status.readyReplicas'))}/${num(at(o, 'spec.replicas'))}`,
    },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(at(o, 'status.updatedReplicas')) },
    { name: 'Available', type: 'integer', cell: (o) => num(at(o, 'status.availableReplicas')) },
    AGE,
  ],
  StatefulSet: [
    NAME,
    {
      name: 'Ready',
      cell: (o) => `${num(at(o, 'status.readyReplicas'))}/${num(at(o, 'spec.replicas'))}`,
    },
    AGE,
  ],
  ReplicaSet: [
    NAME,
    { name: 'Desired', type: 'integer', cell: (o) => num(at(o, 'spec.replicas')) },
    { name: 'Current', type: 'integer', cell: (o) => num(at(o, 'status.replicas')) },
    { name: 'Ready', type: 'integer', cell: (o) => num(at(o, 'status.readyReplicas')) },
    AGE,
  ],
  DaemonSet: [
    NAME,
    ...[
      'desiredNumberScheduled',
      'currentNumberScheduled',
      'numberReady',
      'updatedNumberScheduled',
      'numberAvailable',
    ].map((field, i): Column => ({
      name: ['Desired', 'Current', 'Ready', 'Up-to-date', 'Available'][i],
      type: 'integer',
      cell: (o) => num(at(o, `status.${field}`)),
    })),
    {
      name: 'Node Selector',
      cell: (o) =>
        Object.entries(
          childMap(childMap(childMap(childMap(o, 'spec'), 'template'), 'spec'), 'nodeSelector') ??
            {},
        )
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(',') || '<none>',
    },
    AGE,
  ],
  Job: [
    NAME,
    { name: 'Status', cell: jobStatus },
    {
      name: 'Completions',
      cell: (o) => `${num(at(o, 'status.succeeded'))}/${num(at(o, 'spec.completions')) || 1}`,
    },
    {
      name: 'Duration',
      cell: (o, now) =>
        at(o, 'status.startTime')
          ? humanDuration(
              (at(o, 'status.completionTime')
                ? Date.parse(String(at(o, 'status.completionTime')))
                : now.getTime()) - Date.parse(String(at(o, 'status.startTime'))),
            )
          : '',
    },
    AGE,
  ],
  CronJob: [
    NAME,
    { name: 'Schedule', cell: (o) => str(at(o, 'spec.schedule'), '') },
    { name: 'Timezone', cell: (o) => str(at(o, 'spec.timeZone')) },
    { name: 'Suspend', type: 'boolean', cell: (o) => at(o, 'spec.suspend') === true },
    {
      name: 'Active',
      type: 'integer',
      cell: (o) =>
        Array.isArray(at(o, 'status.active')) ? (at(o, 'status.active') as Json[]).length : 0,
    },
    {
      name: 'Last Schedule',
      cell: (o, now) =>
        at(o, 'status.lastScheduleTime') ? since(at(o, 'status.lastScheduleTime'), now) : '<none>',
    },
    AGE,
  ],
  Ingress: [
    NAME,
    { name: 'Class', cell: (o) => str(at(o, 'spec.ingressClassName')) },
    {
      name: 'Hosts',
      cell: (o) => {
        const rules = at(o, 'spec.rules');
        const hosts = Array.isArray(rules)
          ? rules.filter(isJsonMap).map((r) => str(r.host, '*'))
          : [];
        return hosts.length ? hosts.join(',') : '*';
      },
    },
    {
      name: 'Address',
      cell: (o) => {
        const ingress = at(o, 'status.loadBalancer.ingress');
        return Array.isArray(ingress)
          ? ingress
              .filter(isJsonMap)
              .map((i) => str(i.ip ?? i.hostname, ''))
              .join(',')
          : '';
      },
    },
    { name: 'Ports', cell: (o) => (Array.isArray(at(o, 'spec.tls')) ? '80, 443' : '80') },
    AGE,
  ],
  Role: [NAME, CREATED_AT],
  ClusterRole: [NAME, CREATED_AT],
  RoleBinding: [
    NAME,
    {
      name: 'Role',
      cell: (o) => `${str(at(o, 'roleRef.kind'), '')}/${str(at(o, 'roleRef.name'), '')}`,
    },
    AGE,
  ],
  ClusterRoleBinding: [
    NAME,
    {
      name: 'Role',
      cell: (o) => `${str(at(o, 'roleRef.kind'), '')}/${str(at(o, 'roleRef.name'), '')}`,
    },
    AGE,
  ],
  CustomResourceDefinition: [NAME, CREATED_AT],
};

/** A CRD printer column; `date` cells are rendered as ages, as the CR table convertor does. */
function customColumn(column: PrinterColumn): Column {
  return {
    name: column.name,
    type: column.type,
    priority: column.priority,
    cell: (o, now) => {
      const value = evaluateJsonPath(o, column.jsonPath);
      if (value === undefined || value === null) return '<none>';
      if (column.type === 'date') return since(value, now);
      return typeof value === 'object' ? JSON.stringify(value) : (value as Cell);
    },
  };
}

/** The `.a.b[0].c` subset of JSONPath that printer columns use. */
export function evaluateJsonPath(object: Json, path: string): Json | undefined {
  const tokens =
    path
      .replace(/^\{?\.?/, '')
      .replace(/\}$/, '')
      .match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let current: Json | undefined = object;
  for (const token of tokens) {
    if (current === undefined || current === null) return undefined;
    if (token.startsWith('['))
      current = Array.isArray(current) ? current[Number(token.slice(1, -1))] : undefined;
    else current = isJsonMap(current) ? current[token] : undefined;
  }
  return current;
}

function columnsOf(type: ResourceType): Column[] {
  if (type.custom) {
    const extra = type.printerColumns ?? [];
    return extra.length ? [NAME, ...extra.map(customColumn)] : [NAME, { ...AGE, type: 'date' }];
  }
  return PRINTERS[type.kind] ?? [NAME, AGE];
}

function partialMetadata(object: KubeObject): JsonMap {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
}

/** The Table of `objects`; `withColumns` false leaves out the column definitions (watch events after the first). */
export function toTable(
  type: ResourceType,
  objects: readonly KubeObject[],
  options: { now: Date; resourceVersion: string; withColumns: boolean; includeObject: string },
): JsonMap {
  const columns = columnsOf(type);
  const rows = objects.map((object) => {
    const row: JsonMap = { cells: columns.map((c) => c.cell(object, options.now)) };
    if (options.includeObject === 'Object') row.object = object;
    else if (options.includeObject !== 'None') row.object = partialMetadata(object);
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: options.resourceVersion },
    columnDefinitions: options.withColumns
      ? columns.map((c) => ({
          name: c.name,
          type: c.type ?? 'string',
          format: c === NAME ? 'name' : '',
          description: '',
          priority: c.priority ?? 0,
        }))
      : null,
    rows,
  };
}
