/**
 * The simulated control loops of one virtual cluster, driven by the store's
 * change events: workload rollouts (progressing at once, ready or failed
 * after the readiness delay), volume binding, load balancer addresses, the
 * namespace and serviceaccount controllers, the CRD controller and the
 * garbage collector. Work is deferred (see WorkQueue), so a controller's
 * write never lands inside the request that triggered it.
 */
import {
  KubeObject,
  isBeingDeleted,
  objectFinalizers,
  objectName,
  objectNamespace,
} from '../api/kube-object';
import { ResourceType } from '../api/resource-type';
import { StoreEvent } from '../store/object-store';
import { ApiContext } from '../verbs/api-context';
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from '../verbs/deletion';
import {
  boundClaim,
  isPendingClaim,
  loadBalancerStatus,
  needsLoadBalancer,
} from './binding-status';
import { reread, writeObject, writeStatus } from './controller-writes';
import { cleanUp, establish } from './crd-controller';
import { collectDependents, finishOwnerDeletion, waitingOwners } from './garbage-collector';
import {
  ensureDefaultServiceAccount,
  finalizeNamespace,
  isTerminating,
} from './namespace-lifecycle';
import { WorkQueue } from './work-queue';
import { RolloutPhase, SIMULATED_KINDS, usesFailingImage, workloadStatus } from './workload-status';

/** Settings read at the time the work runs, so tests can change them on a running cluster. */
export interface ControllerSettings {
  /** Time from a spec change to ready (0: at once). */
  readonly readinessDelayMs: number;
  /** Nodes DaemonSets run on. */
  readonly nodes: number;
}

export class ControllerManager {
  private unsubscribe?: () => void;
  private loadBalancers = 0;

  constructor(
    private readonly ctx: ApiContext,
    private readonly settings: () => ControllerSettings,
    private readonly queue: WorkQueue,
  ) {}

  start(): void {
    this.unsubscribe = this.ctx.store.subscribe((event) => this.observe(event));
  }

  stop(): void {
    this.unsubscribe?.();
    this.queue.stop();
  }

  private observe(event: StoreEvent): void {
    const type = this.ctx.registry.byStorageKey(event.resource);
    if (!type) return;
    const { object } = event;
    const key = `${event.resource}|${objectNamespace(object) ?? ''}|${objectName(object)}`;
    if (event.type === 'DELETED') {
      this.afterDeletion(type, object, key);
      return;
    }
    if (isBeingDeleted(object)) {
      this.duringDeletion(type, object, key);
      return;
    }
    if (type.custom) return;
    switch (type.kind) {
      case 'Namespace':
        if (event.type === 'ADDED')
          this.queue.soon(`${key}|sa`, () => ensureDefaultServiceAccount(this.ctx, object));
        return;
      case 'CustomResourceDefinition':
        if (event.type === 'ADDED' || generationChanged(event)) {
          this.queue.soon(key, () =>
            this.withLive(type, object, (crd) => establish(this.ctx, type, crd)),
          );
        }
        return;
      case 'PersistentVolumeClaim':
        if (isPendingClaim(object)) this.afterDelay(key, () => this.bind(type, object));
        return;
      case 'Service':
        if (needsLoadBalancer(object))
          this.afterDelay(key, () => this.assignLoadBalancer(type, object));
        return;
      default:
        if (
          SIMULATED_KINDS.has(type.kind) &&
          (event.type === 'ADDED' || generationChanged(event) || podChanged(event))
        ) {
          this.rollout(type, object, key);
        }
    }
  }

  private rollout(type: ResourceType, object: KubeObject, key: string): void {
    if (type.kind === 'Job' && childSuspended(object)) return;
    const final: RolloutPhase = usesFailingImage(object) ? 'failed' : 'ready';
    const write = (phase: RolloutPhase) =>
      this.whileAlive(type, object, (live) => {
        const status = workloadStatus(live, phase, this.ctx.now(), this.settings());
        if (status) writeStatus(this.ctx, type, live, status);
      });
    const delay = this.settings().readinessDelayMs;
    if (delay > 0) this.queue.soon(`${key}|progressing`, () => write('progressing'));
    this.queue.later(key, delay, () => write(final));
  }

