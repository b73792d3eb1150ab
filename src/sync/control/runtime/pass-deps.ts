/**
 * What one Application pass needs from the rest of the replica, as narrow
 * ports: the execution half (renderer, executor), revision tracking, the
 * batched status writer, and hooks for metrics and removals. Service specs
 * hand in fakes; the runtime hands in the real ones.
 */
import { ApplicationSource } from '../../../argo/application.types';
import { ManifestRenderer, SyncCluster, SyncExecutor } from '../../engine/engine.types';
import { OperationState } from '../../status/status.types';
import { StatusWrite } from '../persistence/sync-state.repository';

export interface PassDeps {
  readonly renderer: ManifestRenderer;
  readonly executor: SyncExecutor;
  readonly revisions: {
    /** The commit of each source, in order; the follower is woken when one moves. */
    resolveAll(
      follower: string,
      sources: readonly ApplicationSource[],
      fresh?: boolean,
    ): Promise<string[]>;
  };
  /** Resolves true once written, false when the cluster's lease was lost. */
  readonly write: (write: StatusWrite) => Promise<boolean>;
  /** Removes an Application whose deletion finished; the owner to reconcile, or undefined if not removed. */
  readonly removeDeleted: (id: string) => Promise<{ ownerId: string | null } | undefined>;
  readonly onRemoved: (ownerId: string | null) => void;
  readonly metrics: {
    operationFinished(name: string, destServer: string, phase: string): void;
  };
  readonly settings: {
    readonly compareIntervalMs: number;
    /** 0: no sync timeout. */
    readonly syncTimeoutMs: number;
  };
  readonly now: () => number;
  readonly random: () => number;
}

/** What the cluster worker gives one pass. */
export interface PassContext {
  readonly cluster: SyncCluster;
  /** Aborted when the worker stops (lease lost, cluster removed, shutdown). */
  readonly lifetime: AbortSignal;
  /** Called when a sync operation starts, so `terminate` can reach it. */
  readonly operationStarted: (abort: AbortController, state: OperationState) => void;
  /** Optional: lends the pass's slots during a wait (see `SyncPassRequest.rest`). */
  readonly rest?: <T>(wait: () => Promise<T>) => Promise<T>;
}
