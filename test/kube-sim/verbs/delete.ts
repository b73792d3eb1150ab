/**
 * DELETE of one object or of a collection. DeleteOptions come from the body
 * or the query (`propagationPolicy`, `preconditions`, `dryRun`). An object
 * deleted at once answers with a Success Status naming it (or with the object
 * itself for pods, services and namespaces); one whose finalizers must run
 * first answers with the object, now carrying `deletionTimestamp`.
 */
import { Json, JsonMap, isJsonMap } from '../api/json';
import { objectName, objectUid } from '../api/kube-object';
import { apiVersionOf } from '../api/resource-type';
import { badRequest, methodNotAllowed } from '../api/status';
import { ApiContext, Reply, ResourceRequest } from './api-context';
import { DeletionOptions, PropagationPolicy, deleteStored } from './deletion';
import { selectObjects } from './read';
import { isDryRun } from './request-checks';
import { requireLive } from './update';

const POLICIES: readonly PropagationPolicy[] = ['Orphan', 'Background', 'Foreground'];

/** DeleteOptions of a request; the body wins over the query, as the API server reads them. */
export function deletionOptions(request: ResourceRequest): DeletionOptions {
  const body: JsonMap = isJsonMap(request.body) ? request.body : {};
  let policy: Json | undefined =
    body.propagationPolicy ?? request.query.get('propagationPolicy') ?? undefined;
  if (policy === undefined && typeof body.orphanDependents === 'boolean') {
    policy = body.orphanDependents ? 'Orphan' : 'Background';
  }
  if (policy !== undefined && !POLICIES.includes(policy as PropagationPolicy)) {
    throw badRequest(
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan", "nil"`,
    );
  }
  const preconditions = isJsonMap(body.preconditions) ? body.preconditions : {};
  const dryRunBody = Array.isArray(body.dryRun) ? body.dryRun : [];
  const query = new URLSearchParams(request.query);
  for (const value of dryRunBody) query.append('dryRun', String(value));
  return {
    propagationPolicy: policy as PropagationPolicy | undefined,
    preconditions: {
      uid: typeof preconditions.uid === 'string' ? preconditions.uid : undefined,
      resourceVersion:
        typeof preconditions.resourceVersion === 'string'
          ? preconditions.resourceVersion
          : undefined,
    },
    dryRun: isDryRun(query, 'DeleteOptions'),
  };
}

export function deleteObject(ctx: ApiContext, request: ResourceRequest): Reply {
  if (request.subresource) throw methodNotAllowed();
  const { type } = request;
  const live = requireLive(ctx, request);
  const result = deleteStored(ctx, type, live, deletionOptions(request));
  if (!result.deleted || type.returnsDeletedObject) return { status: 200, body: result.object };
  const details: JsonMap = { name: objectName(live) };
  if (type.group) details.group = type.group;
  details.kind = type.plural;
  details.uid = objectUid(live);
  return {
    status: 200,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details },
  };
}

export function deleteCollection(ctx: ApiContext, request: ResourceRequest): Reply {
  const { type } = request;
  if (!type.verbs.includes('deletecollection')) throw methodNotAllowed();
  const options = deletionOptions(request);
  const deleted = selectObjects(ctx, request).map(
    (object) => deleteStored(ctx, type, object, options).object,
  );
  return {
    status: 200,
    body: {
      kind: type.listKind,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: String(ctx.store.resourceVersion) },
      items: deleted,
    },
  };
}
