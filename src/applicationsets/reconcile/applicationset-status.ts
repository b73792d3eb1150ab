/**
 * The status of an ApplicationSet after a reconcile, in Argo CD's words
 * (conditions `ErrorOccurred`, `ParametersGenerated`, `ResourcesUpToDate`,
 * plus Fleetplane's `DeletionBudgetExceeded`), computed by a pure function.
 * Times move only when something changes, so an unchanged result writes
 * nothing (no status churn).
 */
import { canonicalJson, jsonEqual } from '../../sync/manifests/content-hash';

export type ConditionType =
  'ErrorOccurred' | 'ParametersGenerated' | 'ResourcesUpToDate' | 'DeletionBudgetExceeded';

export interface ApplicationSetCondition {
  readonly type: ConditionType;
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
}

export interface SkippedApplication {
  readonly name: string;
  readonly problems: readonly { field: string; rule: string; message: string }[];
}

export interface ApplicationSetStatus {
  readonly conditions: readonly ApplicationSetCondition[];
  /** The document generation this status describes. */
  readonly observedGeneration?: number;
  /** Git revisions the last successful generation read. */
  readonly revisions?: readonly { repoURL: string; revision: string; sha: string }[];
  /** Generated Applications not written because of their problems (first 100). */
  readonly skippedApplications?: readonly SkippedApplication[];
  readonly blockedDeletions?: {
    readonly count: number;
    readonly limit: number;
    readonly names: readonly string[];
    readonly fingerprint: string;
  };
  readonly warnings?: readonly string[];
  /**
   * When a reconcile last wrote Applications, and what it wrote. A reconcile
   * that finds nothing to change writes nothing, so this does not move then.
   */
  readonly reconciledAt?: string;
  readonly lastChange?: ApplicationChanges;
  /** When this status last changed. */
  readonly changedAt?: string;
}

/** What one reconcile wrote. */
export interface ApplicationChanges {
  readonly created: number;
  readonly updated: number;
  readonly deleted: number;
  /** Kept by a policy that forbids deletion, released from the ApplicationSet. */
  readonly orphaned: number;
}

/** What a reconcile found, before it is turned into conditions. */
export type ReconcileOutcome =
  | {
      readonly kind: 'generated';
      readonly generation: number;
      readonly revisions: readonly { repoURL: string; revision: string; sha: string }[];
      readonly applications: number;
      readonly skipped: readonly SkippedApplication[];
      readonly warnings: readonly string[];
      readonly blockedDeletions: ApplicationSetStatus['blockedDeletions'] | null;
    }
  | {
      readonly kind: 'error';
      readonly generation: number;
      readonly reason: string;
      readonly message: string;
    };

const MAX_LISTED = 100;

/** The next status; `previous` keeps transition times of conditions that did not change. */
export function nextStatus(
  previous: ApplicationSetStatus | undefined,
  outcome: ReconcileOutcome,
  now: Date,
): ApplicationSetStatus {
  const condition = (
    type: ConditionType,
    status: 'True' | 'False',
    reason: string,
    message: string,
  ): ApplicationSetCondition => {
    const before = previous?.conditions?.find((c) => c.type === type);
    const same =
      before && before.status === status && before.reason === reason && before.message === message;
    return {
      type,
      status,
      reason,
      message,
      lastTransitionTime: same ? before.lastTransitionTime : now.toISOString(),
    };
  };
  let status: ApplicationSetStatus;
  if (outcome.kind === 'error') {
    // A failed generation changes no Application: keep what the last good run recorded.
    status = {
      ...previous,
      conditions: [
        condition('ErrorOccurred', 'True', outcome.reason, outcome.message),
        condition('ParametersGenerated', 'False', outcome.reason, outcome.message),
        condition(
          'ResourcesUpToDate',
          'False',
          outcome.reason,
          'Applications were left unchanged because generation failed',
        ),
      ],
      observedGeneration: outcome.generation,
    };
  } else {
    const blocked = outcome.blockedDeletions;
    const skipped = outcome.skipped.length;
    const upToDate = blocked
      ? condition(
          'ResourcesUpToDate',
          'False',
          'DeletionBudgetExceeded',
          `waiting for approval to delete ${blocked.count} Applications`,
        )
      : skipped > 0
        ? condition(
            'ResourcesUpToDate',
            'False',
            'ApplicationValidationError',
            `${skipped} generated Applications have problems and were not written`,
          )
        : condition(
            'ResourcesUpToDate',
            'True',
            'ApplicationSetUpToDate',
            'All applications have been generated successfully',
          );
    status = {
      conditions: [
        condition(
          'ErrorOccurred',
          'False',
          'ApplicationSetUpToDate',
          'Successfully generated parameters for all Applications',
        ),
        condition(
          'ParametersGenerated',
          'True',
          'ParametersGenerated',
          `Successfully generated parameters for ${outcome.applications} Applications`,
        ),
        upToDate,
        ...(blocked
          ? [
              condition(
                'DeletionBudgetExceeded',
                'True',
                'DeletionBudgetExceeded',
                `this reconcile would delete ${blocked.count} Applications, more than the budget of ${blocked.limit}; approve with POST /api/v1/applicationsets/{name}/approve-deletions`,
              ),
            ]
          : []),
      ],
      observedGeneration: outcome.generation,
      revisions: outcome.revisions,
      ...(previous?.reconciledAt && { reconciledAt: previous.reconciledAt }),
      ...(previous?.lastChange && { lastChange: previous.lastChange }),
      ...(skipped > 0 && { skippedApplications: outcome.skipped.slice(0, MAX_LISTED) }),
      ...(blocked && {
        blockedDeletions: { ...blocked, names: blocked.names.slice(0, MAX_LISTED) },
      }),
      ...(outcome.warnings.length > 0 && { warnings: outcome.warnings.slice(0, MAX_LISTED) }),
    };
  }
  const changed = !previous || statusKey(previous) !== statusKey(status);
  return {
    ...status,
    changedAt: changed ? now.toISOString() : (previous?.changedAt ?? now.toISOString()),
  };
}

/** `status` after a reconcile that wrote `changes` at `now` (the same status when it wrote nothing). */
export function withChanges(
  status: ApplicationSetStatus,
  changes: ApplicationChanges,
  now: Date,
): ApplicationSetStatus {
  const wrote = changes.created + changes.updated + changes.deleted + changes.orphaned > 0;
  if (!wrote) return status;
  return {
    ...status,
    reconciledAt: now.toISOString(),
    lastChange: changes,
    changedAt: now.toISOString(),
  };
}

/** True when writing `next` over `previous` would change anything. */
export function statusChanged(
  previous: ApplicationSetStatus | undefined,
  next: ApplicationSetStatus,
): boolean {
  return !previous || !jsonEqual(previous, next);
}

function statusKey(status: ApplicationSetStatus): string {
  const { changedAt: _ignored, ...rest } = status;
  return canonicalJson(rest);
}
