/**
 * Secret values never leave the diff: each value of a Secret's `data` and
 * `stringData` is replaced by a run of `+`, as Argo CD masks them
 * (util/diff `HideSecretData`). The same value gets the same mask on the
 * desired and the live side, a different value a longer one (8, 12, 16, ...
 * characters), so "same or different" stays visible and nothing else does.
 */
import { JsonObject, KubeObject, isJsonObject } from '../manifests/kube-object';
import { isSecret } from './normalize';

const FIRST_MASK = '++++++++';
const MASK_STEP = '++++';
const SECRET_FIELDS = ['data', 'stringData'] as const;

/**
 * Masks the Secret values of the given objects together (pure function;
 * `undefined` stays undefined, non-Secrets are returned unchanged). Pass the
 * desired and live object of one resource in one call so masks line up.
 */
export function maskSecretValues<T extends readonly (KubeObject | undefined)[]>(...objects: T): T {
  const secrets = objects.map((obj) => (obj && isSecret(obj) ? obj : undefined));
  if (secrets.every((obj) => obj === undefined)) return objects;
  const masked = objects.map((obj) => obj && { ...obj });
  for (const field of SECRET_FIELDS) {
    const maskOf = new Map<string, Map<string, string>>();
    masked.forEach((obj, i) => {
      const values = secrets[i]?.[field];
      if (!obj || !isJsonObject(values)) return;
      const replaced: JsonObject = {};
      for (const [key, value] of Object.entries(values)) {
        const byValue = maskOf.get(key) ?? new Map<string, string>();
        maskOf.set(key, byValue);
        const text = JSON.stringify(value);
        if (!byValue.has(text)) byValue.set(text, FIRST_MASK + MASK_STEP.repeat(byValue.size));
        replaced[key] = byValue.get(text) as string;
      }
      (obj as Record<string, unknown>)[field] = replaced;
    });
  }
  return masked as unknown as T;
}
