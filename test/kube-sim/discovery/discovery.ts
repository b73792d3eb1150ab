/**
 * API discovery, both forms a 1.32 API server serves: the legacy documents
 * (`/api`, `/api/v1`, `/apis`, `/apis/<group>`, `/apis/<group>/<version>`,
 * which client-node's KubernetesObjectApi reads) and aggregated discovery
 * (`APIGroupDiscoveryList` of apidiscovery.k8s.io/v2, which kubectl asks for
 * first). Built from the cluster's registry, so a new CRD shows up at once.
 * Pure functions.
 */
import { JsonMap } from '../api/json';
import { ResourceRegistry, ServedGroup } from '../api/resource-registry';
import { ResourceType } from '../api/resource-type';

const SUBRESOURCE_VERBS = ['get', 'patch', 'update'];

function subresources(
  type: ResourceType,
): { name: string; group: string; version: string; kind: string }[] {
  const out = [];
  if (type.scale) out.push({ name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale' });
  if (type.statusSubresource)
    out.push({ name: 'status', group: type.group, version: type.version, kind: type.kind });
  return out;
}

/** `APIResource` entries of one group version (the resource, then its subresources). */
function apiResources(types: readonly ResourceType[]): JsonMap[] {
  const out: JsonMap[] = [];
  for (const type of [...types].sort((a, b) => (a.plural < b.plural ? -1 : 1))) {
    const entry: JsonMap = {
      name: type.plural,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: [...type.verbs],
    };
    if (type.shortNames.length) entry.shortNames = [...type.shortNames];
    if (type.categories.length) entry.categories = [...type.categories];
    out.push(entry);
    for (const sub of subresources(type)) {
      const subEntry: JsonMap = {
        name: `${type.plural}/${sub.name}`,
        singularName: '',
        namespaced: type.namespaced,
        kind: sub.kind,
        verbs: SUBRESOURCE_VERBS,
      };
      if (sub.group !== type.group || sub.version !== type.version) {
        subEntry.group = sub.group;
        subEntry.version = sub.version;
      }
      out.push(subEntry);
    }
  }
  return out;
}

/** `/api`. */
export function coreVersions(serverAddress: string): JsonMap {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `/api/v1` or `/apis/<group>/<version>` (only the latter carries an apiVersion, as served). */
export function resourceList(groupVersion: string, types: readonly ResourceType[]): JsonMap {
  const resources = apiResources(types);
  return groupVersion.includes('/')
    ? { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources }
    : { kind: 'APIResourceList', groupVersion, resources };
}

function apiGroup(group: ServedGroup): JsonMap {
  const versions = group.versions.map((v) => ({
    groupVersion: `${group.name}/${v.version}`,
    version: v.version,
  }));
  return { name: group.name, versions, preferredVersion: versions[0] };
}

/** `/apis`. */
export function groupList(registry: ResourceRegistry): JsonMap {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groups().map(apiGroup) };
}

/** `/apis/<group>`, or undefined when the group is not served. */
export function groupDocument(registry: ResourceRegistry, name: string): JsonMap | undefined {
  const group = registry.groups().find((g) => g.name === name);
  return group ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group) } : undefined;
}

/** The types of one served group version, or undefined when not served. */
export function typesOf(
  registry: ResourceRegistry,
  group: string,
  version: string,
): ResourceType[] | undefined {
  if (group === '') return version === 'v1' ? registry.core() : undefined;
  return registry
    .groups()
    .find((g) => g.name === group)
    ?.versions.find((v) => v.version === version)?.resources as ResourceType[] | undefined;
}

function discoveryResource(type: ResourceType): JsonMap {
  const entry: JsonMap = {
    resource: type.plural,
    responseKind: { group: type.group, version: type.version, kind: type.kind },
    scope: type.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: type.singular,
    verbs: [...type.verbs],
  };
  if (type.shortNames.length) entry.shortNames = [...type.shortNames];
  if (type.categories.length) entry.categories = [...type.categories];
  const subs = subresources(type);
  if (subs.length) {
    entry.subresources = subs.map((sub) => ({
      subresource: sub.name,
      responseKind: { group: sub.group, version: sub.version, kind: sub.kind },
      verbs: SUBRESOURCE_VERBS,
    }));
  }
  return entry;
}

function discoveryGroup(name: string, versions: ServedGroup['versions']): JsonMap {
  const metadata: JsonMap = { creationTimestamp: null };
  if (name) metadata.name = name;
  return {
    metadata,
    versions: versions.map((v) => ({
      version: v.version,
      resources: [...v.resources]
        .sort((a, b) => (a.plural < b.plural ? -1 : 1))
        .map(discoveryResource),
      freshness: 'Current',
    })),
  };
}

/** Aggregated discovery of `/api` (core) or `/apis` (every named group), at `apiVersion`. */
export function aggregatedDiscovery(
  registry: ResourceRegistry,
  core: boolean,
  apiVersion: string,
): JsonMap {
  const items = core
    ? [discoveryGroup('', [{ version: 'v1', resources: registry.core() }])]
    : registry.groups().map((g) => discoveryGroup(g.name, g.versions));
  return { kind: 'APIGroupDiscoveryList', apiVersion, metadata: {}, items };
}

/**
 * The aggregated-discovery version an Accept header asks for
 * (`application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`),
 * or undefined for legacy discovery.
 */
export function requestedDiscoveryVersion(accept: string | undefined): string | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const params = new Map(
      part
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (params.get('g') === 'apidiscovery.k8s.io' && params.get('as') === 'APIGroupDiscoveryList') {
      const version = params.get('v');
      if (version === 'v2' || version === 'v2beta1') return version;
    }
  }
  return undefined;
}
