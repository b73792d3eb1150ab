/**
 * Kubernetes REST paths (below a cluster's prefix) to what they address, as
 * the API server's request-info resolver reads them: non-resource endpoints
 * (version, health, discovery, OpenAPI) and resource requests with group,
 * version, resource, namespace, name and subresource, the verb following
 * from the method (and `watch=true`). Pure functions.
 */
import { Verb } from '../verbs/api-context';

export type Route =
  | { readonly kind: 'version' }
  | { readonly kind: 'health'; readonly check: string }
  | { readonly kind: 'coreVersions' }
  | { readonly kind: 'groupList' }
  | { readonly kind: 'group'; readonly group: string }
  | { readonly kind: 'resourceList'; readonly group: string; readonly version: string }
  | { readonly kind: 'openapiIndex' }
  | { readonly kind: 'openapiDocument'; readonly path: string }
  | {
      readonly kind: 'resource';
      readonly verb: Verb;
      readonly group: string;
      readonly version: string;
      readonly resource: string;
      readonly namespace?: string;
      readonly name?: string;
      readonly subresource?: string;
    }
  | { readonly kind: 'unknown' };

const HEALTH = new Set(['healthz', 'livez', 'readyz']);

/** Resolves `path` (URL-decoded segments) and the method into a route. */
export function route(method: string, path: string, query: URLSearchParams): Route {
  const segments = path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  const [first, ...rest] = segments;
  if (first === undefined) return { kind: 'unknown' };
  if (first === 'version' && rest.length === 0) return { kind: 'version' };
  if (HEALTH.has(first)) return { kind: 'health', check: rest.join('/') };
  if (first === 'openapi' && rest[0] === 'v3') {
    return rest.length === 1
      ? { kind: 'openapiIndex' }
      : { kind: 'openapiDocument', path: rest.slice(1).join('/') };
  }
  if (first === 'api') {
    if (rest.length === 0) return { kind: 'coreVersions' };
    if (rest[0] !== 'v1') return { kind: 'unknown' };
    if (rest.length === 1) return { kind: 'resourceList', group: '', version: 'v1' };
    return resourceRoute(method, '', 'v1', rest.slice(1), query);
  }
  if (first === 'apis') {
    if (rest.length === 0) return { kind: 'groupList' };
    if (rest.length === 1) return { kind: 'group', group: rest[0] };
    if (rest.length === 2) return { kind: 'resourceList', group: rest[0], version: rest[1] };
    return resourceRoute(method, rest[0], rest[1], rest.slice(2), query);
  }
  return { kind: 'unknown' };
}

function resourceRoute(
  method: string,
  group: string,
  version: string,
  parts: string[],
  query: URLSearchParams,
): Route {
  let namespace: string | undefined;
  let rest = parts;
  // namespaces/<ns>/<resource>/... addresses namespaced content; namespaces/<name>[/status|/finalize]
  // addresses the Namespace itself.
  if (
    rest[0] === 'namespaces' &&
    rest.length >= 3 &&
    !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))
  ) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...extra] = rest;
  if (!resource || extra.length) return { kind: 'unknown' };
  const verb = verbFor(method, name !== undefined, query);
  if (!verb) return { kind: 'unknown' };
  return { kind: 'resource', verb, group, version, resource, namespace, name, subresource };
}

function verbFor(method: string, named: boolean, query: URLSearchParams): Verb | undefined {
  const watch = query.get('watch');
  switch (method) {
    case 'GET':
      if (watch === 'true' || watch === '1') return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}
