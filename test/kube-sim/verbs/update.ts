/**
 * PUT of a whole object (main resource or `/status`): 404 when it does not
 * exist, 409 Conflict when the body's `resourceVersion` or `uid` is stale,
 * otherwise the write pipeline.
 */
import { KubeObject, metaString, objectName } from '../api/kube-object';
import { ResourceType, apiVersionOf, groupResource } from '../api/resource-type';
import { STALE_OBJECT, conflict, methodNotAllowed, notFound } from '../api/status';
import { prepareForStatusUpdate } from '../objects/write-strategy';
import { resourceKey } from '../store/object-store';
import { ApiContext, Reply, ResourceRequest } from './api-context';
import { isDryRun, objectFromBody, requireMatchingName, writerIdentity } from './request-checks';
import { persist } from './write-pipeline';

export function updateObject(ctx: ApiContext, request: ResourceRequest): Reply {
  if (request.subresource === 'scale') throw methodNotAllowed();
  const dryRun = isDryRun(request.query, 'UpdateOptions');
  const object = objectFromBody(request);
  requireMatchingName(object, request);
  const live = requireLive(ctx, request);
  return writeOver(ctx, request, live, object, dryRun, 'UpdateOptions');
}

/** The stored object a request names, or 404. */
export function requireLive(ctx: ApiContext, request: ResourceRequest): KubeObject {
  const { type } = request;
  const live = ctx.store.get(
    resourceKey(type.group, type.plural),
    request.namespace,
    request.name ?? '',
  );
  if (!live) throw notFound(groupResource(type), request.name ?? '');
  return live;
}

/** 409 when `object` carries a resourceVersion or uid other than the stored one. */
export function checkPreconditions(type: ResourceType, object: KubeObject, live: KubeObject): void {
  const rv = metaString(object, 'resourceVersion');
  if (rv && rv !== metaString(live, 'resourceVersion')) {
    throw conflict(groupResource(type), objectName(live), STALE_OBJECT);
  }
  const uid = metaString(object, 'uid');
  if (uid && uid !== metaString(live, 'uid')) {
    throw conflict(
      groupResource(type),
      objectName(live),
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${metaString(live, 'uid')}`,
    );
  }
}

/** Writes `object` over `live` (an update, or a non-apply patch's result). */
export function writeOver(
  ctx: ApiContext,
  request: ResourceRequest,
  live: KubeObject,
  object: KubeObject,
  dryRun: boolean,
  options: 'UpdateOptions' | 'PatchOptions',
): Reply {
  const { type } = request;
  checkPreconditions(type, object, live);
  const status = request.subresource === 'status';
  const candidate = status ? prepareForStatusUpdate(object, live) : object;
  const result = persist(ctx, {
    type,
    live,
    candidate,
    manager: writerIdentity(request, 'Update', options, apiVersionOf(type)),
    dryRun,
    subresource: status ? 'status' : undefined,
    fieldValidation: request.query.get('fieldValidation'),
  });
  return { status: 200, body: result.object };
}
