/**
 * JSON merge patch (RFC 7386, `application/merge-patch+json`): maps merge
 * recursively, `null` deletes a member, anything else (lists included)
 * replaces. Pure function.
 */
import { Json, JsonMap, cloneJson, isJsonMap } from '../api/json';

/** `target` with `patch` applied; `target` is not modified. */
export function applyMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isJsonMap(patch)) return cloneJson(patch);
  const out: JsonMap = isJsonMap(target) ? { ...target } : {};
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) delete out[key];
    else out[key] = applyMergePatch(out[key], value);
  }
  return out;
}
