/**
 * Puts desired and live objects in comparable shape before diffing: fields
 * the server owns are dropped, and what the API server rewrites on write is
 * rewritten the same way on the desired side (Argo CD's diff normalizers,
 * gitops-engine pkg/diff).
 */
import { JsonObject, KubeObject, isJsonObject, parseApiVersion } from '../manifests/kube-object';

/** Metadata fields the server sets; a manifest copied from `kubectl get` may carry them. */
const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

/** Written by client-side apply; never part of the desired state, and a known Secret leak. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** True for the core Secret kind, whose values are masked and whose `stringData` is folded into `data`. */
export function isSecret(obj: KubeObject): boolean {
  return obj.kind === 'Secret' && parseApiVersion(obj.apiVersion).group === '';
}

/**
 * A copy without server-owned fields: `status`, the server's metadata, and
 * the last-applied annotation (pure function). Used on both sides.
 */
export function withoutServerFields(obj: KubeObject): KubeObject {
  const { status: _status, ...rest } = obj;
  const metadata: Record<string, unknown> = { ...obj.metadata };
  for (const field of SERVER_METADATA) delete metadata[field];
  if (isJsonObject(metadata.annotations) && LAST_APPLIED_ANNOTATION in metadata.annotations) {
    const { [LAST_APPLIED_ANNOTATION]: _lastApplied, ...annotations } = metadata.annotations;
    metadata.annotations = annotations;
  }
  return { ...rest, metadata } as KubeObject;
}

/**
 * A desired Secret as the API server stores it: each `stringData` entry is
 * base64-encoded into `data` (overriding a `data` entry of the same key, as
 * the server does) and `stringData` is removed. Other objects are returned
 * unchanged.
 */
export function withStringDataEncoded(obj: KubeObject): KubeObject {
  if (!isSecret(obj) || !isJsonObject(obj.stringData)) return obj;
  const { stringData, ...rest } = obj as KubeObject & { stringData: JsonObject };
  const data: JsonObject = isJsonObject(rest.data) ? { ...rest.data } : {};
  for (const [key, value] of Object.entries(stringData)) {
    if (typeof value === 'string') data[key] = Buffer.from(value, 'utf8').toString('base64');
  }
  return { ...rest, data } as KubeObject;
}
