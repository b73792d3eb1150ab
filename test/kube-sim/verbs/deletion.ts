/**
 * Deleting a stored object, shared by DELETE, deletecollection, the garbage
 * collector and the namespace controller (apiserver `registry/generic/
 * registry/store.go` Delete and `rest.BeforeDelete`): preconditions, then
 * either an immediate removal, or, when finalizers must run first (the
 * object's own, `foregroundDeletion`, `orphan`, or a namespace's content), a
 * graceful deletion that sets `deletionTimestamp` and bumps the generation.
 * The controllers finish graceful deletions.
 */
import { JsonMap } from '../api/json';
import {
  KubeObject,
  isBeingDeleted,
  kubeTime,
  metaString,
  objectFinalizers,
  objectName,
} from '../api/kube-object';
import { ResourceType, groupResource } from '../api/resource-type';
import { conflict } from '../api/status';
import { resourceKey } from '../store/object-store';
import { ApiContext } from './api-context';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface DeletionOptions {
  readonly propagationPolicy?: PropagationPolicy;
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly dryRun: boolean;
}

export interface DeletionResult {
  /** The object as removed, or as marked for deletion. */
  readonly object: KubeObject;
  /** True when the object is gone; false when finalizers still have to run. */
  readonly deleted: boolean;
}

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

/** The default propagation of a type (`DefaultGarbageCollectionPolicy`): Jobs orphan, the rest cascade. */
export function defaultPropagation(type: ResourceType): PropagationPolicy {
  return !type.custom && type.kind === 'Job' ? 'Orphan' : 'Background';
}

export function deleteStored(
  ctx: ApiContext,
  type: ResourceType,
  live: KubeObject,
  options: DeletionOptions,
): DeletionResult {
  checkDeletePreconditions(type, live, options);
  if (isBeingDeleted(live)) return { object: live, deleted: false };

  const policy = options.propagationPolicy ?? defaultPropagation(type);
  const finalizers = objectFinalizers(live);
  const extra =
    policy === 'Foreground'
      ? FOREGROUND_FINALIZER
      : policy === 'Orphan'
        ? ORPHAN_FINALIZER
        : undefined;
  const isNamespace = !type.custom && type.kind === 'Namespace';
  const resource = resourceKey(type.group, type.plural);
  if (finalizers.length === 0 && !extra && !isNamespace) {
    if (options.dryRun) return { object: live, deleted: true };
    return { object: ctx.store.remove(resource, live) ?? live, deleted: true };
  }

  const metadata: JsonMap = {
    ...live.metadata,
    deletionTimestamp: kubeTime(ctx.now()),
    deletionGracePeriodSeconds: 0,
  };
  if (extra && !finalizers.includes(extra)) metadata.finalizers = [...finalizers, extra];
  if (typeof live.metadata.generation === 'number')
    metadata.generation = live.metadata.generation + 1;
  const marked: KubeObject = { ...live, metadata };
  if (isNamespace)
    marked.status = { ...((live.status as JsonMap | undefined) ?? {}), phase: 'Terminating' };
  if (options.dryRun) return { object: marked, deleted: false };
  return { object: ctx.store.put(resource, marked), deleted: false };
}

function checkDeletePreconditions(
  type: ResourceType,
  live: KubeObject,
  options: DeletionOptions,
): void {
  const { uid, resourceVersion } = options.preconditions ?? {};
  if (uid && uid !== metaString(live, 'uid')) {
    throw conflict(
      groupResource(type),
      objectName(live),
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${metaString(live, 'uid')}`,
    );
  }
  if (resourceVersion && resourceVersion !== metaString(live, 'resourceVersion')) {
    throw conflict(
      groupResource(type),
      objectName(live),
      `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${metaString(live, 'resourceVersion')}`,
    );
  }
}

/** Removes one finalizer from a stored object; removing the last one completes a pending deletion. */
export function removeFinalizer(
  ctx: ApiContext,
  type: ResourceType,
  live: KubeObject,
  finalizer: string,
): void {
  const remaining = objectFinalizers(live).filter((f) => f !== finalizer);
  const resource = resourceKey(type.group, type.plural);
  const metadata: JsonMap = { ...live.metadata };
  if (remaining.length) metadata.finalizers = remaining;
  else delete metadata.finalizers;
  const next: KubeObject = { ...live, metadata };
  if (remaining.length === 0 && isBeingDeleted(live)) ctx.store.remove(resource, next);
  else ctx.store.put(resource, next);
}
