/**
 * REST paths of the Kubernetes API (pure functions):
 * `/api/v1/namespaces/{ns}/{plural}/{name}` for the core group,
 * `/apis/{group}/{version}/...` for the others; cluster-scoped resources
 * have no namespace segment, and a list over all namespaces has none either.
 */

/** What a path needs to know about a resource type. */
export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Lower-case plural (`deployments`), the path segment. */
  readonly plural: string;
  readonly namespaced: boolean;
}

/** `/api/v1` or `/apis/{group}/{version}`. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** `v1` or `{group}/{version}`. */
export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

/**
 * The path of one object (`name` given) or of a collection (`name`
 * omitted). `namespace` is ignored for cluster-scoped types; for a
 * namespaced collection, an empty or absent namespace means all namespaces.
 */
export function resourcePath(type: ResourceType, namespace?: string, name?: string): string {
  const parts = [groupVersionPath(type.group, type.version)];
  if (type.namespaced && namespace) parts.push('namespaces', encodeURIComponent(namespace));
  parts.push(type.plural);
  if (name !== undefined) parts.push(encodeURIComponent(name));
  return parts.join('/');
}

// Characters the URL class leaves as they are in a path: printable ASCII but
// for the ones it percent-encodes there, the query and fragment marks, and the
// backslash (a slash in http and https URLs).
const PLAIN_PATH = /^[!$-;=@-[\]-_a-z|~]*$/;

/**
 * The path and query of a request to a server whose URL path is `basePath`
 * (no trailing slash), written as the URL class would write them. Built
 * without a URL object: a fleet-wide sync sends tens of thousands of requests
 * over HTTP/2, which needs only this text, and a URL per request showed in
 * profiles.
 */
export function requestTarget(
  basePath: string,
  path: string,
  query: Readonly<Record<string, string | undefined>> | undefined,
): string {
  let target = `${basePath}${path}`;
  if (!PLAIN_PATH.test(target)) {
    const url = new URL('http://host');
    url.pathname = target;
    target = url.pathname;
  }
  if (!query) return target;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  const search = params.toString();
  return search ? `${target}?${search}` : target;
}
