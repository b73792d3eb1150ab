/**
 * `CreateNamespace=true`: the destination namespace is created before the
 * sync, with the labels and annotations of `managedNamespaceMetadata`, after
 * Argo CD's controller/sync_namespace.go. The namespace is deliberately not
 * tracked: it is never pruned, and deleting the Application leaves it (and
 * whatever else lives in it) in place, as in Argo.
 */
import { SyncPolicy } from '../../argo/application.types';
import { KubeObject, refOf } from '../manifests/kube-object';
import { trackedAppOf } from '../manifests/tracking';

/** What decides whether the destination namespace is applied. */
export interface ManagedNamespaceInput {
  readonly destinationNamespace?: string;
  /** The Application's `CreateNamespace=true` option. */
  readonly createNamespace: boolean;
  readonly managedNamespaceMetadata?: SyncPolicy['managedNamespaceMetadata'];
  /** The Application's desired objects (normalised). */
  readonly desired: readonly KubeObject[];
  /** The live Namespace: an object, `null` when known not to exist, undefined when not looked up. */
  readonly live?: KubeObject | null;
}

/**
 * The Namespace object to apply before the sync, or undefined when there is
 * nothing to do (pure function):
 * - no `CreateNamespace=true`, or no destination namespace → nothing;
 * - the Application's own manifests declare that Namespace → nothing (they
 *   manage it, with tracking);
 * - the live Namespace is tracked by an Application → nothing (it is managed
 *   elsewhere, and must not be touched);
 * - it exists and no `managedNamespaceMetadata` is set → nothing;
 * - otherwise the Namespace with those labels and annotations, applied
 *   server-side so labels set by others are kept.
 */
export function managedNamespaceObject(input: ManagedNamespaceInput): KubeObject | undefined {
  const name = input.destinationNamespace;
  if (!input.createNamespace || !name) return undefined;
  const declared = input.desired.some((obj) => {
    const ref = refOf(obj);
    return ref.group === '' && ref.kind === 'Namespace' && ref.name === name;
  });
  if (declared) return undefined;
  if (input.live && trackedAppOf(input.live) !== undefined) return undefined;
  const metadata = input.managedNamespaceMetadata;
  if (input.live && !metadata) return undefined;
  const labels =
    metadata?.labels && Object.keys(metadata.labels).length > 0
      ? { labels: { ...metadata.labels } }
      : {};
  const annotations =
    metadata?.annotations && Object.keys(metadata.annotations).length > 0
      ? { annotations: { ...metadata.annotations } }
      : {};
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...labels, ...annotations } };
}
