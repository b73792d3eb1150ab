/**
 * The inventory: what a successful sync applied, stored with the Application
 * so the next sync knows what to prune (fluxcd/kustomize-controller's
 * `internal/inventory`). Each entry keeps what pruning needs even if the
 * live object has meanwhile lost its annotations: the wave (prunes run in
 * reverse wave order) and the object's own prune options.
 */
import { isHook } from '../manifests/annotations';
import { KubeObject, ObjectRef, compareRefs, refKey, refOf } from '../manifests/kube-object';
import { parseResourceSyncOptions } from './sync-options';
import { syncWaveOf } from './sync-order';

/** One applied object. */
export interface InventoryEntry {
  readonly ref: ObjectRef;
  readonly wave: number;
  /** The object's `Prune=` option, when it set one. */
  readonly prune?: 'true' | 'false' | 'confirm';
  /** The object's `PruneLast=true` option. */
  readonly pruneLast?: boolean;
  /**
   * `contentHash` of the desired object as it was applied, when the
   * executor recorded it: with the live object still matching, an unchanged
   * digest means re-applying would write nothing new (and a changed one
   * that a field may have been removed, which only an apply can do).
   */
  readonly digest?: string;
}

/** What was applied, sorted by ref, one entry per object. */
export type Inventory = readonly InventoryEntry[];

/**
 * The inventory entry of an applied object (pure function). Options and wave
 * were validated when the sync was planned; an unreadable value here falls
 * back to the default rather than failing a finished sync.
 */
export function inventoryEntryOf(obj: KubeObject): InventoryEntry {
  const wave = syncWaveOf(obj);
  const { options } = parseResourceSyncOptions(obj);
  return {
    ref: refOf(obj),
    wave: 'wave' in wave ? wave.wave : 0,
    ...(options.prune !== undefined ? { prune: options.prune } : {}),
    ...(options.pruneLast ? { pruneLast: true } : {}),
  };
}

/**
 * The inventory of a set of applied objects (pure function). Hooks are left
 * out: they are deleted by their own hook-delete-policy, never pruned.
 */
export function inventoryOf(applied: readonly KubeObject[]): Inventory {
  const byKey = new Map<string, InventoryEntry>();
  for (const obj of applied) {
    if (isHook(obj)) continue;
    const entry = inventoryEntryOf(obj);
    byKey.set(refKey(entry.ref), entry);
  }
  return [...byKey.values()].sort((a, b) => compareRefs(a.ref, b.ref));
}

/** Entries of `previous` whose object is not in `desired`, in ref order (fluxcd `Diff`). */
export function staleEntries(previous: Inventory, desired: readonly ObjectRef[]): InventoryEntry[] {
  const wanted = new Set(desired.map(refKey));
  return previous
    .filter((entry) => !wanted.has(refKey(entry.ref)))
    .sort((a, b) => compareRefs(a.ref, b.ref));
}
