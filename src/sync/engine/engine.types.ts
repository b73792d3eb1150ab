/**
 * The contract between the sync engine's two halves:
 * - execution (`src/sync/render`, `src/sync/engine`, `src/kube`): resolves a
 *   source to a commit, renders the desired objects, compares them with the
 *   cluster, runs one sync pass (apply waves, wait for health, prune) and
 *   watches the cluster for drift;
 * - control (`src/sync/control`, persistence, REST, metrics): decides when a
 *   pass runs (automated sync, self-heal, retry, manual sync, rollback),
 *   persists operations, status and history, and fans work out per cluster.
 *
 * Execution never touches Postgres; control never talks to a cluster or to
 * Git itself. Fields may be added here; none may change meaning.
 */
import { Application, ApplicationSource } from '../../argo/application.types';
import { ClusterAccess } from '../../kube/cluster-access';
import { ResourceDiff } from '../diff/diff-resources';
import { HealthStatus, HealthStatusCode } from '../health/health-status';
import { KubeObject, ObjectRef } from '../manifests/kube-object';
import { Inventory } from '../plan/inventory';
import { FailureDescriptor } from '../retry/failure-classification';
import { ResourceResult, ResourceStatus, SyncStatusCode } from '../status/status.types';

/** One request execution made to a cluster's API server (for `fleetplane_cluster_api_requests_total`). */
export interface ClusterApiRequest {
  /** Kubernetes verb: `get`, `list`, `watch`, `create`, `patch`, `delete`, ... (`discovery` for /api, /apis). */
  readonly verb: string;
  /** HTTP status answered; 0 when there was no answer (network error, timeout). */
  readonly statusCode: number;
}

/** The cluster an Application is synced to, with its credentials (decrypted, in memory only). */
export interface SyncCluster {
  readonly name: string;
  readonly access: ClusterAccess;
  /**
   * Optional: told about every request made to this cluster (control counts
   * them in `fleetplane_cluster_api_requests_total`). Must not throw.
   */
  readonly onApiRequest?: (request: ClusterApiRequest) => void;
}

/** The desired state of an Application at one commit (one per source for `spec.sources`). */
export interface DesiredState {
  /** The commit SHA the source's `targetRevision` resolved to (comma-joined, one per source, for several). */
  readonly revision: string;
  /** Normalised objects (namespaces defaulted, tracking annotation set), sorted by ref. */
  readonly objects: readonly KubeObject[];
  /** `desiredStateHash` of the objects and the options that affect writes. */
  readonly hash: string;
  /** Rendered, but worth a `RepeatedResourceWarning` condition (sources producing one object twice). */
  readonly warnings?: readonly string[];
}

/**
 * Renders an Application's source (pure plain YAML/JSON directory,
 * Kustomize, Helm when a binary exists) at a commit, through the shared Git
 * mirror cache. Output is cached per (repo, SHA, path, options).
 * Rejects with a `DomainError` (manifest problems name file, document and
 * line; never file content) or a Git error; never returns an empty result for
 * a failure.
 */
export interface ManifestRenderer {
  /** Resolves `source.targetRevision` (branch, tag, SHA, `HEAD`) to a commit SHA. */
  resolveRevision(source: ApplicationSource): Promise<string>;
  /** The desired objects of `app` at `revision` (a SHA), normalised for `cluster`. */
  render(app: Application, revision: string, cluster: SyncCluster): Promise<DesiredState>;
  /**
   * Optional: a push announced a commit in `repoURL`, so the next
   * `resolveRevision` of it must fetch, even within the poll interval.
   */
  refreshRepository?(repoURL: string): void;
}

/** Desired against live, as `status.sync`, `status.health` and `status.resources` need it. */
export interface Comparison {
  readonly revision: string;
  readonly desiredHash: string;
  readonly syncStatus: SyncStatusCode;
  /** Why it is OutOfSync or Unknown; empty when Synced. */
  readonly message: string;
  readonly health: HealthStatus;
  readonly resources: readonly ResourceStatus[];
  /** Per-object differences (Secret values masked), for `GET .../diff`. */
  readonly diffs: readonly ResourceDiff[];
  /** Every managed resource would be pruned by a sync (the auto-sync wipe-out guard). */
  readonly wouldPruneEverything: boolean;
  /** Desired objects found live with the Application's tracking id but not in its inventory. */
  readonly adopted: Inventory;
}

