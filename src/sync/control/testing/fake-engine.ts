/**
 * In-memory fakes of the execution half's contract for the control half's
 * service specs: a renderer over a map of commits, and an executor over
 * in-memory clusters that compares with the real pure functions, applies by
 * replacing objects, prunes from the inventory and counts its writes. Faults
 * (a cluster down, slow, failing to apply) are set per cluster. Test code
 * only: never wired into the application.
 */
import { Application, ApplicationSource } from '../../../argo/application.types';
import { DomainError } from '../../../common/domain-error';
import {
  Comparison,
  DesiredState,
  DriftEvent,
  DriftWatcher,
  ManifestRenderer,
  SyncCluster,
  SyncExecutor,
  SyncPassRequest,
  SyncPassResult,
} from '../../engine/engine.types';
import { adoptedObjects } from '../../engine/compare';
import { KubeObject, ObjectRef, compareRefs, refKey, refOf } from '../../manifests/kube-object';
import { HealthStatusCode } from '../../health/health-status';
import { desiredStateHash } from '../../manifests/content-hash';
import { trackedAppOf, withTrackingId } from '../../manifests/tracking';
import { Inventory, inventoryOf, staleEntries } from '../../plan/inventory';
import {
  applicationHealth,
  compareResources,
  computeSyncStatus,
  resourceStatuses,
} from '../../status/sync-status';
import { ResourceResult } from '../../status/status.types';

/** Objects of one commit, by source path. */
export type FakeCommit = Record<string, readonly KubeObject[]>;

export class FakeRenderer implements ManifestRenderer {
  /** Branch → commit SHA. */
  readonly branches = new Map<string, string>();
  /** SHA → objects by path. */
  readonly commits = new Map<string, FakeCommit>();
  resolveCalls = 0;
  renderCalls = 0;
  failResolve: Error | undefined;

  /** Records a commit on `branch` and returns its SHA. */
  commit(branch: string, objects: FakeCommit): string {
    const sha = (this.commits.size + 1).toString(16).padStart(40, 'c');
    this.commits.set(sha, objects);
    this.branches.set(branch, sha);
    return sha;
  }

  async resolveRevision(source: ApplicationSource): Promise<string> {
    this.resolveCalls++;
    if (this.failResolve) throw this.failResolve;
    const wanted = source.targetRevision || 'main';
    const sha = this.branches.get(wanted) ?? (this.commits.has(wanted) ? wanted : undefined);
    if (!sha) throw DomainError.notFound('revision', wanted);
    return sha;
  }

  async render(app: Application, revision: string, _cluster: SyncCluster): Promise<DesiredState> {
    this.renderCalls++;
    const commit = this.commits.get(revision);
    if (!commit) throw DomainError.notFound('commit', revision);
    const path = app.spec.source?.path ?? '';
    const namespace = app.spec.destination.namespace || 'default';
    const objects = (commit[path] ?? [])
      .map((obj) =>
        withTrackingId(
          { ...obj, metadata: { ...obj.metadata, namespace: obj.metadata.namespace ?? namespace } },
          app.metadata.name,
        ),
      )
      .sort((a, b) => compareRefs(refOf(a), refOf(b)));
    return { revision, objects, hash: desiredStateHash(objects, app.spec.syncPolicy ?? null) };
  }
}

/** Faults and counters of one fake cluster. */
export class FakeCluster {
  readonly objects = new Map<string, KubeObject>();
  down = false;
  /** Every apply waits this long (abortable). */
  applyDelayMs = 0;
  /** Applies fail with this HTTP status. */
  applyStatus: number | undefined;
  /** While set, every sync waits until it settles, as for a slow rollout (through `request.rest`). */
  pause: Promise<void> | undefined;
  /** Syncs waiting now. */
  pausing = 0;
  writes = 0;
  deletes = 0;
  reads = 0;

  live(): KubeObject[] {
    return [...this.objects.values()];
  }

  /** Changes an object behind the engine's back, as `kubectl edit` would. */
  edit(kind: string, name: string, change: (obj: KubeObject) => KubeObject): void {
    for (const [key, obj] of this.objects) {
      if (obj.kind === kind && obj.metadata.name === name) this.objects.set(key, change(obj));
    }
  }
}

export class FakeExecutor implements SyncExecutor {
  readonly clusters = new Map<string, FakeCluster>();
  syncCalls = 0;
  compareCalls = 0;
  /** Return the comparison after a sync, as an executor may (the caller then skips its own). */
  reportComparison = false;

  cluster(name: string): FakeCluster {
    let cluster = this.clusters.get(name);
    if (!cluster) this.clusters.set(name, (cluster = new FakeCluster()));
    return cluster;
  }

  async compare(
    app: Application,
    target: SyncCluster,
    desired: DesiredState,
    inventory: Inventory,
  ): Promise<Comparison> {
    const cluster = this.reach(target);
    cluster.reads++;
    this.compareCalls++;
    return this.comparison(app, cluster, desired, inventory);
  }

  private async pauseIn(
    cluster: FakeCluster,
    pause: Promise<void>,
    request: SyncPassRequest,
  ): Promise<void> {
    const wait = async () => {
      cluster.pausing++;
      try {
        await Promise.race([
          pause,
          new Promise((resolve) =>
            request.signal.addEventListener('abort', resolve, { once: true }),
          ),
        ]);
      } finally {
        cluster.pausing--;
      }
    };
    await (request.rest ? request.rest(wait) : wait());
  }

