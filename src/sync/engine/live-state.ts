/**
 * Reads what an Application has on its cluster: for every kind in its
 * desired objects and inventory, the objects of that kind in the namespaces
 * concerned (one list per kind and namespace, or one across all namespaces
 * when many are concerned), keeping those it wants and those carrying its
 * tracking annotation. Kinds the cluster does not serve are noted, not
 * failed: their objects are simply not there (a CRD not installed yet).
 */
import { ClusterClient } from '../../kube/cluster-client';
import { KubeApiError } from '../../kube/kube-failure';
import { ResourceType } from '../../kube/resource-paths';
import { KubeObject, ObjectRef, refKey, refOf } from '../manifests/kube-object';
import { withoutOwnManagedFields } from '../diff/managed-fields';
import { trackedAppOf } from '../manifests/tracking';

/** The live side of one Application. */
export interface LiveState {
  /** Live objects by `refKey`: the desired ones that exist, and every object tracked by the app. */
  readonly byKey: ReadonlyMap<string, KubeObject>;
  /** `group/Kind` of kinds the cluster does not serve. */
  readonly unknownKinds: ReadonlySet<string>;
}

// Above this many namespaces for one kind, one cluster-wide list is cheaper than one per namespace.
const MAX_NAMESPACED_LISTS = 4;

/** Reads the live objects of `appName` for `refs` (desired ∪ inventory). */
export async function readLiveState(
  client: ClusterClient,
  appName: string,
  refs: readonly ObjectRef[],
  signal?: AbortSignal,
): Promise<LiveState> {
  const wanted = new Set(refs.map(refKey));
  const byKind = new Map<string, { ref: ObjectRef; namespaces: Set<string> }>();
  for (const ref of refs) {
    const key = `${ref.group}/${ref.kind}`;
    const entry = byKind.get(key) ?? { ref, namespaces: new Set<string>() };
    entry.namespaces.add(ref.namespace);
    byKind.set(key, entry);
  }
  const byKey = new Map<string, KubeObject>();
  const unknownKinds = new Set<string>();
  await Promise.all(
    [...byKind.entries()].map(async ([kindKey, { ref, namespaces }]) => {
      const type = await typeFor(client, ref);
      if (!type) {
        unknownKinds.add(kindKey);
        return;
      }
      const scopes =
        !type.namespaced || namespaces.size > MAX_NAMESPACED_LISTS ? [''] : [...namespaces];
      const lists = await Promise.all(
        scopes.map((namespace) => client.list(type, { namespace, signal })),
      );
      for (const object of lists.flatMap((list) => list.items)) {
        const key = refKey(refOf(object));
        if (wanted.has(key) || trackedAppOf(object) === appName) {
          byKey.set(key, withoutOwnManagedFields(object));
        }
      }
    }),
  );
  return { byKey, unknownKinds };
}

/** The type to list for a ref: its own version when served, else the group's preferred one. */
async function typeFor(client: ClusterClient, ref: ObjectRef): Promise<ResourceType | undefined> {
  const apiVersion = ref.group ? `${ref.group}/${ref.version}` : ref.version;
  try {
    return await client.resourceType(apiVersion, ref.kind);
  } catch (error) {
    if (!(error instanceof KubeApiError) || !error.failure.unknownKind) throw error;
  }
  try {
    return await client.resourceType(ref.group ? `${ref.group}/` : '', ref.kind);
  } catch (error) {
    if (error instanceof KubeApiError && error.failure.unknownKind) return undefined;
    throw error;
  }
}
