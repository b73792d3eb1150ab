/**
 * Routes a resource request to its verb, after the checks the API server
 * makes first: the verb is one the type supports (405 otherwise) and the
 * subresource exists (404 otherwise).
 */
import { methodNotAllowed, pathNotFound } from '../api/status';
import { ApiContext, Reply, ResourceRequest } from './api-context';
import { createObject } from './create';
import { deleteCollection, deleteObject } from './delete';
import { patchObject } from './patch';
import { getObject, listObjects } from './read';
import { serveScale } from './scale';
import { updateObject } from './update';

/** Answers every verb except watch (which streams; see watch.ts). */
export function serveResource(ctx: ApiContext, request: ResourceRequest): Reply {
  const { type, verb, subresource } = request;
  if (subresource !== undefined) {
    if (subresource === 'scale') return serveScale(ctx, request);
    if (subresource !== 'status' || !type.statusSubresource) throw pathNotFound();
    if (verb !== 'get' && verb !== 'update' && verb !== 'patch') throw methodNotAllowed();
  } else if (!type.verbs.includes(verb)) {
    throw methodNotAllowed();
  }
  switch (verb) {
    case 'get':
      return getObject(ctx, request);
    case 'list':
      return listObjects(ctx, request);
    case 'create':
      if (request.name !== undefined) throw methodNotAllowed();
      return createObject(ctx, request);
    case 'update':
      return updateObject(ctx, request);
    case 'patch':
      return patchObject(ctx, request);
    case 'delete':
      return deleteObject(ctx, request);
    case 'deletecollection':
      return deleteCollection(ctx, request);
    default:
      throw methodNotAllowed();
  }
}
