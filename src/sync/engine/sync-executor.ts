/**
 * The sync engine's executor (`SyncExecutor`): compares an Application's
 * desired state with its cluster, and runs one sync pass (plan, then per
 * step prune, apply, wait for health), reporting per-resource results and
 * the inventory to record. It never touches Postgres; the control half
 * decides when passes run and persists what they did.
 *
 * Failures: a cluster that cannot be read makes `compare` reject with a
 * `KubeApiError` (carrying `failure`) and `sync` return phase `Error`; a
 * refused or unhealthy object makes `sync` return `Failed` with the
 * failure; an abort returns `Failed` with `terminated`.
 */
import { ClusterClientPool } from '../../kube/cluster-client-pool';
import { refKey, refOf } from '../manifests/kube-object';
import { Inventory } from '../plan/inventory';
import { Application } from '../../argo/application.types';
import { failureOf } from './apply-object';
import { clientOf } from './cluster-clients';
import { compareWithLive, refsToRead } from './compare';
import {
  Comparison,
  DesiredState,
  SyncCluster,
  SyncExecutor,
  SyncPassRequest,
  SyncPassResult,
} from './engine.types';
import { readLiveState } from './live-state';
import { ManagedKinds } from './managed-kinds';
import { ExecutionSettings, PassContext } from './pass-context';
import { PassPlan, planPass, recordedInventory } from './pass-plan';
import { StepsOutcome, runSteps } from './run-steps';

type ReadyPlan = Extract<PassPlan, { ok: true }>;

/** `SyncExecutor` over the cluster clients of `pool`; `managedKinds` learns what the drift watcher watches. */
export class KubeSyncExecutor implements SyncExecutor {
  constructor(
    private readonly pool: ClusterClientPool,
    private readonly settings: ExecutionSettings,
    private readonly managedKinds?: ManagedKinds,
  ) {}

  async compare(
    app: Application,
    cluster: SyncCluster,
    desired: DesiredState,
    inventory: Inventory,
  ): Promise<Comparison> {
    const refs = refsToRead(desired.objects, inventory);
    this.managedKinds?.note(cluster.name, refs);
    const client = await clientOf(this.pool, cluster);
    const live = await readLiveState(client, app.metadata.name, refs);
    return compareWithLive(app.metadata.name, desired, inventory, live);
  }

  async sync(request: SyncPassRequest): Promise<SyncPassResult> {
    const { inventory, signal } = request;
    const prepared = await this.prepare(request);
    if (!('ctx' in prepared)) return prepared;
    const { ctx, planned } = prepared;
    let outcome: StepsOutcome;
    try {
      outcome = await runSteps(ctx, planned.plan, planned.managedNamespace);
    } catch (error) {
      // The phases report failures as values; this is a bug's last line of defence.
      const failure = failureOf(error);
      outcome = signal.aborted
        ? { kind: 'terminated' }
        : { kind: 'failed', message: failure.message, failure };
    }
    const resources = [...ctx.results];
    switch (outcome.kind) {
      case 'terminated':
        return { phase: 'Failed', message: 'terminated', resources, inventory, terminated: true };
      case 'failed':
        return {
          phase: 'Failed',
          message: outcome.message,
          resources,
          inventory,
          failure: outcome.failure,
        };
      case 'succeeded':
        return {
          phase: 'Succeeded',
          message: request.dryRun
            ? 'successfully synced (dry run)'
            : 'successfully synced (all tasks run)',
          resources,
          inventory: request.dryRun
            ? inventory
            : recordedInventory(planned.plan, planned.pruneFrom, request.desired.objects),
        };
    }
  }

  /** Reads the live state and plans the pass, or says why the pass cannot run. */
  private async prepare(
    request: SyncPassRequest,
  ): Promise<{ ctx: PassContext; planned: ReadyPlan } | SyncPassResult> {
    const { app, cluster, desired, inventory, signal } = request;
    const refs = refsToRead(desired.objects, inventory);
    this.managedKinds?.note(cluster.name, refs);
    const unchanged = { resources: [], inventory };
    try {
      const client = await clientOf(this.pool, cluster);
      const live = await readLiveState(client, app.metadata.name, refs, signal);
      const planned = await planPass(request, client, live);
      if (!planned.ok) {
        const failure = { kind: 'manifest' as const, message: planned.message };
        return { ...unchanged, phase: 'Failed', message: planned.message, failure };
      }
      const digests = new Map<string, string>();
      for (const entry of inventory) if (entry.digest) digests.set(refKey(entry.ref), entry.digest);
      const liveObjects = new Map(live.byKey);
      if (planned.liveNamespace) {
        liveObjects.set(refKey(refOf(planned.liveNamespace)), planned.liveNamespace);
      }
      const ctx = new PassContext(
        client,
        request,
        liveObjects,
        digests,
        planned.appOptions,
        this.settings,
      );
      return { ctx, planned };
    } catch (error) {
      if (signal.aborted) {
        return { ...unchanged, phase: 'Failed', message: 'terminated', terminated: true };
      }
      const failure = failureOf(error);
      return { ...unchanged, phase: 'Error', message: failure.message, failure };
    }
  }

  /** Closes the connections of a cluster that was removed. */
  forgetCluster(clusterName: string): void {
    this.pool.forget(clusterName);
    this.managedKinds?.forget(clusterName);
  }
}
