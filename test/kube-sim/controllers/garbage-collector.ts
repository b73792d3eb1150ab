/**
 * The garbage collector: dependents (objects whose `ownerReferences` name an
 * owner's uid) follow their owner's deletion. Background: once the owner is
 * gone, a dependent with no other live owner is deleted, one with other
 * owners loses the dangling reference. Foreground: the owner waits, marked
 * with `foregroundDeletion`, until its dependents are gone. Orphan: the
 * references are removed and the dependents stay.
 */
import {
  KubeObject,
  isBeingDeleted,
  objectFinalizers,
  objectNamespace,
  objectOwnerReferences,
  objectUid,
} from '../api/kube-object';
import { ResourceType } from '../api/resource-type';
import { ApiContext } from '../verbs/api-context';
import {
  FOREGROUND_FINALIZER,
  ORPHAN_FINALIZER,
  deleteStored,
  removeFinalizer,
} from '../verbs/deletion';
import { writeObject } from './controller-writes';

interface Stored {
  readonly type: ResourceType;
  readonly object: KubeObject;
}

/** Every stored object, with its type (cluster-scoped ones and those of `namespace`). */
function storedObjects(ctx: ApiContext, namespace: string | undefined): Stored[] {
  const out: Stored[] = [];
  for (const key of ctx.store.resources()) {
    const type = ctx.registry.byStorageKey(key);
    if (!type) continue;
    for (const object of ctx.store.list(key)) {
      if (!type.namespaced || namespace === undefined || objectNamespace(object) === namespace) {
        out.push({ type, object });
      }
    }
  }
  return out;
}

function dependentsOf(ctx: ApiContext, owner: KubeObject): Stored[] {
  const uid = objectUid(owner);
  return storedObjects(ctx, objectNamespace(owner)).filter(({ object }) =>
    objectOwnerReferences(object).some((ref) => ref.uid === uid),
  );
}

/** After `owner` was removed: delete or detach its dependents. */
export function collectDependents(ctx: ApiContext, owner: KubeObject): void {
  const uid = objectUid(owner);
  const dependents = dependentsOf(ctx, owner);
  if (dependents.length === 0) return;
  const live = new Set(
    storedObjects(ctx, objectNamespace(owner)).map(({ object }) => objectUid(object)),
  );
  for (const { type, object } of dependents) {
    const others = objectOwnerReferences(object).filter(
      (ref) => ref.uid !== uid && live.has(ref.uid),
    );
    if (others.length === 0)
      deleteStored(ctx, type, object, { dryRun: false, propagationPolicy: 'Background' });
    else detach(ctx, type, object, uid);
  }
}

/** Progress on an owner marked for foreground or orphan deletion. */
export function finishOwnerDeletion(ctx: ApiContext, type: ResourceType, owner: KubeObject): void {
  if (!isBeingDeleted(owner)) return;
  const finalizers = objectFinalizers(owner);
  const uid = objectUid(owner);
  if (finalizers.includes(ORPHAN_FINALIZER)) {
    for (const dependent of dependentsOf(ctx, owner))
      detach(ctx, dependent.type, dependent.object, uid);
    removeFinalizer(ctx, type, owner, ORPHAN_FINALIZER);
    return;
  }
  if (finalizers.includes(FOREGROUND_FINALIZER)) {
    const dependents = dependentsOf(ctx, owner);
    for (const { type: dependentType, object } of dependents) {
      if (!isBeingDeleted(object)) {
        deleteStored(ctx, dependentType, object, {
          dryRun: false,
          propagationPolicy: 'Foreground',
        });
      }
    }
    if (dependentsOf(ctx, owner).length === 0)
      removeFinalizer(ctx, type, owner, FOREGROUND_FINALIZER);
  }
}

function detach(ctx: ApiContext, type: ResourceType, object: KubeObject, ownerUid: string): void {
  const references = objectOwnerReferences(object).filter((ref) => ref.uid !== ownerUid);
  const metadata = { ...object.metadata };
  if (references.length) metadata.ownerReferences = references;
  else delete metadata.ownerReferences;
  writeObject(ctx, type, object, { ...object, metadata }, 'kube-controller-manager');
}

/** Owners (by uid) of `object` that are waiting for their dependents in a foreground deletion. */
export function waitingOwners(ctx: ApiContext, object: KubeObject): Stored[] {
  const owners = new Set(objectOwnerReferences(object).map((ref) => ref.uid));
  if (owners.size === 0) return [];
  return storedObjects(ctx, objectNamespace(object)).filter(
    ({ object: candidate }) =>
      owners.has(objectUid(candidate)) &&
      objectFinalizers(candidate).includes(FOREGROUND_FINALIZER),
  );
}
