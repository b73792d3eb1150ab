/**
 * Desired against live for one Application (pure functions over the live
 * state the executor read): per-resource diff and health, the sync status,
 * the Application's health, `status.resources`, and whether a sync with
 * prune would delete everything (the auto-sync wipe-out guard).
 */
import { Application } from '../../argo/application.types';
import { compileIgnoreDifferences } from '../diff/ignore-differences';
import { isHook } from '../manifests/annotations';
import { KubeObject, ObjectRef, compareRefs, refKey, refOf } from '../manifests/kube-object';
import { trackedAppOf } from '../manifests/tracking';
import { Inventory, InventoryEntry, inventoryEntryOf } from '../plan/inventory';
import { planPrune } from '../plan/prune';
import {
  applicationHealth,
  compareResources,
  computeSyncStatus,
  resourceStatuses,
} from '../status/sync-status';
import { Comparison, DesiredState } from './engine.types';
import { LiveState } from './live-state';

/** Every ref the live state must cover: desired objects and the inventory. */
export function refsToRead(desired: readonly KubeObject[], inventory: Inventory): ObjectRef[] {
  return [...desired.map(refOf), ...inventory.map((entry) => entry.ref)];
}

/**
 * The inventory prune works from: the recorded one plus every live object
 * tracked by the Application and not in it. Tracking is the contract (an
 * object carrying the app's own tracking value is the app's, as in Argo),
 * so an object applied by a sync whose inventory was never recorded (a
 * crash, a failed pass) is still pruned when Git drops it.
 */
export function pruneInventory(
  appName: string,
  inventory: Inventory,
  live: ReadonlyMap<string, KubeObject>,
): Inventory {
  const byKey = new Map<string, InventoryEntry>(
    inventory.map((entry) => [refKey(entry.ref), entry]),
  );
  for (const [key, object] of live) {
    if (!byKey.has(key) && !isHook(object) && trackedAppOf(object) === appName) {
      byKey.set(key, inventoryEntryOf(object));
    }
  }
  return [...byKey.values()].sort((a, b) => compareRefs(a.ref, b.ref));
}

/**
 * Desired objects that are live, carry the Application's tracking id and
 * are missing from its inventory: objects it found in place rather than
 * applied (its row was deleted without cascade and created again, or the
 * objects were deployed by Argo CD under the same name). Recorded, they are
 * pruned with the Application like the objects it applied; left out, its
 * deletion would orphan them.
 */
export function adoptedObjects(
  appName: string,
  desired: readonly KubeObject[],
  inventory: Inventory,
  live: ReadonlyMap<string, KubeObject>,
): Inventory {
  const known = new Set(inventory.map((entry) => refKey(entry.ref)));
  const adopted: InventoryEntry[] = [];
  for (const object of desired) {
    if (isHook(object)) continue;
    const key = refKey(refOf(object));
    const found = live.get(key);
    if (!known.has(key) && found && trackedAppOf(found) === appName) {
      known.add(key);
      adopted.push(inventoryEntryOf(object));
    }
  }
  return adopted.sort((a, b) => compareRefs(a.ref, b.ref));
}

/** The comparison of `desired` with the live state (pure function). */
export function compareWithLive(
  app: Application,
  desired: DesiredState,
  inventory: Inventory,
  live: LiveState,
): Comparison {
  const appName = app.metadata.name;
  const resources = compareResources(
    desired.objects,
    [...live.byKey.values()],
    appName,
    compileIgnoreDifferences(app.spec.ignoreDifferences),
  );
  const verdict = computeSyncStatus({ ok: true, resources });
  const regular = desired.objects.filter((object) => !isHook(object));
  const wipeOut = planPrune(
    pruneInventory(appName, inventory, live.byKey),
    regular.map(refOf),
    { appName, prune: true, allowEmpty: false },
    live.byKey,
  );
  const unknown = [...live.unknownKinds];
  const message =
    verdict.message && unknown.length > 0
      ? `${verdict.message}; the cluster does not serve ${unknown.join(', ')}`
      : verdict.message;
  return {
    revision: desired.revision,
    desiredHash: desired.hash,
    syncStatus: verdict.status,
    message,
    health: applicationHealth(resources),
    resources: resourceStatuses(resources),
    diffs: resources.map((resource) => resource.diff),
    wouldPruneEverything: wipeOut.refusal !== undefined,
    adopted: adoptedObjects(appName, regular, inventory, live.byKey),
  };
}
