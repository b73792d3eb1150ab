/**
 * The sync engine's executor (`SyncExecutor`): compares an Application's
 * desired state with its cluster, and runs one sync pass (plan, then per
 * step prune, apply, wait for health), reporting per-resource results and
 * the inventory to record. It never touches Postgres; the control half
 * decides when passes run and persists what they did.
 *
 * Reads come from the live cache the drift watch keeps when it can serve
 * them (see live-cache.ts), else from the cluster. A read of kinds the watch
 * is still listing waits for that list, up to `LIST_WAIT_MS`.
 *
 * Failures: a cluster that cannot be read makes `compare` reject with a
 * `KubeApiError` (carrying `failure`) and `sync` return phase `Error`; a
 * refused or unhealthy object makes `sync` return `Failed` with the
 * failure; an abort returns `Failed` with `terminated`.
 */
import { ClusterClient } from '../../kube/cluster-client';
import { ClusterClientPool } from '../../kube/cluster-client-pool';
import { KubeObject, ObjectRef, refKey, refOf } from '../manifests/kube-object';
import { Inventory } from '../plan/inventory';
import { parseAppSyncOptions } from '../plan/sync-options';
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
import { LiveCache } from './live-cache';
import { LiveState, readLiveState } from './live-state';
import { ManagedKinds } from './managed-kinds';
import { RecentReads } from './recent-reads';
import { ExecutionSettings, PassContext } from './pass-context';
import { NAMESPACE_KIND, PassPlan, planPass, recordedInventory } from './pass-plan';
import { StepsOutcome, runSteps } from './run-steps';

type ReadyPlan = Extract<PassPlan, { ok: true }>;

/**
 * How long a read waits for the drift watch to list its kinds before it
 * reads the cluster itself: long enough for a list of thousands of objects,
 * short next to the periodic comparison.
 */
export const LIST_WAIT_MS = 5_000;

/**
 * `SyncExecutor` over the cluster clients of `pool`; `managedKinds` learns
 * what the drift watcher watches, and `cache` is what it saw.
 */
export class KubeSyncExecutor implements SyncExecutor {
  constructor(
    private readonly pool: ClusterClientPool,
    private readonly settings: ExecutionSettings,
    private readonly managedKinds?: ManagedKinds,
    private readonly cache?: LiveCache,
    private readonly recentReads = new RecentReads(),
  ) {}

  async compare(
    app: Application,
    cluster: SyncCluster,
    desired: DesiredState,
    inventory: Inventory,
  ): Promise<Comparison> {
    const refs = refsToRead(desired.objects, inventory);
    const kinds = this.noteKinds(app, cluster, refs);
    const client = await clientOf(this.pool, cluster);
    const live = await this.readLive(client, cluster, app.metadata.name, refs, kinds);
    this.recentReads.remember(cluster.name, app.metadata.name, refs, live);
    return compareWithLive(app, desired, inventory, live);
  }

  async sync(request: SyncPassRequest): Promise<SyncPassResult> {
    const { inventory, signal } = request;
    const prepared = await this.prepare(request);
    if (!('ctx' in prepared)) return prepared;
    const { ctx, planned, live } = prepared;
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
      case 'succeeded': {
        if (request.dryRun) {
          return {
            phase: 'Succeeded',
            message: 'successfully synced (dry run)',
            resources,
            inventory,
          };
        }
        const recorded = recordedInventory(
          planned.plan,
          planned.pruneFrom,
          request.desired.objects,
        );
        return {
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          resources,
          inventory: recorded,
          comparison: comparisonAfter(ctx, planned, live, recorded),
        };
      }
    }
  }

  /** Reads the live state and plans the pass, or says why the pass cannot run. */
  private async prepare(
    request: SyncPassRequest,
  ): Promise<{ ctx: PassContext; planned: ReadyPlan; live: LiveState } | SyncPassResult> {
    const { app, cluster, desired, inventory, signal } = request;
    const refs = refsToRead(desired.objects, inventory);
    const kinds = this.noteKinds(app, cluster, refs);
    const unchanged = { resources: [], inventory };
    try {
      const client = await clientOf(this.pool, cluster);
      const view = this.cache?.view(cluster.name);
      const live =
        this.recentReads.take(cluster.name, app.metadata.name, refs) ??
        (await this.readLive(client, cluster, app.metadata.name, refs, kinds, signal));
      const planned = await planPass(request, client, live, view);
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
        view,
      );
      return { ctx, planned, live };
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
    this.recentReads.forgetCluster(clusterName);
    this.cache?.forgetCluster(clusterName);
  }

  /**
   * The live objects of `refs`: from the cache when it can answer (once the
   * watch listed `kinds`, if it is listing them), else read from the cluster.
   */
  private async readLive(
    client: ClusterClient,
    cluster: SyncCluster,
    appName: string,
    refs: readonly ObjectRef[],
    kinds: readonly Pick<ObjectRef, 'group' | 'kind'>[],
    signal?: AbortSignal,
  ): Promise<LiveState> {
    let cached = this.cache?.read(cluster.name, appName, refs);
    if (!cached && (await this.cache?.listed(cluster.name, kinds, LIST_WAIT_MS, signal))) {
      cached = this.cache?.read(cluster.name, appName, refs);
    }
    if (cached) return cached;
    const live = await readLiveState(client, appName, refs, signal);
    this.cache?.readCluster(cluster.name, appName);
    return live;
  }

  /**
   * Tells the drift watch which kinds to watch, and returns them: those of
   * `refs`, and Namespaces for an app that creates its own (the pass looks
   * its namespace up).
   */
  private noteKinds(
    app: Application,
    cluster: SyncCluster,
    refs: readonly ObjectRef[],
  ): readonly Pick<ObjectRef, 'group' | 'version' | 'kind'>[] {
    const createsNamespace = parseAppSyncOptions(app.spec.syncPolicy?.syncOptions).options
      .createNamespace;
    const kinds = createsNamespace ? [...refs, NAMESPACE_KIND] : refs;
    this.managedKinds?.note(cluster.name, kinds);
    return kinds;
  }
}

/**
 * Desired against live as a successful pass left the cluster: what it read
 * before, with what the server answered to its writes and health reads, and
 * without what it pruned. Undefined (control then reads again) when the
 * pass ran hooks (they come and go during the pass) or met kinds the
 * cluster did not serve when it started (a CRD it applied may serve them now).
 */
function comparisonAfter(
  ctx: PassContext,
  planned: ReadyPlan,
  before: LiveState,
  inventory: Inventory,
): Comparison | undefined {
  if (before.unknownKinds.size > 0) return undefined;
  if (planned.plan.steps.some((step) => step.apply.some((task) => task.hook))) return undefined;
  // What a fresh read would hold: the objects read before, and those of the desired state and inventory.
  const concerned = new Set([
    ...before.byKey.keys(),
    ...refsToRead(ctx.request.desired.objects, inventory).map(refKey),
  ]);
  const byKey = new Map<string, KubeObject>();
  for (const [key, object] of ctx.live) {
    if (concerned.has(key) && !ctx.pruned.has(key)) byKey.set(key, object);
  }
  return compareWithLive(ctx.request.app, ctx.request.desired, inventory, {
    byKey,
    unknownKinds: before.unknownKinds,
  });
}
