/**
 * What the sync engine's control half keeps about an Application: its
 * Argo CD status (written to `applications.status`) and its own memory
 * (`application_sync_state`): the inventory prune may delete from, the last
 * sync attempt the auto-sync guard reads, pending requests and deletion.
 */
import { Application, ApplicationSource } from '../../argo/application.types';
import { HealthStatusCode } from '../health/health-status';
import { Inventory } from '../plan/inventory';
import {
  HistoryEntry,
  InitiatedBy,
  OperationPhase,
  OperationState,
  ResourceStatus,
  SyncStatusCode,
} from '../status/status.types';

/** A condition shown in `status.conditions` (Argo's `ComparisonError`, `SyncError`, ...). */
export interface ApplicationCondition {
  readonly type:
    | 'ComparisonError'
    | 'SyncError'
    | 'InvalidSpecError'
    | 'DeletionError'
    | 'RepeatedResourceWarning';
  readonly message: string;
  /** When the condition first appeared with this message (kept while it stays, so status does not churn). */
  readonly lastTransitionTime: string;
}

/** `applications.status` as the control half writes it (Argo CD's shape, semantics.md B3). */
export interface ApplicationSyncStatus {
  readonly sync: {
    readonly status: SyncStatusCode;
    /** The commit the comparison was made at (absent when it could not be resolved). */
    readonly revision?: string;
    readonly comparedTo?: {
      readonly source?: ApplicationSource;
      /** For `spec.sources` (then `source` is absent). */
      readonly sources?: readonly ApplicationSource[];
      readonly destination: Application['spec']['destination'];
    };
    /** Why it is OutOfSync or Unknown. */
    readonly message?: string;
  };
  readonly health: { readonly status: HealthStatusCode; readonly message?: string };
  readonly resources: readonly ResourceStatus[];
  readonly operationState?: OperationState;
  readonly history: readonly HistoryEntry[];
  readonly conditions: readonly ApplicationCondition[];
  /** Set while the Application waits for its resources to be pruned before it is removed. */
  readonly deletionRequestedAt?: string;
}

/** Why a sync operation runs. */
export type SyncTrigger = 'manual' | 'rollback' | 'new-target' | 'retry' | 'self-heal' | 'resume';

/** A manual sync or rollback requested over the API, waiting for the worker. */
export interface RequestedOperation {
  readonly id: string;
  readonly kind: 'sync' | 'rollback';
  /** A commit SHA (resolved when requested), or absent: the target revision at run time. */
  readonly revision?: string;
  readonly prune: boolean;
  readonly dryRun: boolean;
  /** Let a prune delete every resource of the Application. */
  readonly allowEmpty: boolean;
  /** Rollback: the source recorded in the history entry. */
  readonly source?: ApplicationSource;
  /** Rollback of an Application with `spec.sources`: the sources recorded in the history entry. */
  readonly sources?: readonly ApplicationSource[];
  /** Rollback: the history id deployed again. */
  readonly rollbackId?: number;
  readonly initiatedBy: InitiatedBy;
  readonly requestedAt: string;
}

/** The last sync operation that ran (never a dry run), as the auto-sync guard needs it. */
export interface LastAttempt {
  readonly revision: string;
  /** `syncSpecHash` of the Application when it ran. */
  readonly specHash: string;
  readonly phase: OperationPhase;
  readonly retryCount: number;
  readonly trigger: SyncTrigger;
  readonly finishedAt?: string;
  /** Stopped by `POST .../terminate` or the sync timeout: never retried automatically. */
  readonly terminated?: boolean;
  /** A manual operation, kept so the retry policy can run it again. */
  readonly manual?: RequestedOperation;
}

/** `application_sync_state`: the control half's memory of one Application. */
export interface SyncState {
  readonly inventory: Inventory;
  readonly lastAttempt: LastAttempt | null;
  readonly selfHealAttempts: number;
  readonly resumeCount: number;
  readonly requestedOperation: RequestedOperation | null;
  readonly terminateRequestedAt: string | null;
  readonly deletionRequestedAt: string | null;
  readonly deletionOwnerId: string | null;
}

/** The initial memory of an Application never handled before. */
export const EMPTY_SYNC_STATE: SyncState = {
  inventory: [],
  lastAttempt: null,
  selfHealAttempts: 0,
  resumeCount: 0,
  requestedOperation: null,
  terminateRequestedAt: null,
  deletionRequestedAt: null,
  deletionOwnerId: null,
};

/** An Application as a cluster worker loads it. */
export interface SyncedApplication {
  readonly id: string;
  readonly name: string;
  readonly clusterName: string | null;
  readonly destServer: string | null;
  readonly applicationSetId: string | null;
  readonly manifest: Application;
  /** The row's `spec_hash` (changes whenever the reconciler rewrites the Application). */
  readonly rowHash: string;
  /** The stored status (partial or empty for an Application never handled). */
  readonly status: Partial<ApplicationSyncStatus>;
  readonly state: SyncState;
}
