/**
 * The whole plan of one sync: what to apply and delete, step by step. A step
 * is one (phase, wave); within it the deletions run first and then the
 * applies (gitops-engine `runTasks`), and each step must be healthy before
 * the next starts (semantics.md B4). Pure: the worker executes the plan.
 */
import { FieldProblem } from '../../common/field-problem';
import { KubeObject, ObjectRef, formatRef, refOf } from '../manifests/kube-object';
import { Inventory, inventoryOf } from './inventory';
import { PrunePlan, planPrune } from './prune';
import { SyncOptions, parseResourceSyncOptions } from './sync-options';
import { SYNC_PHASE_ORDER, SyncPhase, SyncTask, orderSyncTasks, sortSyncTasks } from './sync-order';

/** Everything a sync plan is made from. */
export interface SyncPlanInput {
  readonly appName: string;
  /** The normalised desired objects (namespaces set, tracking annotation added). */
  readonly desired: readonly KubeObject[];
  /** The inventory of the last successful sync. */
  readonly previous: Inventory;
  /** Live objects by `refKey`, when known (see `planPrune`). */
  readonly live?: ReadonlyMap<string, KubeObject>;
  /** The Application's parsed `syncOptions`. */
  readonly appOptions: SyncOptions;
  readonly prune: boolean;
  readonly allowEmpty: boolean;
  readonly pruneConfirmed?: boolean;
  /** The `CreateNamespace=true` Namespace (see `managedNamespaceObject`), applied first. */
  readonly managedNamespace?: KubeObject;
}

/** One (phase, wave) of a sync. */
export interface SyncStep {
  readonly phase: SyncPhase;
  readonly wave: number;
  /** Deleted first, in ref order. */
  readonly prune: ObjectRef[];
  /** Applied next, in apply order. */
  readonly apply: SyncTask[];
}

/** A sync plan, or the problems that prevent one. */
export interface SyncPlan {
  readonly steps: SyncStep[];
  readonly prune: PrunePlan;
  /** The inventory to record once the sync succeeds (hooks and the managed namespace excluded). */
  readonly inventory: Inventory;
  /** Per-resource sync options or waves that could not be read; the plan is empty then. */
  readonly problems: FieldProblem[];
}

/**
 * Plans a sync (pure function): orders the desired objects into steps,
 * plans the prune, and merges prune steps into the Sync phase's waves. When
 * an object's annotations are invalid, or the wipe-out guard refuses, the
 * plan has no steps (`problems` or `prune.refusal` say why).
 */
export function planSync(input: SyncPlanInput): SyncPlan {
  const problems = input.desired.flatMap((obj) =>
    parseResourceSyncOptions(obj).problems.map((p) => ({
      ...p,
      field: `${formatRef(refOf(obj))}: ${p.field}`,
    })),
  );
  const ordered = orderSyncTasks(input.desired);
  problems.push(...ordered.problems);
  const inventory = inventoryOf(input.desired);
  const tasks = input.managedNamespace
    ? sortSyncTasks([...ordered.tasks, namespaceTask(input.managedNamespace)])
    : ordered.tasks;
  const syncWaves = tasks.filter((task) => task.phase === 'Sync').map((task) => task.wave);
  const prune = planPrune(
    input.previous,
    input.desired.map(refOf),
    {
      appName: input.appName,
      prune: input.prune,
      allowEmpty: input.allowEmpty,
      pruneLast: input.appOptions.pruneLast,
      pruneConfirmed: input.pruneConfirmed,
      lastSyncWave: syncWaves.length > 0 ? Math.max(...syncWaves) : 0,
    },
    input.live,
  );
  if (problems.length > 0 || prune.refusal) return { steps: [], prune, inventory, problems };
  return { steps: mergeSteps(tasks, prune), prune, inventory, problems };
}

// Argo creates the destination namespace as a PreSync task of wave 0
// (gitops-engine `autoCreateNamespace`); sorting then moves it before any
// earlier hook that lives in it.
function namespaceTask(namespace: KubeObject): SyncTask {
  return { ref: refOf(namespace), object: namespace, phase: 'PreSync', wave: 0, hook: false };
}

function mergeSteps(tasks: readonly SyncTask[], prune: PrunePlan): SyncStep[] {
  const steps = new Map<
    string,
    { phase: SyncPhase; wave: number; prune: ObjectRef[]; apply: SyncTask[] }
  >();
  const stepFor = (phase: SyncPhase, wave: number) => {
    const key = `${phase}/${wave}`;
    let step = steps.get(key);
    if (!step) {
      step = { phase, wave, prune: [], apply: [] };
      steps.set(key, step);
    }
    return step;
  };
  for (const task of tasks) stepFor(task.phase, task.wave).apply.push(task);
  for (const { wave, refs } of prune.steps) stepFor('Sync', wave).prune.push(...refs);
  return [...steps.values()].sort(
    (a, b) =>
      SYNC_PHASE_ORDER.indexOf(a.phase) - SYNC_PHASE_ORDER.indexOf(b.phase) || a.wave - b.wave,
  );
}
