/**
 * Merge semantics of the built-in kinds kube-sim serves, as a table. Each row
 * restates a marker of the Kubernetes API types (k8s.io/api, 1.32) that the
 * OpenAPI schema publishes; everything not listed merges like the generated
 * schema's defaults: maps field by field, lists atomically.
 */
import { Json } from '../api/json';
import { ATOMIC_LIST, ListSemantics, PatchMeta, REPLACE_PATCH, TypeNode } from './field-types';

/** Where a rule applies: a whole path from the root, or the last field names of any path. */
type PathMatch =
  | { readonly exact: readonly string[]; readonly kinds?: readonly string[] }
  | { readonly suffix: readonly string[]; readonly kinds?: readonly string[] };

interface ListRule {
  readonly at: PathMatch;
  readonly list: ListSemantics;
  readonly patch: PatchMeta;
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];
const WORKLOADS_WITH_SELECTOR = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job'];

function mapList(
  at: PathMatch,
  keys: string[],
  mergeKey: string,
  keyDefaults?: Record<string, Json>,
): ListRule {
  return {
    at,
    list: keyDefaults ? { type: 'map', keys, keyDefaults } : { type: 'map', keys },
    patch: { strategy: 'merge', mergeKey },
  };
}

const LIST_RULES: readonly ListRule[] = [
  // PodSpec: +listType=map +listMapKey=name, patchMergeKey name.
  ...CONTAINER_LISTS.map((f) => mapList({ suffix: [f] }, ['name'], 'name')),
  // ContainerPort: keys containerPort+protocol, protocol defaulted to TCP (SSA
  // fills defaulted keys, structured-merge-diff issue #130); SMP merges by containerPort.
  ...CONTAINER_LISTS.map((f) =>
    mapList({ suffix: [f, 'ports'] }, ['containerPort', 'protocol'], 'containerPort', {
      protocol: 'TCP',
    }),
  ),
  ...CONTAINER_LISTS.map((f) => mapList({ suffix: [f, 'env'] }, ['name'], 'name')),
  ...CONTAINER_LISTS.map((f) =>
    mapList({ suffix: [f, 'volumeMounts'] }, ['mountPath'], 'mountPath'),
  ),
  ...CONTAINER_LISTS.map((f) =>
    mapList({ suffix: [f, 'volumeDevices'] }, ['devicePath'], 'devicePath'),
  ),
  mapList({ suffix: ['spec', 'volumes'] }, ['name'], 'name'),
  mapList({ suffix: ['spec', 'imagePullSecrets'] }, ['name'], 'name'),
  mapList({ suffix: ['spec', 'hostAliases'] }, ['ip'], 'ip'),
  mapList(
    { suffix: ['spec', 'topologySpreadConstraints'] },
    ['topologyKey', 'whenUnsatisfiable'],
    'topologyKey',
  ),
  mapList({ suffix: ['status', 'conditions'] }, ['type'], 'type'),
  // ServicePort: keys port+protocol, SMP merge key port.
  mapList({ exact: ['spec', 'ports'], kinds: ['Service'] }, ['port', 'protocol'], 'port', {
    protocol: 'TCP',
  }),
  mapList({ suffix: ['metadata', 'ownerReferences'] }, ['uid'], 'uid'),
  // ObjectMeta.Finalizers: +listType=set, patchStrategy merge.
  {
    at: { suffix: ['metadata', 'finalizers'] },
    list: { type: 'set' },
    patch: { strategy: 'merge' },
  },
];

/** `metav1.LabelSelector` and `rbacv1.RoleRef` are `+structType=atomic`. */
const ATOMIC_MAPS: readonly PathMatch[] = [
  { exact: ['spec', 'selector'], kinds: WORKLOADS_WITH_SELECTOR },
  { exact: ['spec', 'jobTemplate', 'spec', 'selector'], kinds: ['CronJob'] },
  { suffix: ['labelSelector'] },
  { suffix: ['namespaceSelector'] },
  { exact: ['roleRef'], kinds: ['RoleBinding', 'ClusterRoleBinding'] },
];

function matchesPath(match: PathMatch, kind: string, path: readonly string[]): boolean {
  if (match.kinds && !match.kinds.includes(kind)) return false;
  if ('exact' in match) {
    return match.exact.length === path.length && match.exact.every((name, i) => name === path[i]);
  }
  const offset = path.length - match.suffix.length;
  return offset >= 0 && match.suffix.every((name, i) => name === path[offset + i]);
}

/** A built-in kind's schema at `path` (field names from the root; list elements do not add names). */
class BuiltinTypeNode implements TypeNode {
  private semantics?: { list: ListSemantics; patch: PatchMeta };

  constructor(
    private readonly kind: string,
    private readonly path: readonly string[],
  ) {}

  field(name: string): TypeNode {
    return new BuiltinTypeNode(this.kind, [...this.path, name]);
  }

  item(): TypeNode {
    return new BuiltinTypeNode(this.kind, this.path);
  }

  get list(): ListSemantics {
    return this.lookup().list;
  }

  get patch(): PatchMeta {
    return this.lookup().patch;
  }

  get atomicMap(): boolean {
    return ATOMIC_MAPS.some((match) => matchesPath(match, this.kind, this.path));
  }

  private lookup(): { list: ListSemantics; patch: PatchMeta } {
    if (!this.semantics) {
      const rule = LIST_RULES.find((r) => matchesPath(r.at, this.kind, this.path));
      this.semantics = rule ?? { list: ATOMIC_LIST, patch: REPLACE_PATCH };
    }
    return this.semantics;
  }
}

/** The root schema of a built-in kind (pure; the table above decides). */
export function builtinTypes(kind: string): TypeNode {
  return new BuiltinTypeNode(kind, []);
}

/** ObjectMeta's schema, shared by custom resources. */
export function objectMetaTypes(kind: string): TypeNode {
  return new BuiltinTypeNode(kind, ['metadata']);
}
