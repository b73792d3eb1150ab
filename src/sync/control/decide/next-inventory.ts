/**
 * The inventory to remember after a sync (pure function). A successful sync
 * records exactly what it applied. A failed one may have applied part of
 * the desired objects before it stopped: those are added to the previous
 * inventory, so that if Git later drops them a prune still finds them
 * (otherwise they would be orphaned on the cluster). Nothing is ever
 * removed from the inventory by a failed sync. Objects a comparison finds
 * in place, already carrying the Application's tracking id, are added too.
 */
import { KubeObject, compareRefs, refKey, refOf } from '../../manifests/kube-object';
import { Inventory, InventoryEntry, inventoryEntryOf } from '../../plan/inventory';
import { ResourceResult } from '../../status/status.types';

export function nextInventory(
  previous: Inventory,
  outcome: {
    readonly phase: 'Succeeded' | 'Failed' | 'Error';
    readonly dryRun: boolean;
    readonly inventory: Inventory;
    readonly resources: readonly ResourceResult[];
  },
  desired: readonly KubeObject[],
): Inventory {
  if (outcome.dryRun) return previous;
  if (outcome.phase === 'Succeeded') return outcome.inventory;
  const applied = new Set(
    outcome.resources
      .filter((r) => r.status === 'Synced' && !r.hookType)
      .map((r) => refKey({ ...r, version: '' })),
  );
  const byKey = new Map<string, InventoryEntry>(previous.map((e) => [refKey(e.ref), e]));
  for (const obj of desired) {
    const key = refKey(refOf(obj));
    if (applied.has(key) && !byKey.has(key)) byKey.set(key, inventoryEntryOf(obj));
  }
  return [...byKey.values()].sort((a, b) => compareRefs(a.ref, b.ref));
}

/**
 * The inventory with the objects a comparison found the Application had
 * adopted (live, carrying its tracking id, not listed): from now on they
 * are pruned with it like the objects it applied.
 */
export function withAdopted(inventory: Inventory, adopted: Inventory): Inventory {
  if (adopted.length === 0) return inventory;
  const byKey = new Map<string, InventoryEntry>(inventory.map((e) => [refKey(e.ref), e]));
  for (const entry of adopted)
    if (!byKey.has(refKey(entry.ref))) byKey.set(refKey(entry.ref), entry);
  return [...byKey.values()].sort((a, b) => compareRefs(a.ref, b.ref));
}
