/**
 * The order in which a sync applies objects, after gitops-engine
 * pkg/sync/sync_tasks.go and semantics.md B4: phase (PreSync, Sync,
 * PostSync, SyncFail) → wave (`argocd.argoproj.io/sync-wave`) → kind (Helm's
 * install order: namespaces first, custom resources last) → name. Then each
 * Namespace is moved just before the first object that lives in it, and each
 * CRD just before the first custom resource of its kind, taking that
 * object's phase and wave, so they exist before anything needs them.
 */
import { FieldProblem, fieldPath } from '../../common/field-problem';
import {
  HELM_HOOK_WEIGHT_ANNOTATION,
  SYNC_WAVE_ANNOTATION,
  hookTypesOf,
  isHook,
  isSkipped,
} from '../manifests/annotations';
import {
  KubeObject,
  ObjectRef,
  annotationOf,
  compareStrings,
  formatRef,
  refOf,
} from '../manifests/kube-object';

/** The phases a sync runs in, in order. */
export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';

export const SYNC_PHASE_ORDER: readonly SyncPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

/** One object to apply, in one phase and wave. */
export interface SyncTask {
  readonly ref: ObjectRef;
  readonly object: KubeObject;
  readonly phase: SyncPhase;
  readonly wave: number;
  /** True for a hook (run by the sync, with its own lifecycle) rather than a regular resource. */
  readonly hook: boolean;
}

// Helm's install order (pkg/releaseutil/kind_sorter.go) as gitops-engine
// uses it; any other kind (custom resources) sorts after all of these.
const KIND_ORDER: readonly string[] = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

function kindRank(kind: string): number {
  const index = KIND_ORDER.indexOf(kind);
  return index < 0 ? KIND_ORDER.length : index;
}

const INTEGER = /^[+-]?\d+$/;

/**
 * The wave of an object: the sync-wave annotation, else Helm's hook weight,
 * else 0. Deliberate difference: a value that is not an integer is an error
 * naming the annotation (Argo silently uses 0, reordering the sync).
 */
export function syncWaveOf(obj: KubeObject): { wave: number } | { problem: FieldProblem } {
  for (const key of [SYNC_WAVE_ANNOTATION, HELM_HOOK_WEIGHT_ANNOTATION]) {
    const value = annotationOf(obj, key);
    if (value === undefined) continue;
    const trimmed = value.trim();
    if (!INTEGER.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) {
      return {
        problem: {
          field: fieldPath(fieldPath('metadata', 'annotations'), key),
          rule: 'integer',
          message: `must be an integer such as "-1", "0" or "5"`,
        },
      };
    }
    return { wave: Number(trimmed) };
  }
  return { wave: 0 };
}

/**
 * The phases an object is applied in: `Sync` for a regular resource; for a
 * hook, each of its Sync-time hook types. `Skip` hooks and
 * PreDelete/PostDelete hooks (run when the Application is deleted) take no
 * part in a sync.
 */
export function syncPhasesOf(obj: KubeObject): SyncPhase[] {
  if (isSkipped(obj)) return [];
  if (!isHook(obj)) return ['Sync'];
  return hookTypesOf(obj).filter((type): type is SyncPhase =>
    (SYNC_PHASE_ORDER as string[]).includes(type),
  );
}

/** Orders two tasks by phase, wave, kind and name, then namespace and group so ties are stable. */
export function compareSyncTasks(a: SyncTask, b: SyncTask): number {
  return (
    SYNC_PHASE_ORDER.indexOf(a.phase) - SYNC_PHASE_ORDER.indexOf(b.phase) ||
    a.wave - b.wave ||
    kindRank(a.ref.kind) - kindRank(b.ref.kind) ||
    compareStrings(a.ref.name, b.ref.name) ||
    compareStrings(a.ref.namespace, b.ref.namespace) ||
    compareStrings(a.ref.group, b.ref.group)
  );
}

/** The sync tasks of a desired state in apply order, or the problems (bad waves) that prevent one. */
export function orderSyncTasks(objects: readonly KubeObject[]): {
  tasks: SyncTask[];
  problems: FieldProblem[];
} {
  const tasks: SyncTask[] = [];
  const problems: FieldProblem[] = [];
  for (const object of objects) {
    const wave = syncWaveOf(object);
    if ('problem' in wave) {
      problems.push({
        ...wave.problem,
        field: `${formatRef(refOf(object))}: ${wave.problem.field}`,
      });
      continue;
    }
    const hook = isHook(object);
    for (const phase of syncPhasesOf(object)) {
      tasks.push({ ref: refOf(object), object, phase, wave: wave.wave, hook });
    }
  }
  return problems.length > 0 ? { tasks: [], problems } : { tasks: sortSyncTasks(tasks), problems };
}

/**
 * Tasks in apply order (pure function; returns a new array): sorted by
 * `compareSyncTasks`, then each Namespace and CRD moved before its first user.
 */
export function sortSyncTasks(tasks: readonly SyncTask[]): SyncTask[] {
  const sorted = [...tasks].sort(compareSyncTasks);
  moveDependenciesFirst(sorted, namespaceDependency, (task) => task.ref.namespace || undefined);
  moveDependenciesFirst(sorted, crdDependency, (task) => `${task.ref.group}/${task.ref.kind}`);
  return sorted;
}

const namespaceDependency = (task: SyncTask): string | undefined =>
  task.ref.group === '' && task.ref.kind === 'Namespace' ? task.ref.name : undefined;

function crdDependency(task: SyncTask): string | undefined {
  if (task.ref.group !== 'apiextensions.k8s.io' || task.ref.kind !== 'CustomResourceDefinition')
    return undefined;
  const spec = task.object.spec as { group?: unknown; names?: { kind?: unknown } } | undefined;
  const group = spec?.group;
  const kind = spec?.names?.kind;
  return typeof group === 'string' && typeof kind === 'string' ? `${group}/${kind}` : undefined;
}

/**
 * gitops-engine `adjustDeps`: walking the sorted tasks, a dependency (a
 * Namespace, a CRD) found after a task that needs it moves to just before
 * the first such task and adopts its phase and wave. Mutates `tasks`.
 */
function moveDependenciesFirst(
  tasks: SyncTask[],
  dependencyKey: (task: SyncTask) => string | undefined,
  neededKey: (task: SyncTask) => string | undefined,
): void {
  const firstUser = new Map<string, number>();
  for (let i = 0; i < tasks.length; i++) {
    const provides = dependencyKey(tasks[i]);
    if (provides !== undefined) {
      const target = firstUser.get(provides);
      if (target === undefined) continue;
      const { phase, wave } = tasks[target];
      const [moved] = tasks.splice(i, 1);
      tasks.splice(target, 0, { ...moved, phase, wave });
      for (const [key, index] of firstUser) if (index >= target) firstUser.set(key, index + 1);
      continue;
    }
    const needs = neededKey(tasks[i]);
    if (needs !== undefined && !firstUser.has(needs)) firstUser.set(needs, i);
  }
}
