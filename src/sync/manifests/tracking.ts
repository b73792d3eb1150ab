/**
 * Resource tracking: which Application manages a live object. Fleetplane
 * writes its own annotation key, so it never fights an Argo CD instance over
 * the same cluster, with Argo's value format (semantics.md B4,
 * docs/user-guide/resource_tracking.md):
 *
 *     fleetplane.io/tracking-id: <app>:<group>/<Kind>:<namespace>/<name>
 *
 * e.g. `web:apps/Deployment:prod/web`, `web:/ConfigMap:prod/settings`,
 * `web:rbac.authorization.k8s.io/ClusterRole:/web-reader`.
 *
 * A tracking value that does not name the object it sits on is ignored: a
 * copy made by another tool (`kubectl get -o yaml | kubectl apply`, a backup
 * restore into another namespace) keeps the annotation but is not ours, and
 * must never be pruned.
 */
import { KubeObject, ObjectRef, annotationOf, refOf } from './kube-object';

/** Fleetplane's tracking annotation key. */
export const TRACKING_ANNOTATION = 'fleetplane.io/tracking-id';

/** The parts of a tracking value. */
export interface TrackingId {
  readonly appName: string;
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/** The tracking value for an object of `appName` (pure function). */
export function formatTrackingId(appName: string, ref: ObjectRef): string {
  return `${appName}:${ref.group}/${ref.kind}:${ref.namespace}/${ref.name}`;
}

/**
 * Parses a tracking value, or returns undefined when it is not one. The name
 * is everything after the namespace's `/`, so names that contain `:` (RBAC
 * names such as `system:auth-delegator`) parse correctly.
 */
export function parseTrackingId(value: string): TrackingId | undefined {
  const appEnd = value.indexOf(':');
  if (appEnd <= 0) return undefined;
  const groupKindEnd = value.indexOf(':', appEnd + 1);
  if (groupKindEnd < 0) return undefined;
  const groupKind = value.slice(appEnd + 1, groupKindEnd);
  const namespacedName = value.slice(groupKindEnd + 1);
  const kindStart = groupKind.indexOf('/');
  const nameStart = namespacedName.indexOf('/');
  if (kindStart < 0 || nameStart < 0) return undefined;
  const id: TrackingId = {
    appName: value.slice(0, appEnd),
    group: groupKind.slice(0, kindStart),
    kind: groupKind.slice(kindStart + 1),
    namespace: namespacedName.slice(0, nameStart),
    name: namespacedName.slice(nameStart + 1),
  };
  return id.kind && id.name ? id : undefined;
}

/**
 * The Application that manages `obj`, or undefined when the object carries
 * no valid tracking value or one that names a different object (a copy).
 */
export function trackedAppOf(obj: KubeObject): string | undefined {
  const value = annotationOf(obj, TRACKING_ANNOTATION);
  if (value === undefined) return undefined;
  const id = parseTrackingId(value);
  if (!id) return undefined;
  const own = refOf(obj);
  const namesItself =
    id.group === own.group &&
    id.kind === own.kind &&
    id.namespace === own.namespace &&
    id.name === own.name;
  return namesItself ? id.appName : undefined;
}

/** True when `obj` is managed by the Application `appName`. */
export function isTrackedBy(obj: KubeObject, appName: string): boolean {
  return trackedAppOf(obj) === appName;
}

/** A copy of `obj` carrying the tracking annotation of `appName` (the input is not changed). */
export function withTrackingId(obj: KubeObject, appName: string): KubeObject {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      annotations: {
        ...obj.metadata.annotations,
        [TRACKING_ANNOTATION]: formatTrackingId(appName, refOf(obj)),
      },
    },
  };
}
