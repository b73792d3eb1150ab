/**
 * How the simulated controllers write: through the same pipeline as clients,
 * as the managers a real cluster records (`kube-controller-manager` for
 * workloads, `kube-apiserver` for CRD status), so managedFields, generation,
 * resourceVersion and watch events look as they would on a real cluster.
 */
import { JsonMap } from '../api/json';
import { KubeObject } from '../api/kube-object';
import { ResourceType, apiVersionOf } from '../api/resource-type';
import { prepareForStatusUpdate } from '../objects/write-strategy';
import { resourceKey } from '../store/object-store';
import { ApiContext } from '../verbs/api-context';
import { persist } from '../verbs/write-pipeline';

export const CONTROLLER_MANAGER = 'kube-controller-manager';

/** Replaces the status of the stored object `live` (a no-op when unchanged). */
export function writeStatus(
  ctx: ApiContext,
  type: ResourceType,
  live: KubeObject,
  status: JsonMap,
  manager = CONTROLLER_MANAGER,
): void {
  persist(ctx, {
    type,
    live,
    candidate: prepareForStatusUpdate({ ...live, status }, live),
    manager: {
      manager,
      operation: 'Update',
      apiVersion: apiVersionOf(type),
      subresource: 'status',
    },
    dryRun: false,
    subresource: 'status',
  });
}

/** Writes a new version of the main resource as `manager`. */
export function writeObject(
  ctx: ApiContext,
  type: ResourceType,
  live: KubeObject | undefined,
  next: KubeObject,
  manager = CONTROLLER_MANAGER,
): KubeObject {
  return persist(ctx, {
    type,
    live,
    candidate: next,
    manager: { manager, operation: 'Update', apiVersion: apiVersionOf(type) },
    dryRun: false,
  }).object;
}

/** The stored object, re-read (controllers act on the latest version, never a stale copy). */
export function reread(
  ctx: ApiContext,
  type: ResourceType,
  object: KubeObject,
): KubeObject | undefined {
  const namespace =
    typeof object.metadata.namespace === 'string' ? object.metadata.namespace : undefined;
  return ctx.store.get(
    resourceKey(type.group, type.plural),
    namespace,
    String(object.metadata.name ?? ''),
  );
}