  private comparison(
    app: Application,
    cluster: FakeCluster,
    desired: DesiredState,
    inventory: Inventory,
  ): Comparison {
    const name = app.metadata.name;
    const resources = compareResources(desired.objects, cluster.live(), name);
    const verdict = computeSyncStatus({ ok: true, resources });
    const tracked = cluster.live().filter((obj) => trackedAppOf(obj) === name);
    return {
      revision: desired.revision,
      desiredHash: desired.hash,
      syncStatus: verdict.status,
      message: verdict.message,
      health: applicationHealth(resources),
      resources: resourceStatuses(resources),
      diffs: resources.map((r) => r.diff),
      wouldPruneEverything:
        desired.objects.length === 0 && (tracked.length > 0 || inventory.length > 0),
      adopted: adoptedObjects(
        name,
        desired.objects,
        inventory,
        new Map(cluster.live().map((obj) => [refKey(refOf(obj)), obj])),
      ),
    };
  }

  async sync(request: SyncPassRequest): Promise<SyncPassResult> {
    this.syncCalls++;
    let cluster: FakeCluster;
    try {
      cluster = this.reach(request.cluster);
    } catch (error) {
      const failure = (error as { failure: SyncPassResult['failure'] }).failure!;
      return { phase: 'Error', message: failure.message, resources: [], inventory: [], failure };
    }
    if (cluster.applyDelayMs > 0) await abortableDelay(cluster.applyDelayMs, request.signal);
    if (cluster.pause) await this.pauseIn(cluster, cluster.pause, request);
    if (request.signal.aborted) {
      return {
        phase: 'Failed',
        message: 'stopped',
        resources: [],
        inventory: [],
        terminated: true,
      };
    }
    if (cluster.applyStatus) {
      const failure = {
        kind: 'http' as const,
        statusCode: cluster.applyStatus,
        message: `HTTP ${cluster.applyStatus}`,
      };
      return { phase: 'Failed', message: failure.message, resources: [], inventory: [], failure };
    }
    const results: ResourceResult[] = [];
    for (const obj of request.desired.objects) {
      if (!request.dryRun) {
        cluster.objects.set(refKey(refOf(obj)), withStatus(obj));
        cluster.writes++;
      }
      results.push(result(obj, 'Synced', request.dryRun ? 'configured (dry run)' : 'configured'));
    }
    const stale = staleEntries(request.inventory, request.desired.objects.map(refOf));
    if (request.prune && stale.length > 0) {
      if (request.desired.objects.length === 0 && !request.allowEmpty) {
        return {
          phase: 'Failed',
          message: 'would wipe out all resources',
          resources: [],
          inventory: [],
        };
      }
      for (const entry of stale) {
        if (!request.dryRun && cluster.objects.delete(refKey(entry.ref))) cluster.deletes++;
        results.push({ ...entry.ref, status: 'Pruned', message: 'pruned', syncPhase: 'Sync' });
      }
    }
    const inventory = inventoryOf(request.desired.objects);
    return {
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      resources: results,
      inventory,
      ...(this.reportComparison
        ? {
            comparison: this.comparison(request.app, cluster, request.desired, inventory),
          }
        : {}),
    };
  }

  private reach(target: SyncCluster): FakeCluster {
    const cluster = this.cluster(target.name);
    target.onApiRequest?.({ verb: 'get', statusCode: cluster.down ? 0 : 200 });
    if (cluster.down) {
      throw Object.assign(new Error('connect ECONNREFUSED'), {
        failure: { kind: 'network', code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' },
      });
    }
    return cluster;
  }
}

export class FakeDriftWatcher implements DriftWatcher {
  readonly listeners = new Map<string, (event: DriftEvent) => void>();

  watch(cluster: SyncCluster, onDrift: (event: DriftEvent) => void): { stop(): void } {
    this.listeners.set(cluster.name, onDrift);
    return { stop: () => this.listeners.delete(cluster.name) };
  }

  /** Reports a change of an object tracked by `appName` on `cluster`. */
  drift(cluster: string, appName: string): void {
    this.listeners.get(cluster)?.({ clusterName: cluster, appName, reason: 'drift' });
  }

  /** Reports that the health of an object tracked by `appName` changed to `health`. */
  healthChanged(
    cluster: string,
    appName: string,
    object: ObjectRef,
    health: HealthStatusCode,
  ): void {
    this.listeners.get(cluster)?.({
      clusterName: cluster,
      appName,
      reason: 'health',
      object,
      health,
    });
  }
}

/** What a cluster's controllers would report: ready, or stuck for a `:fail` image. */
function withStatus(obj: KubeObject): KubeObject {
  if (obj.kind !== 'Deployment') return obj;
  const spec = obj.spec as {
    replicas?: number;
    template?: { spec?: { containers?: { image?: string }[] } };
  };
  const replicas = spec?.replicas ?? 1;
  const failing = (spec?.template?.spec?.containers ?? []).some((c) =>
    /:fail$/.test(c.image ?? ''),
  );
  return {
    ...obj,
    metadata: { ...obj.metadata, generation: 1 },
    status: failing
      ? {
          observedGeneration: 1,
          replicas,
          updatedReplicas: replicas,
          availableReplicas: 0,
          conditions: [
            { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
          ],
        }
      : { observedGeneration: 1, replicas, updatedReplicas: replicas, availableReplicas: replicas },
  };
}

function result(
  obj: KubeObject,
  status: ResourceResult['status'],
  message: string,
): ResourceResult {
  const ref = refOf(obj);
  return { ...ref, status, message, syncPhase: 'Sync' };
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
