/**
 * The namespace controllers: a new namespace gets its `default`
 * ServiceAccount (the serviceaccount controller); a namespace being deleted
 * has its content deleted, and disappears once nothing is left in it (objects
 * with finalizers keep it Terminating until their finalizers are removed).
 */
import { KubeObject, isBeingDeleted, objectName } from '../api/kube-object';
import { ResourceType } from '../api/resource-type';
import { resourceKey } from '../store/object-store';
import { ApiContext } from '../verbs/api-context';
import { deleteStored } from '../verbs/deletion';
import { writeObject } from './controller-writes';

const NAMESPACES = resourceKey('', 'namespaces');
const SERVICE_ACCOUNTS = resourceKey('', 'serviceaccounts');

/** Creates the namespace's `default` ServiceAccount when missing. */
export function ensureDefaultServiceAccount(ctx: ApiContext, namespace: KubeObject): void {
  const name = objectName(namespace);
  const type = ctx.registry.byKind('', 'v1', 'ServiceAccount');
  if (!type || isBeingDeleted(namespace) || ctx.store.get(SERVICE_ACCOUNTS, name, 'default'))
    return;
  writeObject(ctx, type, undefined, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default', namespace: name },
  });
}

/** Deletes what is left in a terminating namespace, then the namespace once it is empty. */
export function finalizeNamespace(ctx: ApiContext, namespaceName: string): void {
  const namespace = ctx.store.get(NAMESPACES, undefined, namespaceName);
  if (!namespace || !isBeingDeleted(namespace)) return;
  let remaining = 0;
  for (const key of ctx.store.resources()) {
    const type: ResourceType | undefined = ctx.registry.byStorageKey(key);
    if (!type?.namespaced) continue;
    for (const object of ctx.store.list(key, namespaceName)) {
      const result = isBeingDeleted(object)
        ? { deleted: false }
        : deleteStored(ctx, type, object, { dryRun: false, propagationPolicy: 'Background' });
      if (!result.deleted) remaining++;
    }
  }
  if (remaining === 0) ctx.store.remove(NAMESPACES, namespace);
}

/** True when `namespace` is being deleted (so a deletion inside it may let it finish). */
export function isTerminating(ctx: ApiContext, namespace: string | undefined): boolean {
  if (!namespace) return false;
  const object = ctx.store.get(NAMESPACES, undefined, namespace);
  return !!object && isBeingDeleted(object);
}
