/**
 * Turns parsed manifests into the desired state of one Application: every
 * object in its final namespace, tracked as the Application's, and each
 * object declared once. Argo CD does the same in controller/state.go
 * (`DeduplicateTargetObjects`) before comparing and syncing.
 */
import { NamespacedLookup, resolveNamespaced } from './builtin-kinds';
import { KubeObject, formatRef, refKey, refOf } from './kube-object';
import { ManifestProblem, formatLocation } from './manifest-problem';
import { SourcedObject } from './parse-manifests';
import { withTrackingId } from './tracking';

/** Kubernetes' own default namespace, used when the destination names none (as kubectl and Argo do). */
export const KUBERNETES_DEFAULT_NAMESPACE = 'default';

/** What normalisation needs to know about the Application. */
export interface NormalizeOptions {
  /** Name of the Application, written into each object's tracking annotation. */
  readonly appName: string;
  /** `spec.destination.namespace`; `''` or undefined means Kubernetes' `default`. */
  readonly destinationNamespace?: string;
  /** Discovery-backed scope lookup; built-in kinds are known without it. */
  readonly isNamespaced?: NamespacedLookup;
}

/** The desired objects (empty when there are problems) and the problems found. */
export interface NormalizedManifests {
  readonly objects: SourcedObject[];
  readonly problems: ManifestProblem[];
}

/**
 * Normalises parsed objects (pure function; inputs are not changed):
 * - a namespaced object without a namespace goes to the destination
 *   namespace; a cluster-scoped object loses any namespace it declares (the
 *   API server ignores it, and keeping it would break identity); a kind
 *   nobody knows counts as namespaced, as in Argo;
 * - each object gets the tracking annotation of `appName`;
 * - the same object declared twice is an error naming both places.
 *   Deliberate difference: Argo keeps the last copy with a warning, which
 *   lets one file silently override another.
 */
export function normalizeDesiredObjects(
  parsed: readonly SourcedObject[],
  options: NormalizeOptions,
): NormalizedManifests {
  const destination = options.destinationNamespace || KUBERNETES_DEFAULT_NAMESPACE;
  const firstSeen = new Map<string, SourcedObject>();
  const objects: SourcedObject[] = [];
  const problems: ManifestProblem[] = [];
  for (const { object, origin } of parsed) {
    const scoped = withScopedNamespace(object, destination, options.isNamespaced);
    const ref = refOf(scoped);
    const key = refKey(ref);
    const earlier = firstSeen.get(key);
    if (earlier) {
      problems.push({
        ...origin,
        field: '',
        rule: 'duplicate',
        message: `${formatRef(ref)} is also declared at ${formatLocation(earlier.origin)}; declare each object once`,
      });
      continue;
    }
    const normalized = { object: withTrackingId(scoped, options.appName), origin };
    firstSeen.set(key, normalized);
    objects.push(normalized);
  }
  return { objects: problems.length > 0 ? [] : objects, problems };
}

function withScopedNamespace(
  object: KubeObject,
  destination: string,
  lookup?: NamespacedLookup,
): KubeObject {
  const namespaced = resolveNamespaced(refOf(object), lookup);
  const declared = object.metadata.namespace;
  if (namespaced) {
    return declared
      ? object
      : { ...object, metadata: { ...object.metadata, namespace: destination } };
  }
  if (declared === undefined) return object;
  const { namespace: _dropped, ...metadata } = object.metadata;
  return { ...object, metadata };
}