/** One sync pass, as the control half asks for it. */
export interface SyncPassRequest {
  readonly app: Application;
  readonly cluster: SyncCluster;
  readonly desired: DesiredState;
  /** The inventory of the last successful sync (what may be pruned). */
  readonly inventory: Inventory;
  readonly prune: boolean;
  readonly dryRun: boolean;
  /**
   * Optional: let prune delete every resource of the Application (absent:
   * false, and a prune that would leave nothing is refused). Control sets it
   * for `allowEmpty` syncs and when deleting an Application with the
   * resources finalizer (desired objects empty, prune true).
   */
  readonly allowEmpty?: boolean;
  /** Aborted by `POST .../terminate` or shutdown: stop between steps, report `Failed`/terminated. */
  readonly signal: AbortSignal;
  /** Called as resources finish, so a running operation can show progress. */
  readonly onProgress?: (results: readonly ResourceResult[]) => void;
  /**
   * Optional: runs a wait in which the pass neither works nor holds the
   * cluster (a pause between looks at a long rollout), so the caller can
   * lend the pass's concurrency slots to other passes meanwhile. Resolves
   * with the wait's result once the pass may go on; absent, the pass simply
   * waits.
   */
  readonly rest?: <T>(wait: () => Promise<T>) => Promise<T>;
}

/** What one sync pass did. */
export interface SyncPassResult {
  /** `Succeeded`: every step applied and healthy; `Failed`: a resource was refused or unhealthy; `Error`: the pass could not run. */
  readonly phase: 'Succeeded' | 'Failed' | 'Error';
  readonly message: string;
  readonly resources: readonly ResourceResult[];
  /** The inventory to record (only meaningful when `phase` is `Succeeded` and not a dry run). */
  readonly inventory: Inventory;
  /** Set when the pass failed: the control half classifies it (retry or stall) and feeds the circuit breaker. */
  readonly failure?: FailureDescriptor;
  /** The pass was stopped through `signal`. */
  readonly terminated?: boolean;
  /**
   * Optional: desired against live as the pass left the cluster (after its
   * last health wait), when the executor can build it from what it read
   * anyway. Control then skips its own comparison after a sync (three
   * lists per Application); absent, control compares again.
   */
  readonly comparison?: Comparison;
}

/** Runs comparisons and sync passes against one cluster. */
export interface SyncExecutor {
  compare(
    app: Application,
    cluster: SyncCluster,
    desired: DesiredState,
    inventory: Inventory,
  ): Promise<Comparison>;
  sync(request: SyncPassRequest): Promise<SyncPassResult>;
  /** Optional: releases what is kept for a cluster that was removed (connections, caches). */
  forgetCluster?(clusterName: string): void;
}

/**
 * A change seen on a cluster to an object tracked by an Application (the
 * name comes from the object's tracking annotation):
 * - `drift`: the object changed behind Fleetplane's back (an edit of
 *   anything but status, a deletion, a tracking annotation added or removed);
 * - `health`: only its status changed, and with it the object's health (a
 *   rollout finished, a Pod started failing).
 */
export type DriftEvent =
  | { readonly clusterName: string; readonly appName: string; readonly reason: 'drift' }
  | {
      readonly clusterName: string;
      readonly appName: string;
      readonly reason: 'health';
      readonly object: ObjectRef;
      readonly health: HealthStatusCode;
    };

/** A kind of object to watch for drift (the version is a hint; the served one is used). */
export interface WatchedKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** Optional settings of a drift watch. */
export interface DriftWatchOptions {
  /** Kinds to watch from the start, besides those the executor learnt. */
  readonly kinds?: readonly WatchedKind[];
}

/** A running drift watch. */
export interface DriftWatchHandle {
  stop(): void;
  /** Optional: watches these kinds too (already watched ones are ignored). */
  watchKinds?(kinds: readonly WatchedKind[]): void;
}

/**
 * Watches a cluster for changes to objects Fleetplane manages (tracking
 * annotation) and reports which Applications to compare again. One watch
 * set per cluster, restarted with backoff; the control half also compares
 * periodically, so a lost watch only delays detection.
 */
export interface DriftWatcher {
  /**
   * Starts watching `cluster`. The kinds watched are those the executor has
   * compared or synced on this cluster (learnt automatically), plus
   * `options.kinds`; more can be added through the handle.
   */
  watch(
    cluster: SyncCluster,
    onDrift: (event: DriftEvent) => void,
    options?: DriftWatchOptions,
  ): DriftWatchHandle;
}

/** Nest injection token of the `ManifestRenderer` (provided by `SyncExecutionModule`). */
export const MANIFEST_RENDERER = Symbol('ManifestRenderer');
/** Nest injection token of the `SyncExecutor` (provided by `SyncExecutionModule`). */
export const SYNC_EXECUTOR = Symbol('SyncExecutor');
/** Nest injection token of the `DriftWatcher` (provided by `SyncExecutionModule`). */
export const DRIFT_WATCHER = Symbol('DriftWatcher');
