/**
 * GET of one object and of a collection: label and field selectors, and
 * chunking with `limit`/`continue` (a continue token names the last key
 * returned and the list's resourceVersion, as the API server's does; a token
 * older than the retained history answers 410 Expired). Chunks are read from
 * the current state, not from a snapshot at the first chunk's
 * resourceVersion: that is the one deliberate difference from etcd.
 */
import { JsonMap } from '../api/json';
import { KubeObject, objectName, objectNamespace } from '../api/kube-object';
import { ResourceType, apiVersionOf } from '../api/resource-type';
import { badRequest, expired, methodNotAllowed } from '../api/status';
import { objectKey, resourceKey } from '../store/object-store';
import { parseFilter, selects, selectsAll } from '../store/selectors';
import { ApiContext, Reply, ResourceRequest } from './api-context';
import { requireLive } from './update';

/** The object as served at the request's version (CRD versions share storage; conversion is None). */
export function asServed(object: KubeObject, type: ResourceType): KubeObject {
  const apiVersion = apiVersionOf(type);
  return object.apiVersion === apiVersion ? object : { ...object, apiVersion };
}

export function getObject(ctx: ApiContext, request: ResourceRequest): Reply {
  if (request.subresource === 'scale') throw methodNotAllowed();
  return { status: 200, body: asServed(requireLive(ctx, request), request.type) };
}

interface ContinueToken {
  readonly rv: number;
  readonly start: string;
}

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as JsonMap;
    if (
      parsed.v !== 'meta.k8s.io/v1' ||
      typeof parsed.rv !== 'number' ||
      typeof parsed.start !== 'string'
    ) {
      throw new Error('bad token');
    }
    return { rv: parsed.rv, start: parsed.start };
  } catch {
    throw badRequest(
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}

function encodeContinue(rv: number, lastKey: string): string {
  return Buffer.from(
    JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` }),
  ).toString('base64');
}

const TOO_OLD_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** The objects a list or deletecollection selects, in key order. */
export function selectObjects(ctx: ApiContext, request: ResourceRequest): KubeObject[] {
  const { type } = request;
  const filter = parseFilter(
    request.query.get('labelSelector'),
    request.query.get('fieldSelector'),
    type,
  );
  const namespace = type.namespaced ? request.namespace : undefined;
  const all = ctx.store.list(resourceKey(type.group, type.plural), namespace);
  return selectsAll(filter) ? all : all.filter((object) => selects(filter, object));
}

export function listObjects(ctx: ApiContext, request: ResourceRequest): Reply {
  const { type, query } = request;
  let items = selectObjects(ctx, request);
  const continueParam = query.get('continue');
  let listRv = ctx.store.resourceVersion;
  if (continueParam) {
    const token = decodeContinue(continueParam);
    if (token.rv < ctx.store.oldestResumable) throw expired(TOO_OLD_CONTINUE);
    listRv = token.rv;
    items = items.filter(
      (o) => `${objectKey(objectNamespace(o), objectName(o))}\u0000` > token.start,
    );
  }
  const limit = Number(query.get('limit') ?? '0');
  const metadata: JsonMap = { resourceVersion: String(listRv) };
  if (limit > 0 && items.length > limit) {
    const last = items[limit - 1];
    metadata.continue = encodeContinue(listRv, objectKey(objectNamespace(last), objectName(last)));
    const filtered = query.get('labelSelector') || query.get('fieldSelector');
    if (!filtered) metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
  }
  return {
    status: 200,
    body: {
      kind: type.listKind,
      apiVersion: apiVersionOf(type),
      metadata,
      // Typed lists of built-in kinds carry no TypeMeta on their items; unstructured ones do.
      items: items.map((o) => (type.custom ? asServed(o, type) : withoutTypeMeta(o))),
    },
  };
}

function withoutTypeMeta(object: KubeObject): JsonMap {
  const { apiVersion: _a, kind: _k, ...rest } = object;
  return rest;
}
