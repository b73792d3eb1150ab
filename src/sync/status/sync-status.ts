/**
 * The Application's sync status and resource list from the comparison of
 * desired and live objects (Argo CD controller/state.go `CompareAppState`).
 */
import { ignoresExtraneous, isHook } from '../manifests/annotations';
import { KubeObject, ObjectRef } from '../manifests/kube-object';
import { IgnoreRule, diffIgnoring } from '../diff/ignore-differences';
import { ResourceDiff, pairResources } from '../diff/diff-resources';
import { ResourceHealth, aggregateHealth, resourceHealth } from '../health/aggregate-health';
import { HealthStatus } from '../health/health-status';
import { ResourceStatus, SyncStatusCode } from './status.types';

/** Everything known about one resource after a comparison. */
export interface ResourceComparison {
  readonly ref: ObjectRef;
  readonly diff: ResourceDiff;
  readonly health: ResourceHealth;
  /** A hook: run by syncs, never part of the sync status. */
  readonly hook: boolean;
  /** Extraneous but annotated `compare-options: IgnoreExtraneous`: does not make the app OutOfSync. */
  readonly ignoreExtraneous: boolean;
}

/**
 * Compares every resource of an Application (pure function): pairs desired
 * and live objects (`pairResources`), then diffs (leaving out the fields
 * `ignore` names, `spec.ignoreDifferences`) and judges the health of each.
 * Sorted by ref.
 */
export function compareResources(
  desired: readonly KubeObject[],
  live: readonly KubeObject[],
  appName: string,
  ignore: readonly IgnoreRule[] = [],
): ResourceComparison[] {
  return pairResources(desired, live, appName).map(({ ref, desired: wanted, live: actual }) => {
    const either = (actual ?? wanted) as KubeObject;
    return {
      ref,
      diff: diffIgnoring(wanted, actual, ignore),
      health: resourceHealth(wanted, actual),
      hook: isHook(either),
      ignoreExtraneous: actual !== undefined && ignoresExtraneous(actual),
    };
  });
}

/** A comparison that ran, or one that could not (Git, rendering or the cluster failed). */
export type ComparisonOutcome =
  | { readonly ok: true; readonly resources: readonly ResourceComparison[] }
  | { readonly ok: false; readonly error: string };

/** `status.sync.status` with a reason for people. */
export interface SyncStatusVerdict {
  readonly status: SyncStatusCode;
  readonly message: string;
}

/**
 * The Application's sync status (pure function):
 * - Unknown when the comparison failed (the message says why);
 * - Synced when every non-hook resource is Synced; an extraneous resource
 *   counts only without `IgnoreExtraneous`;
 * - OutOfSync otherwise, naming how many resources differ, are missing or
 *   require pruning.
 * Extraneous resources make the Application OutOfSync whether or not prune
 * is enabled, as in Argo CD: that is what lets auto-sync with prune run and
 * delete them.
 */
export function computeSyncStatus(outcome: ComparisonOutcome): SyncStatusVerdict {
  if (!outcome.ok) return { status: 'Unknown', message: `comparison failed: ${outcome.error}` };
  const counts = { OutOfSync: 0, Missing: 0, Extraneous: 0 };
  for (const resource of outcome.resources) {
    if (resource.hook) continue;
    const status = resource.diff.status;
    if (status === 'Synced' || (status === 'Extraneous' && resource.ignoreExtraneous)) continue;
    counts[status]++;
  }
  const parts = [
    counts.OutOfSync > 0 ? `${counts.OutOfSync} differ from Git` : '',
    counts.Missing > 0 ? `${counts.Missing} missing` : '',
    counts.Extraneous > 0 ? `${counts.Extraneous} no longer in Git (require pruning)` : '',
  ].filter(Boolean);
  return parts.length === 0
    ? { status: 'Synced', message: '' }
    : { status: 'OutOfSync', message: `resources: ${parts.join(', ')}` };
}

/** The Application's health from its resources (see `aggregateHealth`). */
export function applicationHealth(resources: readonly ResourceComparison[]): HealthStatus {
  return aggregateHealth(resources.map((resource) => resource.health));
}

/** The resource list in Argo's `status.resources` shape (pure function). */
export function resourceStatuses(resources: readonly ResourceComparison[]): ResourceStatus[] {
  return resources.map(({ ref, diff, health, hook }) => ({
    group: ref.group,
    version: ref.version,
    kind: ref.kind,
    namespace: ref.namespace,
    name: ref.name,
    status: diff.status === 'Synced' ? 'Synced' : 'OutOfSync',
    health: { status: health.status, message: health.message },
    ...(diff.status === 'Extraneous' ? { requiresPruning: true } : {}),
    ...(hook ? { hook: true } : {}),
  }));
}
