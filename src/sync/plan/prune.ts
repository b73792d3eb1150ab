/**
 * Pruning: which objects a sync deletes because Git no longer renders them.
 * Decided from the inventory of what was applied (never from a cluster-wide
 * listing), after gitops-engine pkg/sync/sync_context.go and Argo CD's
 * auto-sync guard (controller/appcontroller.go; semantics.md B1, B4):
 * - nothing is deleted unless pruning is enabled for this sync;
 * - `Prune=false` keeps an object (it still makes the Application
 *   OutOfSync), `Prune=confirm` keeps it until the user confirms;
 * - deletions run in reverse wave order (the wave numbers of the pruned
 *   objects are mirrored), `PruneLast` ones after the last wave;
 * - with pruning on and `allowEmpty` off, a sync that would delete every
 *   resource is refused as a whole ("auto-sync will wipe out all resources"),
 *   which protects against an empty render from a broken source.
 */
import { KubeObject, ObjectRef, compareRefs, refKey } from '../manifests/kube-object';
import { trackedAppOf } from '../manifests/tracking';
import { Inventory, InventoryEntry, inventoryEntryOf, staleEntries } from './inventory';

/** What this sync may do about stale objects. */
export interface PrunePolicy {
  /** The Application; a live object tracked by another one is never pruned. */
  readonly appName: string;
  /** Pruning enabled for this sync (`automated.prune`, or a manual sync with prune). */
  readonly prune: boolean;
  /** Allow a sync that deletes every resource (`automated.allowEmpty`). */
  readonly allowEmpty: boolean;
  /** App-level `PruneLast=true`. */
  readonly pruneLast?: boolean;
  /** The user confirmed the deletion of `Prune=confirm` objects for this sync. */
  readonly pruneConfirmed?: boolean;
  /** The last wave of the Sync phase's apply tasks; PruneLast deletions come after it. */
  readonly lastSyncWave?: number;
}

/**
 * Why a stale object is left in place: pruning is off for this sync; the
 * object says `Prune=false`; it says `Prune=confirm` and the user has not
 * confirmed; it no longer exists; or the live object no longer carries this
 * Application's tracking annotation (a copy, or taken over by another one).
 */
export type PruneSkipReason =
  'prune-disabled' | 'prune-false' | 'awaiting-confirmation' | 'already-deleted' | 'not-tracked';

/** Deletions that run together, in one wave. */
export interface PruneStep {
  readonly wave: number;
  readonly refs: ObjectRef[];
}

/** The prune part of a sync. */
export interface PrunePlan {
  /** Deletions in the order to run them (ascending effective wave). */
  readonly steps: PruneStep[];
  /** Stale objects left in place, and why, in ref order. */
  readonly skipped: { readonly ref: ObjectRef; readonly reason: PruneSkipReason }[];
  /** Stale objects that still exist and are ours: they make the Application OutOfSync. */
  readonly requiresPruning: ObjectRef[];
  /** Set when the whole sync must be refused (the wipe-out guard); `steps` is then empty. */
  readonly refusal?: string;
}

/**
 * Plans the deletions of one sync (pure function). `previous` is the
 * inventory of the last successful sync, `desired` the refs rendered now,
 * `live` (when known) the current objects by `refKey`: a stale object that
 * no longer exists is skipped, one now tracked by another Application is
 * never ours to delete, and the live object's own annotations (wave, Prune)
 * win over what the inventory recorded, as Argo reads the live object.
 */
export function planPrune(
  previous: Inventory,
  desired: readonly ObjectRef[],
  policy: PrunePolicy,
  live?: ReadonlyMap<string, KubeObject>,
): PrunePlan {
  const skipped: { ref: ObjectRef; reason: PruneSkipReason }[] = [];
  const candidates: InventoryEntry[] = [];
  for (const recorded of staleEntries(previous, desired)) {
    const liveObject = live?.get(refKey(recorded.ref));
    if (live && !liveObject) {
      skipped.push({ ref: recorded.ref, reason: 'already-deleted' });
    } else if (liveObject && trackedAppOf(liveObject) !== policy.appName) {
      skipped.push({ ref: recorded.ref, reason: 'not-tracked' });
    } else {
      candidates.push(
        liveObject ? { ...inventoryEntryOf(liveObject), ref: recorded.ref } : recorded,
      );
    }
  }
  const requiresPruning = candidates.map((entry) => entry.ref);
  if (policy.prune && !policy.allowEmpty && desired.length === 0 && candidates.length > 0) {
    return {
      steps: [],
      skipped: sortSkipped(skipped),
      requiresPruning,
      refusal:
        'auto-sync will wipe out all resources; set allowEmpty to allow an Application with no resources',
    };
  }
  const deletions: InventoryEntry[] = [];
  for (const entry of candidates) {
    const reason = reasonToKeep(entry, policy);
    if (reason) skipped.push({ ref: entry.ref, reason });
    else deletions.push(entry);
  }
  return {
    steps: orderDeletions(deletions, policy),
    skipped: sortSkipped(skipped),
    requiresPruning,
  };
}

function reasonToKeep(entry: InventoryEntry, policy: PrunePolicy): PruneSkipReason | undefined {
  if (!policy.prune) return 'prune-disabled';
  if (entry.prune === 'false') return 'prune-false';
  if (entry.prune === 'confirm' && !policy.pruneConfirmed) return 'awaiting-confirmation';
  return undefined;
}

/**
 * Mirrors the waves of the deletions (the lowest wave with the highest, and
 * so on: gitops-engine's "symmetric swap"), so what was created first is
 * deleted last; PruneLast deletions go one wave after everything else.
 */
function orderDeletions(deletions: readonly InventoryEntry[], policy: PrunePolicy): PruneStep[] {
  const waves = [...new Set(deletions.map((entry) => entry.wave))].sort((a, b) => a - b);
  const mirrored = new Map(waves.map((wave, i) => [wave, waves[waves.length - 1 - i]]));
  const lastWave = Math.max(0, policy.lastSyncWave ?? 0, ...mirrored.values()) + 1;
  const byWave = new Map<number, ObjectRef[]>();
  for (const entry of deletions) {
    const wave =
      entry.pruneLast || policy.pruneLast ? lastWave : (mirrored.get(entry.wave) ?? entry.wave);
    byWave.set(wave, [...(byWave.get(wave) ?? []), entry.ref]);
  }
  return [...byWave.entries()]
    .sort(([a], [b]) => a - b)
    .map(([wave, refs]) => ({ wave, refs: refs.sort(compareRefs) }));
}

function sortSkipped<T extends { ref: ObjectRef }>(skipped: T[]): T[] {
  return skipped.sort((a, b) => compareRefs(a.ref, b.ref));
}
