/**
 * The Argo CD annotations a manifest may carry to steer its own sync and
 * health (semantics.md B2, B4), and the few readers every sync module shares.
 * Keys are Argo's exactly, so manifests written for Argo CD work unchanged.
 */
import { KubeObject, annotationList, annotationOf } from './kube-object';

/** Integer wave (default 0, may be negative); lower waves are applied first. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** Comma-separated per-resource sync options (`Prune=false,ServerSideApply=true`). */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
/** Comma-separated hook phases (`PreSync`, `Sync`, `PostSync`, `SyncFail`, `Skip`, ...). */
export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
/** `"true"` leaves the resource out of the Application's aggregated health. */
export const IGNORE_HEALTHCHECK_ANNOTATION = 'argocd.argoproj.io/ignore-healthcheck';
/** Comma-separated compare options; `IgnoreExtraneous` keeps an extra resource from making the app OutOfSync. */
export const COMPARE_OPTIONS_ANNOTATION = 'argocd.argoproj.io/compare-options';
/** Present on a Pod: judge a running Pod by readiness whatever its restartPolicy. */
export const IGNORE_RESTART_POLICY_ANNOTATION = 'argocd.argoproj.io/ignore-restart-policy';
/** Helm's hook annotation, which Argo maps onto its own phases when no Argo hook is set. */
export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';
/** Helm's hook weight, Argo's fallback for the sync wave. */
export const HELM_HOOK_WEIGHT_ANNOTATION = 'helm.sh/hook-weight';
/** A finalizer Argo puts on running hooks; such an object is not "Pending deletion". */
export const HOOK_FINALIZER = 'argocd.argoproj.io/hook-finalizer';

/** Argo's hook types (`common.HookType`). */
export type HookType =
  'PreSync' | 'Sync' | 'PostSync' | 'SyncFail' | 'Skip' | 'PreDelete' | 'PostDelete';

const ARGO_HOOK_TYPES: readonly HookType[] = [
  'PreSync',
  'Sync',
  'PostSync',
  'SyncFail',
  'Skip',
  'PreDelete',
  'PostDelete',
];

// gitops-engine pkg/sync/hook/helm/type.go: only these four Helm hook types
// have an Argo equivalent; other values (test, pre-delete, ...) are not hooks
// for the sync.
const HELM_HOOK_TYPES: Readonly<Record<string, HookType>> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};

/**
 * The hook types of an object: the recognised values of the Argo hook
 * annotation, or, only when that yields none, the Helm hook types mapped to
 * Argo's (gitops-engine `hook.Types`). Unrecognised values are ignored.
 */
export function hookTypesOf(obj: KubeObject): readonly HookType[] {
  // Most objects are no hook: answer them without building the lists (this runs for every
  // resource of every comparison, several times).
  if (
    annotationOf(obj, HOOK_ANNOTATION) === undefined &&
    annotationOf(obj, HELM_HOOK_ANNOTATION) === undefined
  ) {
    return NO_HOOKS;
  }
  const argo = annotationList(obj, HOOK_ANNOTATION).filter((value): value is HookType =>
    ARGO_HOOK_TYPES.includes(value as HookType),
  );
  if (argo.length > 0) return argo;
  const helm = annotationList(obj, HELM_HOOK_ANNOTATION)
    .map((value) => HELM_HOOK_TYPES[value])
    .filter((type): type is HookType => type !== undefined);
  return [...new Set(helm)];
}

const NO_HOOKS: readonly HookType[] = Object.freeze([]);

/** True when the object's only hook type is `Skip`: it is never applied (gitops-engine `hook.Skip`). */
export function isSkipped(obj: KubeObject): boolean {
  const types = hookTypesOf(obj);
  return types.length === 1 && types[0] === 'Skip';
}

/**
 * True when the object is a hook rather than a regular resource: it carries
 * the Argo hook annotation (and is not merely `Skip`), or a mapped Helm hook
 * (gitops-engine `hook.IsHook`). Hooks are run by the sync, not kept in sync,
 * and are left out of health aggregation and pruning.
 */
export function isHook(obj: KubeObject): boolean {
  if (annotationOf(obj, HOOK_ANNOTATION) !== undefined) return !isSkipped(obj);
  return hookTypesOf(obj).length > 0;
}

/** True when the object opts out of the Application's aggregated health. */
export function ignoresHealthCheck(obj: KubeObject): boolean {
  return annotationOf(obj, IGNORE_HEALTHCHECK_ANNOTATION) === 'true';
}

/** True when an extraneous copy of this object must not make the Application OutOfSync. */
export function ignoresExtraneous(obj: KubeObject): boolean {
  return annotationList(obj, COMPARE_OPTIONS_ANNOTATION).includes('IgnoreExtraneous');
}
