/**
 * The Application status Fleetplane records and serves, in Argo CD's shape
 * (semantics.md B3; pkg/apis/application/v1alpha1/types.go,
 * gitops-engine pkg/sync/common/types.go). Times are RFC 3339 strings, so
 * the values can be stored as JSON and returned by the REST API unchanged.
 */
import { ApplicationSource } from '../../argo/application.types';
import { HealthStatus } from '../health/health-status';

/** `status.sync.status`. */
export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';

/** `status.operationState.phase`. */
export type OperationPhase = 'Running' | 'Terminating' | 'Succeeded' | 'Failed' | 'Error';

/** Who started an operation. */
export interface InitiatedBy {
  /** The user, for a manual operation. */
  readonly username?: string;
  /** True when the controller started it (auto-sync, self-heal, retry). */
  readonly automated: boolean;
}

/** A requested sync: `POST .../sync` `{revision?, prune?, dryRun?}`, or an auto-sync. */
export interface SyncOperation {
  /** The commit to sync; resolved to a SHA before the operation starts. */
  readonly revision: string;
  readonly prune: boolean;
  readonly dryRun: boolean;
  readonly initiatedBy: InitiatedBy;
}

/** Outcome of one resource in a sync (`ResultCode` in gitops-engine). */
export type ResourceResultCode = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';

/** One line of `operationState.syncResult.resources`. */
export interface ResourceResult {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly status: ResourceResultCode;
  readonly message: string;
  /** `PreSync`, `Sync`, `PostSync` or `SyncFail`. */
  readonly syncPhase: string;
  /** Set for hooks. */
  readonly hookType?: string;
}

/** `status.operationState`. */
export interface OperationState {
  readonly operation: SyncOperation;
  readonly phase: OperationPhase;
  readonly message: string;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** Retries done so far (0 on the first attempt). */
  readonly retryCount: number;
  readonly syncResult?: {
    readonly revision: string;
    readonly resources: readonly ResourceResult[];
  };
}

/** One `status.history` entry: a successful sync. */
export interface HistoryEntry {
  /** Auto-incremented, starting at 0, never reused. */
  readonly id: number;
  readonly revision: string;
  readonly deployedAt: string;
  readonly deployStartedAt?: string;
  readonly initiatedBy: InitiatedBy;
  readonly source?: ApplicationSource;
  /** For `spec.sources` (then `source` is absent, and `revision` names one commit per source). */
  readonly sources?: readonly ApplicationSource[];
}

/** One entry of `status.resources` (and of `GET .../resources`). */
export interface ResourceStatus {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly status: SyncStatusCode;
  readonly health?: HealthStatus;
  /** Live, tracked as this Application's, and no longer rendered. */
  readonly requiresPruning?: boolean;
  readonly hook?: boolean;
}
