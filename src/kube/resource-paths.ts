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
