/**
 * The OpenAPI v3 documents kubectl reads before `apply` (and `diff`): the
 * root index `/openapi/v3` and one document per group version whose PATCH
 * operations carry `x-kubernetes-group-version-kind` and the
 * `fieldValidation` parameter. Finding that parameter is how kubectl 1.32
 * decides to leave validation to the server (`QueryParamVerifierV3`) instead
 * of failing client-side. The documents list no strategic-merge-patch body
 * and no component schemas, so kubectl computes client-side apply patches
 * from its compiled-in types, as it does when a server publishes no usable
 * schema. `/openapi/v2` is not served (404), which kubectl tolerates.
 */
import { createHash } from 'node:crypto';
import { JsonMap } from '../api/json';
import { ResourceRegistry } from '../api/resource-registry';
import { ResourceType } from '../api/resource-type';
import { typesOf } from './discovery';

const QUERY_PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation', 'force', 'pretty'];

/** `api/v1` and `apis/<group>/<version>` for every served group version. */
function groupVersionPaths(registry: ResourceRegistry): string[] {
  const paths = ['api/v1'];
  for (const group of registry.groups()) {
    for (const { version } of group.versions) paths.push(`apis/${group.name}/${version}`);
  }
  return paths;
}

/** The document of one group version (`api/v1`, `apis/apps/v1`), or undefined when not served. */
export function openApiDocument(
  registry: ResourceRegistry,
  groupVersionPath: string,
): JsonMap | undefined {
  const match = /^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(groupVersionPath);
  if (!match) return undefined;
  const group = match[1] ? '' : match[2];
  const version = match[1] ?? match[3];
  const types = typesOf(registry, group, version);
  if (!types) return undefined;
  const paths: JsonMap = {};
  for (const type of types) {
    const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const collection = type.namespaced
      ? `${base}/namespaces/{namespace}/${type.plural}`
      : `${base}/${type.plural}`;
    paths[`${collection}/{name}`] = { patch: patchOperation(type) };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas: {} },
  };
}

function patchOperation(type: ResourceType): JsonMap {
  const content: JsonMap = {
    'application/apply-patch+yaml': { schema: { type: 'object' } },
    'application/json-patch+json': { schema: { type: 'object' } },
    'application/merge-patch+json': { schema: { type: 'object' } },
  };
  return {
    operationId: `patch${type.kind}`,
    parameters: QUERY_PARAMETERS.map((name) => ({
      name,
      in: 'query',
      schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
    })),
    requestBody: { content, required: true },
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': {
      group: type.group,
      version: type.version,
      kind: type.kind,
    },
  };
}

/**
 * `/openapi/v3`: each group version with a server-relative URL that carries
 * the cluster's path prefix (client-go resolves it against the host only)
 * and a content hash, as the real index does.
 */
export function openApiIndex(registry: ResourceRegistry, pathPrefix: string): JsonMap {
  const paths: JsonMap = {};
  for (const path of groupVersionPaths(registry)) {
    const document = openApiDocument(registry, path);
    const hash = createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase();
    paths[path] = { serverRelativeURL: `${pathPrefix}/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}
