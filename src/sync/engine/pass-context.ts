/**
 * What the phases of one sync pass share: the cluster client, the request,
 * the live objects (updated as the pass writes), the digests recorded by the
 * last successful sync, the settings, and the results reported so far.
 */
import { ClusterClient } from '../../kube/cluster-client';
import { IgnoreRule, compileIgnoreDifferences } from '../diff/ignore-differences';
import { KubeObject, ObjectRef, refKey } from '../manifests/kube-object';
import { SyncOptions } from '../plan/sync-options';
import { ResourceResult, ResourceResultCode } from '../status/status.types';
import { SyncPassRequest } from './engine.types';
import { ClusterLiveView } from './live-cache';

/** Timing and limits of sync passes. */
export interface ExecutionSettings {
  /** How long one step may take to become healthy (and pruned objects to disappear). */
  readonly healthTimeoutMs: number;
  /** Pause after a step that wrote something, before the next one (Argo's wave delay). */
  readonly waveDelayMs: number;
  /**
   * How long a pass follows the rollout of its last step (already Succeeded) so the status it
   * writes shows the health reached, before it frees its slot and leaves that to the watch.
   */
  readonly settleMs: number;
  /**
   * How long a health wait keeps the pass's slots before it offers them for the rest of the wait
   * (see `SyncPassRequest.rest`).
   */
  readonly restAfterMs: number;
  /** First and longest interval between health polls. */
  readonly pollMinMs: number;
  readonly pollMaxMs: number;
  /** Objects of one step applied at once (after namespaces and CRDs, which go one by one). */
  readonly applyConcurrency: number;
}

/** Defaults of `ExecutionSettings` (health timeout, wave delay and settle time come from the configuration). */
export const DEFAULT_EXECUTION_SETTINGS: ExecutionSettings = {
  healthTimeoutMs: 300_000,
  waveDelayMs: 2_000,
  settleMs: 10_000,
  restAfterMs: 1_000,
  pollMinMs: 200,
  pollMaxMs: 2_000,
  applyConcurrency: 8,
};

/** The shared state of one pass. */
export class PassContext {
  readonly results: ResourceResult[] = [];
  /** `group/Kind` served by CRDs this pass applied: their first objects may wait for discovery. */
  readonly crdKinds = new Set<string>();
  /** `refKey`s this pass deleted (they may linger while finalizers run, but are no longer the app's). */
  readonly pruned = new Set<string>();

  constructor(
    readonly client: ClusterClient,
    readonly request: SyncPassRequest,
    /** Live objects by `refKey`; phases replace entries with what the server answered. */
    readonly live: Map<string, KubeObject>,
    /** Digests of the objects the last successful sync applied, by `refKey`. */
    readonly previousDigests: ReadonlyMap<string, string>,
    readonly appOptions: SyncOptions,
    readonly settings: ExecutionSettings,
    /** The cluster's live cache, when the drift watch keeps one. */
    readonly view?: ClusterLiveView,
  ) {}

  /** The Application's `spec.ignoreDifferences`, compiled once per pass. */
  get ignore(): readonly IgnoreRule[] {
    return (this.ignoreRules ??= compileIgnoreDifferences(this.request.app.spec.ignoreDifferences));
  }

  private ignoreRules?: readonly IgnoreRule[];

  /** The server answered with `object` (a write, or a read): the pass and the live cache see it. */
  answered(ref: ObjectRef, object: KubeObject): void {
    this.live.set(refKey(ref), object);
    this.view?.observe(object);
  }

  /** The server confirmed the object gone. */
  gone(ref: ObjectRef): void {
    this.live.delete(refKey(ref));
    this.view?.gone(ref);
  }

  /** Runs a wait in which the pass does no work (see `SyncPassRequest.rest`). */
  rest<T>(wait: () => Promise<T>): Promise<T> {
    return this.request.rest ? this.request.rest(wait) : wait();
  }

  get signal(): AbortSignal {
    return this.request.signal;
  }

  get dryRun(): boolean {
    return this.request.dryRun;
  }

  /** Records one resource's result (replacing an earlier one of the same resource and phase). */
  report(
    ref: ObjectRef,
    status: ResourceResultCode,
    message: string,
    phase: string,
    hookType?: string,
  ): void {
    const result: ResourceResult = {
      group: ref.group,
      version: ref.version,
      kind: ref.kind,
      namespace: ref.namespace,
      name: ref.name,
      status,
      message,
      syncPhase: phase,
      ...(hookType ? { hookType } : {}),
    };
    const at = this.results.findIndex(
      (r) =>
        r.group === ref.group &&
        r.kind === ref.kind &&
        r.namespace === ref.namespace &&
        r.name === ref.name &&
        r.syncPhase === phase,
    );
    if (at >= 0) this.results[at] = result;
    else this.results.push(result);
  }

  /** Tells the caller about the results so far (a callback error never fails the pass). */
  progress(): void {
    try {
      this.request.onProgress?.([...this.results]);
    } catch {
      // Progress is informational.
    }
  }
}

/** Runs `work` over `items`, at most `limit` at a time, in order of start. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  });
  await Promise.all(runners);
}
