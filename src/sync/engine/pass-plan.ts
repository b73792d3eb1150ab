/**
 * The plan of one sync pass from the request and the live state: the
 * Application's sync options, the `CreateNamespace=true` namespace (looked
 * up in the live cache, else on the cluster), and `planSync` over the prune
 * inventory (recorded inventory plus live objects tracked by the app).
 * Problems and the wipe-out refusal come back as values.
 */
import { ClusterClient } from '../../kube/cluster-client';
import { objectDigest } from '../manifests/content-hash';
import { KubeObject, compareRefs, refKey, refOf } from '../manifests/kube-object';
import { Inventory } from '../plan/inventory';
import { managedNamespaceObject } from '../plan/managed-namespace';
import { SyncOptions, parseAppSyncOptions } from '../plan/sync-options';
import { SyncPlan, planSync } from '../plan/sync-plan';
import { pruneInventory } from './compare';
import { SyncPassRequest } from './engine.types';
import { ClusterLiveView } from './live-cache';
import { LiveState } from './live-state';

/** A plan ready to run, or why there is none. */
export type PassPlan =
  | {
      readonly ok: true;
      readonly plan: SyncPlan;
      readonly appOptions: SyncOptions;
      /** The inventory prune worked from (recorded plus tracked live objects). */
      readonly pruneFrom: Inventory;
      /** The managed namespace, when it is applied by this pass. */
      readonly managedNamespace?: KubeObject;
      /** The live destination Namespace, when it was read (for the unchanged check). */
      readonly liveNamespace?: KubeObject;
    }
  | { readonly ok: false; readonly message: string; readonly manifest: boolean };

/** The kind of the managed namespace (watched for Applications that create theirs). */
export const NAMESPACE_KIND = { group: '', version: 'v1', kind: 'Namespace' } as const;

/** Plans the pass (reads the destination Namespace when `CreateNamespace=true`). */
export async function planPass(
  request: SyncPassRequest,
  client: ClusterClient,
  live: LiveState,
  view?: ClusterLiveView,
): Promise<PassPlan> {
  const { app } = request;
  const parsed = parseAppSyncOptions(app.spec.syncPolicy?.syncOptions);
  if (parsed.problems.length > 0) {
    return {
      ok: false,
      manifest: true,
      message: parsed.problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    };
  }
  const destination = app.spec.destination.namespace;
  let managedNamespace: KubeObject | undefined;
  let liveNamespace: KubeObject | undefined;
  if (parsed.options.createNamespace && destination) {
    const cached = view?.lookup({ ...NAMESPACE_KIND, namespace: '', name: destination });
    const existing =
      cached !== undefined
        ? cached
        : await client.get(
            { apiVersion: NAMESPACE_KIND.version, kind: NAMESPACE_KIND.kind, name: destination },
            request.signal,
          );
    managedNamespace = managedNamespaceObject({
      destinationNamespace: destination,
      createNamespace: true,
      managedNamespaceMetadata: app.spec.syncPolicy?.managedNamespaceMetadata,
      desired: request.desired.objects,
      live: existing,
    });
    liveNamespace = existing ?? undefined;
  }
  const pruneFrom = pruneInventory(app.metadata.name, request.inventory, live.byKey);
  const plan = planSync({
    appName: app.metadata.name,
    desired: request.desired.objects,
    previous: pruneFrom,
    live: live.byKey,
    appOptions: parsed.options,
    prune: request.prune,
    allowEmpty: request.allowEmpty ?? false,
    managedNamespace,
  });
  if (plan.problems.length > 0) {
    return {
      ok: false,
      manifest: true,
      message: plan.problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    };
  }
  if (plan.prune.refusal) return { ok: false, manifest: false, message: plan.prune.refusal };
  return {
    ok: true,
    plan,
    appOptions: parsed.options,
    pruneFrom,
    managedNamespace,
    liveNamespace,
  };
}

/**
 * The inventory a successful pass records: what it applied, with digests,
 * plus the stale objects it left in place (prune off, `Prune=false`, or
 * awaiting confirmation) so they stay known, keep the Application
 * OutOfSync and can still be pruned later.
 */
export function recordedInventory(
  plan: SyncPlan,
  pruneFrom: Inventory,
  desired: readonly KubeObject[],
): Inventory {
  const byKey = new Map(desired.map((object) => [refKey(refOf(object)), object]));
  const applied = plan.inventory.map((entry) => {
    const object = byKey.get(refKey(entry.ref));
    return object ? { ...entry, digest: objectDigest(object) } : entry;
  });
  const kept = new Set(
    plan.prune.skipped
      .filter((skip) => skip.reason !== 'already-deleted' && skip.reason !== 'not-tracked')
      .map((skip) => refKey(skip.ref)),
  );
  const leftovers = pruneFrom.filter((entry) => kept.has(refKey(entry.ref)));
  return [...applied, ...leftovers].sort((a, b) => compareRefs(a.ref, b.ref));
}