  private bind(type: ResourceType, pvc: KubeObject): void {
    this.whileAlive(type, pvc, (live) => {
      if (!isPendingClaim(live)) return;
      const { spec, status } = boundClaim(live);
      const updated = writeObject(this.ctx, type, live, { ...live, spec });
      writeStatus(this.ctx, type, updated, status);
    });
  }

  private assignLoadBalancer(type: ResourceType, service: KubeObject): void {
    this.whileAlive(type, service, (live) => {
      if (needsLoadBalancer(live))
        writeStatus(this.ctx, type, live, loadBalancerStatus(this.loadBalancers++));
    });
  }

  private duringDeletion(type: ResourceType, object: KubeObject, key: string): void {
    this.queue.cancel(key);
    if (!type.custom && type.kind === 'Namespace') {
      this.queue.soon(`${key}|finalize`, () => finalizeNamespace(this.ctx, objectName(object)));
    } else if (!type.custom && type.kind === 'CustomResourceDefinition') {
      this.queue.soon(`${key}|cleanup`, () =>
        this.withLive(type, object, (crd) => cleanUp(this.ctx, type, crd)),
      );
    }
    const finalizers = objectFinalizers(object);
    if (finalizers.includes(FOREGROUND_FINALIZER) || finalizers.includes(ORPHAN_FINALIZER)) {
      this.queue.soon(`${key}|gc`, () =>
        this.withLive(type, object, (owner) => finishOwnerDeletion(this.ctx, type, owner)),
      );
    }
  }

  private afterDeletion(type: ResourceType, object: KubeObject, key: string): void {
    this.queue.cancel(key);
    if (!type.custom && type.kind === 'CustomResourceDefinition')
      this.ctx.registry.removeCustom(objectName(object));
    this.queue.soon(`${key}|dependents`, () => collectDependents(this.ctx, object));
    for (const owner of waitingOwners(this.ctx, object)) {
      this.queue.soon(`${owner.type.plural}|${objectName(owner.object)}|gc`, () =>
        this.withLive(owner.type, owner.object, (live) =>
          finishOwnerDeletion(this.ctx, owner.type, live),
        ),
      );
    }
    const namespace = objectNamespace(object);
    if (namespace && isTerminating(this.ctx, namespace)) {
      this.queue.soon(`namespace|${namespace}|finalize`, () =>
        finalizeNamespace(this.ctx, namespace),
      );
    }
  }

  private afterDelay(key: string, task: () => void): void {
    this.queue.later(key, this.settings().readinessDelayMs, task);
  }

  /** Runs `task` on the current stored version, if the object still exists. */
  private withLive(type: ResourceType, object: KubeObject, task: (live: KubeObject) => void): void {
    const live = reread(this.ctx, type, object);
    if (live) task(live);
  }

  /** Like withLive, for work that stops once the object is being deleted (rollouts, binding). */
  private whileAlive(
    type: ResourceType,
    object: KubeObject,
    task: (live: KubeObject) => void,
  ): void {
    this.withLive(type, object, (live) => {
      if (!isBeingDeleted(live)) task(live);
    });
  }
}

function generationChanged(event: StoreEvent): boolean {
  return event.previous?.metadata.generation !== event.object.metadata.generation;
}

/** Pods have no generation in 1.32: a changed spec (image) restarts the simulated rollout. */
function podChanged(event: StoreEvent): boolean {
  return (
    event.object.kind === 'Pod' &&
    JSON.stringify(event.previous?.spec) !== JSON.stringify(event.object.spec)
  );
}

function childSuspended(job: KubeObject): boolean {
  const spec = job.spec;
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec) && spec.suspend === true;
}
