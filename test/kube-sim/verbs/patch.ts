/**
 * PATCH of an object, dispatched on the Content-Type: JSON patch, JSON merge
 * patch, strategic merge patch (built-in kinds only, as on a real server) and
 * server-side apply (`apply.ts`). A non-apply patch is applied to the stored
 * object and then written like an update.
 */
import { Json, JsonMap } from '../api/json';
import { KubeObject } from '../api/kube-object';
import { StatusError, badRequest, unsupportedMediaType } from '../api/status';
import { applyMergePatch } from '../patch/json-merge-patch';
import { JsonPatchError, applyJsonPatch } from '../patch/json-patch';
import { StrategicPatchError, applyStrategicMergePatch } from '../patch/strategic-merge-patch';
import { ApiContext, Reply, ResourceRequest } from './api-context';
import { applyObject } from './apply';
import { forceFlag, isDryRun, objectFromBody, requireMatchingName } from './request-checks';
import { requireLive, writeOver } from './update';

export const JSON_PATCH = 'application/json-patch+json';
export const MERGE_PATCH = 'application/merge-patch+json';
export const STRATEGIC_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

const BUILTIN_PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH];
const CUSTOM_PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];

/** The patch types a resource type accepts (custom resources take no strategic merge patch). */
export function patchTypesOf(custom: boolean): readonly string[] {
  return custom ? CUSTOM_PATCH_TYPES : BUILTIN_PATCH_TYPES;
}

export function patchObject(ctx: ApiContext, request: ResourceRequest): Reply {
  const contentType = (request.contentType ?? '').split(';')[0].trim();
  const accepted = patchTypesOf(request.type.custom);
  if (!accepted.includes(contentType)) throw unsupportedMediaType(accepted);
  const isApply = contentType === APPLY_PATCH;
  const force = forceFlag(request, isApply);
  const dryRun = isDryRun(request.query, 'PatchOptions');
  if (isApply) return applyObject(ctx, request, force, dryRun);

  const live = requireLive(ctx, request);
  const patched = patchedObject(live, request, contentType);
  const object = objectFromBody(request, patched);
  requireMatchingName(object, request);
  return writeOver(ctx, request, live, object, dryRun, 'PatchOptions');
}

function patchedObject(live: KubeObject, request: ResourceRequest, contentType: string): Json {
  const patch = request.body;
  if (patch === undefined) throw badRequest('the body of the request was empty');
  try {
    switch (contentType) {
      case JSON_PATCH:
        return applyJsonPatch(live, patch);
      case MERGE_PATCH:
        return applyMergePatch(live, patch);
      default:
        if (!isMap(patch)) throw new StrategicPatchError('invalid JSON document', 400);
        return applyStrategicMergePatch(live, patch, request.type.types);
    }
  } catch (error) {
    if (error instanceof JsonPatchError || error instanceof StrategicPatchError) {
      throw patchFailure(
        error,
        error instanceof JsonPatchError ? (error.malformed ? 400 : 422) : error.code,
      );
    }
    throw error;
  }
}

function isMap(value: Json): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A patch that could not be applied: 400 for a malformed one; otherwise the
 * 422 of `NewGenericServerResponse` with an empty group, resource and name,
 * which carries no cause, so the reason of the failure is not told (kubectl
 * prints "the server rejected our request due to an error in our request").
 */
function patchFailure(error: Error, code: number): StatusError {
  if (code === 400) return badRequest(error.message);
  return new StatusError(
    422,
    'Invalid',
    'the server rejected our request due to an error in our request',
    {},
  );
}
