/**
 * Desired versus live, per object, ready for `GET .../diff` and for the sync
 * status: each resource is Synced, OutOfSync (with the differing fields),
 * Missing (desired, not live) or Extraneous (live and tracked as this
 * Application's, no longer desired). Secret values are masked in every
 * output (semantics.md C1: the diff API must never return them).
 */
import {
  JsonValue,
  KubeObject,
  ObjectRef,
  compareRefs,
  parseApiVersion,
  refKey,
  refOf,
} from '../manifests/kube-object';
import { trackedAppOf } from '../manifests/tracking';
import { Difference, compareValues } from './compare-values';
import { maskSecretValues } from './mask-secrets';
import { withStringDataEncoded, withoutServerFields } from './normalize';

export type ResourceDiffStatus = 'Synced' | 'OutOfSync' | 'Missing' | 'Extraneous';

/** The comparison of one resource. */
export interface ResourceDiff {
  readonly ref: ObjectRef;
  readonly status: ResourceDiffStatus;
  /**
   * What differs. Missing: one entry at path `''` with the whole desired
   * object; Extraneous: one entry at `''` with the whole live object (both
   * without server-owned fields, Secret values masked).
   */
  readonly differences: Difference[];
}

/**
 * Compares one resource (pure function). At least one side must be given;
 * the ref is the desired object's when there is one.
 */
export function diffResource(
  desired: KubeObject | undefined,
  live: KubeObject | undefined,
): ResourceDiff {
  const source = desired ?? live;
  if (!source) throw new Error('diffResource needs a desired or a live object');
  const ref = refOf(source);
  const [wanted, actual] = maskSecretValues(
    desired && withStringDataEncoded(withoutServerFields(desired)),
    live && withoutServerFields(live),
  );
  if (!actual) return { ref, status: 'Missing', differences: [{ path: '', desired: wanted }] };
  if (!wanted) return { ref, status: 'Extraneous', differences: [{ path: '', live: actual }] };
  const scope = { group: parseApiVersion(wanted.apiVersion).group, kind: wanted.kind };
  const { apiVersion: _v, kind: _k, ...desiredFields } = wanted;
  const differences = compareValues(asJson(desiredFields), asJson(actual), scope);
  return { ref, status: differences.length > 0 ? 'OutOfSync' : 'Synced', differences };
}

/** A desired object and the live object found for it, or a tracked live object no longer desired. */
export interface ResourcePair {
  readonly ref: ObjectRef;
  readonly desired?: KubeObject;
  readonly live?: KubeObject;
}

/**
 * Pairs desired and live objects by ref (pure function). `live` holds what
 * was found for the desired refs and the objects tracked as `appName`'s; a
 * live object that is not desired is kept only when it is tracked by
 * `appName`, so copies and objects of other Applications never appear.
 * Sorted by ref.
 */
export function pairResources(
  desired: readonly KubeObject[],
  live: readonly KubeObject[],
  appName: string,
): ResourcePair[] {
  const liveByKey = new Map(live.map((obj) => [refKey(refOf(obj)), obj]));
  const pairs: ResourcePair[] = desired.map((obj) => ({
    ref: refOf(obj),
    desired: obj,
    live: liveByKey.get(refKey(refOf(obj))),
  }));
  const desiredKeys = new Set(pairs.map((pair) => refKey(pair.ref)));
  for (const [key, obj] of liveByKey) {
    if (!desiredKeys.has(key) && trackedAppOf(obj) === appName)
      pairs.push({ ref: refOf(obj), live: obj });
  }
  return pairs.sort((a, b) => compareRefs(a.ref, b.ref));
}

/** Compares every resource of an Application (see `pairResources`); sorted by ref. */
export function diffResources(
  desired: readonly KubeObject[],
  live: readonly KubeObject[],
  appName: string,
): ResourceDiff[] {
  return pairResources(desired, live, appName).map((pair) => diffResource(pair.desired, pair.live));
}

function asJson(value: object | undefined): JsonValue | undefined {
  return value as JsonValue | undefined;
}
