/**
 * The non-resource endpoints of a virtual cluster: `/version`, health checks,
 * legacy and aggregated discovery, and the OpenAPI v3 index and documents.
 */
import { ServerResponse } from 'node:http';
import { pathNotFound } from '../api/status';
import { VirtualCluster } from '../cluster/virtual-cluster';
import {
  aggregatedDiscovery,
  coreVersions,
  groupDocument,
  groupList,
  requestedDiscoveryVersion,
  resourceList,
  typesOf,
} from '../discovery/discovery';
import { openApiDocument, openApiIndex } from '../discovery/openapi';
import { SERVER_VERSION } from '../discovery/version';
import { sendJson, sendText } from './responses';
import { Route } from './routing';

const HEALTH_CHECKS = ['ping', 'log', 'etcd', 'poststarthook/start-apiextensions-controllers'];

export interface NonResourceContext {
  readonly cluster: VirtualCluster;
  readonly accept: string | undefined;
  /** `host:port` clients reach the server at (for `serverAddressByClientCIDRs`). */
  readonly serverAddress: string;
  /** The cluster's path prefix (`/clusters/<id>`), for OpenAPI URLs. */
  readonly pathPrefix: string;
  readonly query: URLSearchParams;
}

/** Answers a non-resource route; throws 404 for unknown groups and documents. */
export function serveNonResource(res: ServerResponse, route: Route, ctx: NonResourceContext): void {
  const registry = ctx.cluster.ctx.registry;
  switch (route.kind) {
    case 'version':
      return sendJson(res, 200, SERVER_VERSION);
    case 'health': {
      const name = route.check ? route.check.split('/').pop() : '';
      if (!ctx.query.has('verbose')) return sendText(res, 200, 'ok');
      const lines = HEALTH_CHECKS.filter((c) => !name || c === name).map((c) => `[+]${c} ok`);
      return sendText(res, 200, `${lines.join('\n')}\nhealthz check passed\n`);
    }
    case 'coreVersions':
    case 'groupList': {
      const version = requestedDiscoveryVersion(ctx.accept);
      if (version) {
        const body = aggregatedDiscovery(
          registry,
          route.kind === 'coreVersions',
          `apidiscovery.k8s.io/${version}`,
        );
        return sendJson(
          res,
          200,
          body,
          `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
          {
            Vary: 'Accept',
          },
        );
      }
      return sendJson(
        res,
        200,
        route.kind === 'coreVersions' ? coreVersions(ctx.serverAddress) : groupList(registry),
      );
    }
    case 'group': {
      const document = groupDocument(registry, route.group);
      if (!document) throw pathNotFound();
      return sendJson(res, 200, document);
    }
    case 'resourceList': {
      const types = typesOf(registry, route.group, route.version);
      if (!types) throw pathNotFound();
      return sendJson(
        res,
        200,
        resourceList(route.group ? `${route.group}/${route.version}` : route.version, types),
      );
    }
    case 'openapiIndex':
      return sendJson(res, 200, openApiIndex(registry, ctx.pathPrefix));
    case 'openapiDocument': {
      const document = openApiDocument(registry, route.path);
      if (!document) throw pathNotFound();
      return sendJson(res, 200, document);
    }
    default:
      throw pathNotFound();
  }
}
