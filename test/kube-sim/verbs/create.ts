/**
 * POST to a collection: a new object (name or `generateName`), 409
 * AlreadyExists when the name is taken, 201 Created with the stored object.
 */
import { objectName } from '../api/kube-object';
import { apiVersionOf, groupResource } from '../api/resource-type';
import { alreadyExists, methodNotAllowed } from '../api/status';
import { resourceKey } from '../store/object-store';
import { ApiContext, Reply, ResourceRequest } from './api-context';
import {
  isDryRun,
  objectFromBody,
  requireWritableNamespace,
  writerIdentity,
} from './request-checks';
import { persist } from './write-pipeline';

export function createObject(ctx: ApiContext, request: ResourceRequest): Reply {
  const { type } = request;
  if (request.subresource) throw methodNotAllowed();
  const dryRun = isDryRun(request.query, 'CreateOptions');
  const object = objectFromBody(request);
  const generateName = object.metadata.generateName;
  if (!objectName(object) && typeof generateName === 'string' && generateName) {
    object.metadata.name = uniqueName(ctx, request, generateName);
  }
  requireWritableNamespace(ctx, type, object);
  const name = objectName(object);
  if (name && ctx.store.get(resourceKey(type.group, type.plural), request.namespace, name)) {
    throw alreadyExists(groupResource(type), name);
  }
  const result = persist(ctx, {
    type,
    live: undefined,
    candidate: object,
    manager: writerIdentity(request, 'Update', 'CreateOptions', apiVersionOf(type)),
    dryRun,
    fieldValidation: request.query.get('fieldValidation'),
  });
  return { status: 201, body: result.object };
}

/** `generateName` plus five random characters, retried on the (unlikely) collision. */
function uniqueName(ctx: ApiContext, request: ResourceRequest, prefix: string): string {
  const resource = resourceKey(request.type.group, request.type.plural);
  for (;;) {
    const candidate = `${prefix.slice(0, 58)}${ctx.nameSuffix()}`;
    if (!ctx.store.get(resource, request.namespace, candidate)) return candidate;
  }
}
