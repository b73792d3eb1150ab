/**
 * Assembles the Application status the control half writes (pure
 * functions), in Argo CD's shape: sync status with the compared revision,
 * health, resources, operation state, history and conditions. Times that
 * did not change are kept, so an unchanged Application produces an
 * identical status and no write (`sameStatus`).
 */
import { recordedSources } from '../../../argo/application-sources';
import { Application } from '../../../argo/application.types';
import { jsonEqual } from '../../manifests/content-hash';
import { OperationState } from '../../status/status.types';
import { Comparison } from '../../engine/engine.types';
import { ApplicationCondition, ApplicationSyncStatus } from '../sync-control.types';

/** A condition before it is stamped with a transition time. */
export interface ConditionDraft {
  readonly type: ApplicationCondition['type'];
  readonly message: string;
}

export interface StatusParts {
  readonly app: Application;
  readonly previous: Partial<ApplicationSyncStatus>;
  /** A comparison that ran; absent when it did not run this pass. */
  readonly comparison?: Comparison;
  /** Why the comparison could not run (sync status Unknown). */
  readonly comparisonError?: string;
  /** The cluster could not be read: health is Unknown too. */
  readonly clusterUnreachable?: boolean;
  /** The commit the failed comparison was meant for, when it was resolved. */
  readonly revision?: string;
  /** undefined keeps the previous operation state. */
  readonly operationState?: OperationState;
  readonly conditions: readonly ConditionDraft[];
  readonly deletionRequestedAt?: string | null;
  readonly now: Date;
}

/** The next status of an Application (pure function). */
export function buildStatus(parts: StatusParts): ApplicationSyncStatus {
  const { app, previous, comparison } = parts;
  const comparedTo = { ...recordedSources(app), destination: app.spec.destination };
  let sync: ApplicationSyncStatus['sync'];
  let health: ApplicationSyncStatus['health'];
  let resources: ApplicationSyncStatus['resources'];
  if (comparison) {
    sync = {
      status: comparison.syncStatus,
      revision: comparison.revision,
      comparedTo,
      ...(comparison.message ? { message: comparison.message } : {}),
    };
    health = {
      status: comparison.health.status,
      ...(comparison.health.message ? { message: comparison.health.message } : {}),
    };
    resources = comparison.resources;
  } else if (parts.comparisonError !== undefined) {
    const revision = parts.revision ?? previous.sync?.revision;
    sync = {
      status: 'Unknown',
      ...(revision ? { revision } : {}),
      comparedTo,
      message: parts.comparisonError,
    };
    health = parts.clusterUnreachable
      ? { status: 'Unknown', message: parts.comparisonError }
      : (previous.health ?? { status: 'Unknown' });
    resources = previous.resources ?? [];
  } else {
    sync = previous.sync ?? { status: 'Unknown', comparedTo };
    health = previous.health ?? { status: 'Unknown' };
    resources = previous.resources ?? [];
  }
  const operationState = parts.operationState ?? previous.operationState;
  const deletionRequestedAt =
    parts.deletionRequestedAt === undefined
      ? previous.deletionRequestedAt
      : (parts.deletionRequestedAt ?? undefined);
  return {
    sync,
    health,
    resources,
    ...(operationState ? { operationState } : {}),
    // Kept as it was: successful syncs are added where history is kept (see HistoryAppend).
    history: previous.history ?? [],
    conditions: stampConditions(previous.conditions ?? [], parts.conditions, parts.now),
    ...(deletionRequestedAt ? { deletionRequestedAt } : {}),
  };
}

/**
 * Conditions with their transition times: a condition that was already
 * there with the same type and message keeps its time (pure function).
 */
export function stampConditions(
  previous: readonly ApplicationCondition[],
  current: readonly ConditionDraft[],
  now: Date,
): ApplicationCondition[] {
  return current.map((draft) => {
    const same = previous.find((p) => p.type === draft.type && p.message === draft.message);
    return {
      type: draft.type,
      message: draft.message,
      lastTransitionTime: same?.lastTransitionTime ?? now.toISOString(),
    };
  });
}

/** True when two statuses are equal as JSON (key order ignored): then nothing is written. */
export function sameStatus(
  a: Partial<ApplicationSyncStatus> | undefined,
  b: Partial<ApplicationSyncStatus> | undefined,
): boolean {
  return jsonEqual(a ?? {}, b ?? {});
}
