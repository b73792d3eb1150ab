/**
 * The apiextensions controllers: a CustomResourceDefinition whose names are
 * free is Established, its kinds are served and discoverable, and it gets the
 * `customresourcecleanup` finalizer; deleting it deletes its custom
 * resources first, then the CRD, and its kinds stop being served.
 */
import { childMap } from '../api/json';
import { crdNames, crdStatus } from '../api/crd-resources';
import { KubeObject, isBeingDeleted, objectFinalizers, objectName } from '../api/kube-object';
import { ResourceType } from '../api/resource-type';
import { resourceKey } from '../store/object-store';
import { ApiContext } from '../verbs/api-context';
import { deleteStored, removeFinalizer } from '../verbs/deletion';
import { reread, writeObject, writeStatus } from './controller-writes';

export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/** Accepts the CRD's names, serves its kinds and records Established in its status. */
export function establish(ctx: ApiContext, type: ResourceType, crd: KubeObject): void {
  if (isBeingDeleted(crd)) return;
  const group = String(childMap(crd, 'spec')?.group ?? '');
  const taken = ctx.registry.namesTaken(objectName(crd), group, crdNames(crd).plural);
  if (!taken) ctx.registry.defineCustom(crd);
  let live: KubeObject | undefined = crd;
  if (!objectFinalizers(crd).includes(CRD_CLEANUP_FINALIZER)) {
    const metadata = {
      ...crd.metadata,
      finalizers: [...objectFinalizers(crd), CRD_CLEANUP_FINALIZER],
    };
    live = writeObject(ctx, type, crd, { ...crd, metadata }, 'kube-apiserver');
  }
  live = live && reread(ctx, type, live);
  if (live) writeStatus(ctx, type, live, crdStatus(live, taken, ctx.now()), 'kube-apiserver');
}

/** Deletes the custom resources of a CRD being deleted, then lets the CRD go. */
export function cleanUp(ctx: ApiContext, type: ResourceType, crd: KubeObject): void {
  if (!isBeingDeleted(crd)) return;
  const group = String(childMap(crd, 'spec')?.group ?? '');
  const storage = resourceKey(group, crdNames(crd).plural);
  const customType = ctx.registry.byStorageKey(storage);
  let remaining = 0;
  if (customType) {
    for (const object of ctx.store.list(storage)) {
      if (isBeingDeleted(object)) remaining++;
      else if (!deleteStored(ctx, customType, object, { dryRun: false }).deleted) remaining++;
    }
  }
  if (remaining === 0 && objectFinalizers(crd).includes(CRD_CLEANUP_FINALIZER)) {
    removeFinalizer(ctx, type, crd, CRD_CLEANUP_FINALIZER);
  }
}
