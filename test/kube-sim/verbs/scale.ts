/**
 * The `/scale` subresource (autoscaling/v1 Scale) of Deployments,
 * ReplicaSets, StatefulSets and custom kinds that declare one: reading the
 * replica counts, and writing `spec.replicas` (what `kubectl scale` does,
 * with a merge patch or an update).
 */
import { Json, JsonMap, getPath, isJsonMap, setPath } from '../api/json';
import { KubeObject, metaString, objectName } from '../api/kube-object';
import { ResourceType, apiVersionOf, groupResource } from '../api/resource-type';
import { STALE_OBJECT, badRequest, conflict, methodNotAllowed } from '../api/status';
import { applyMergePatch } from '../patch/json-merge-patch';
import { applyJsonPatch } from '../patch/json-patch';
import { ApiContext, Reply, ResourceRequest } from './api-context';
import { isDryRun, writerIdentity } from './request-checks';
import { requireLive } from './update';
import { persist } from './write-pipeline';

function pathOf(jsonPath: string): string[] {
  return jsonPath.replace(/^\./, '').split('.');
}

function selectorText(object: KubeObject): string {
  const matchLabels = getPath(object, ['spec', 'selector', 'matchLabels']);
  if (!isJsonMap(matchLabels)) return '';
  return Object.entries(matchLabels)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

/** The Scale view of an object. */
export function scaleOf(object: KubeObject, type: ResourceType): JsonMap {
  const scale = type.scale ?? {
    specReplicasPath: '.spec.replicas',
    statusReplicasPath: '.status.replicas',
  };
  const replicas = (p: string) => {
    const value = getPath(object, pathOf(p));
    return typeof value === 'number' ? value : 0;
  };
  const metadata: JsonMap = {};
  for (const key of ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp']) {
    if (object.metadata[key] !== undefined) metadata[key] = object.metadata[key];
  }
  const status: JsonMap = { replicas: replicas(scale.statusReplicasPath) };
  const selector = selectorText(object);
  if (selector) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: { replicas: replicas(scale.specReplicasPath) },
    status,
  };
}

export function serveScale(ctx: ApiContext, request: ResourceRequest): Reply {
  const { type } = request;
  if (!type.scale) throw methodNotAllowed();
  const live = requireLive(ctx, request);
  if (request.verb === 'get') return { status: 200, body: scaleOf(live, type) };
  if (request.verb !== 'update' && request.verb !== 'patch') throw methodNotAllowed();
  const current = scaleOf(live, type);
  const next = request.verb === 'update' ? request.body : patchScale(current, request);
  if (!isJsonMap(next)) throw badRequest('the body of the request was not a valid Scale');
  const rv = isJsonMap(next.metadata) ? next.metadata.resourceVersion : undefined;
  if (typeof rv === 'string' && rv && rv !== metaString(live, 'resourceVersion')) {
    throw conflict(groupResource(type), objectName(live), STALE_OBJECT);
  }
  const replicas = getPath(next, ['spec', 'replicas']);
  if (typeof replicas !== 'number') throw badRequest('spec.replicas must be a number');
  const candidate: KubeObject = structuredClone(live);
  setPath(candidate, pathOf(type.scale.specReplicasPath), replicas);
  const result = persist(ctx, {
    type,
    live,
    candidate,
    manager: writerIdentity(request, 'Update', 'UpdateOptions', apiVersionOf(type)),
    dryRun: isDryRun(request.query, 'UpdateOptions'),
  });
  return { status: 200, body: scaleOf(result.object, type) };
}

function patchScale(current: JsonMap, request: ResourceRequest): Json {
  const contentType = (request.contentType ?? '').split(';')[0].trim();
  const body = request.body ?? {};
  return contentType === 'application/json-patch+json'
    ? applyJsonPatch(current, body)
    : applyMergePatch(current, body);
}
