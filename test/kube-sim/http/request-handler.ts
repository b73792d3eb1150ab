/**
 * One HTTP request, end to end: find the virtual cluster from the path
 * prefix (`/clusters/<id>`), log it, authenticate the bearer token (401
 * without a valid one, 403 for another cluster's), apply the cluster's
 * faults, then serve the route: non-resource endpoints, a watch stream, or a
 * resource verb in the representation the client negotiated.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Json, JsonMap, isJsonMap } from '../api/json';
import { KubeObject } from '../api/kube-object';
import { StatusError, internalError, pathNotFound, unauthorized } from '../api/status';
import { VirtualCluster } from '../cluster/virtual-cluster';
import { toTable } from '../discovery/table-printers';
import { FaultTarget, decideFault, forbiddenFor } from '../faults/faults';
import { LoggedRequest } from '../faults/request-log';
import { ResourceRequest } from '../verbs/api-context';
import { decodeBody, readBody } from './body';
import { representation } from './negotiation';
import { serveNonResource } from './non-resource';
import { represent, sendJson, sendStatusError } from './responses';
import { Route, route as resolveRoute } from './routing';

/** How the handler finds clusters. */
export interface ClusterDirectory {
  byId(id: string): VirtualCluster | undefined;
  byToken(token: string): VirtualCluster | undefined;
}

const PREFIX = /^\/clusters\/([^/]+)(\/.*)?$/;
const PATCH_TYPES: Record<string, string> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export class RequestHandler {
  /** Requests held open by the `hang` fault, answered never (destroyed on stop). */
  readonly hanging = new Set<ServerResponse>();

  constructor(private readonly directory: ClusterDirectory) {}

  /** Serves `req`; `only` restricts a dedicated listener to its cluster. */
  async handle(req: IncomingMessage, res: ServerResponse, only?: VirtualCluster): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    const match = PREFIX.exec(url.pathname);
    const cluster = match ? this.directory.byId(match[1]) : undefined;
    if (!match || !cluster || (only && only !== cluster)) {
      sendStatusError(res, pathNotFound());
      return;
    }
    const path = match[2] ?? '/';
    const route = resolveRoute(req.method ?? 'GET', path, url.searchParams);
    const entry = cluster.log.record(logEntry(req, path, url.searchParams, route));
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    try {
      if (!this.authorized(req, res, cluster, route)) return;
      const target = faultTarget(route);
      const decision = decideFault(cluster.faults, target, cluster.user, cluster.random);
      if (decision.kind === 'drop') {
        dropConnection(req);
        return;
      }
      if (decision.kind === 'hang') {
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      }
      if (decision.delayMs > 0) {
        // Unref'd: a delayed answer must not keep a test process alive once its clusters stopped.
        await new Promise((resolve) => setTimeout(resolve, decision.delayMs).unref());
      }
      if (decision.kind === 'fail') throw decision.error;
      const raw = await readBody(req);
      const body = decodeBody(raw, req.headers['content-type']);
      if (route.kind === 'resource') this.serveResource(req, res, cluster, route, body);
      else {
        serveNonResource(res, route, {
          cluster,
          accept: req.headers.accept,
          serverAddress: req.headers.host ?? authorityOf(req) ?? '127.0.0.1',
          pathPrefix: `/clusters/${cluster.id}`,
          query: url.searchParams,
        });
      }
    } catch (error) {
      if (error instanceof StatusError) sendStatusError(res, error);
      else {
        console.error('kube-sim: unexpected failure', error);
        sendStatusError(res, internalError(error instanceof Error ? error.message : String(error)));
      }
    }
  }

  /** 401 without a valid token (health checks are public); another cluster's token may read discovery, anything else is 403. */
  private authorized(
    req: IncomingMessage,
    res: ServerResponse,
    cluster: VirtualCluster,
    route: Route,
  ): boolean {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (token === cluster.token) return true;
    if (!token && route.kind === 'health') return true;
    const owner = token ? this.directory.byToken(token) : undefined;
    if (!owner) {
      sendStatusError(res, unauthorized());
      return false;
    }
    // Like the real `system:discovery` role, bound to every authenticated user.
    if (route.kind !== 'resource' && route.kind !== 'unknown') return true;
    const target = faultTarget(route);
    const error = target.resource
      ? forbiddenFor(target, owner.user)
      : new StatusError(
          403,
          'Forbidden',
          `forbidden: User "${owner.user}" cannot get path "${new URL(req.url ?? '/', 'http://x').pathname}"`,
          {},
        );
    sendStatusError(res, error);
    return false;
  }

  private serveResource(
    req: IncomingMessage,
    res: ServerResponse,
    cluster: VirtualCluster,
    route: Extract<Route, { kind: 'resource' }>,
    body: Json | undefined,
  ): void {
    const type = cluster.ctx.registry.byResource(route.group, route.version, route.resource);
    const listing =
      route.verb === 'list' || route.verb === 'watch' || route.verb === 'deletecollection';
    if (
      !type ||
      (!type.namespaced && route.namespace !== undefined) ||
      (type.namespaced && !listing && route.namespace === undefined && route.verb !== 'create')
    ) {
      throw pathNotFound();
    }
    if (type.namespaced && route.verb === 'create' && route.namespace === undefined)
      throw pathNotFound();
    const url = new URL(req.url ?? '/', 'http://kube-sim');
    const request: ResourceRequest = {
      verb: route.verb,
      type,
      namespace: route.namespace,
      name: route.name,
      subresource: route.subresource as ResourceRequest['subresource'],
      query: url.searchParams,
      body,
      contentType: req.headers['content-type'],
      userAgent: req.headers['user-agent'],
    };
    const rep = representation(req.headers.accept);
    const includeObject = url.searchParams.get('includeObject') ?? 'Metadata';
    if (route.verb === 'watch') {
      this.streamWatch(req, res, cluster, request, rep === 'table', includeObject);
      return;
    }
    const reply = cluster.serve(request);
    const isRead = route.verb === 'get' || route.verb === 'list';
    const shaped =
      isRead && !route.subresource
        ? represent(reply.body, rep, type, { now: new Date(), includeObject })
        : undefined;
    sendJson(res, reply.status, shaped?.body ?? reply.body, shaped?.contentType);
  }

  /**
   * A chunked stream of watch events (one JSON object per line). With a Table
   * Accept header each event carries a one-row Table, the first one with the
   * column definitions, as the API server streams them to `kubectl get -w`.
   */
  private streamWatch(
    req: IncomingMessage,
    res: ServerResponse,
    cluster: VirtualCluster,
    request: ResourceRequest,
    asTable: boolean,
    includeObject: string,
  ): void {
    const start = () => {
      if (res.headersSent) return;
      res.writeHead(200, {
        'Content-Type': asTable
          ? 'application/json;as=Table;v=v1;g=meta.k8s.io'
          : 'application/json',
        'Cache-Control': 'no-cache, private',
      });
    };
    let columnsSent = false;
    const sink = {
      send: (type: string, object: JsonMap) => {
        start();
        let payload: Json = object;
        if (asTable && (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')) {
          const metadata = isJsonMap(object.metadata) ? object.metadata : {};
          payload = toTable(request.type, [object as KubeObject], {
            now: new Date(),
            resourceVersion: String(metadata.resourceVersion ?? ''),
            withColumns: !columnsSent,
            includeObject,
          });
          columnsSent = true;
        }
        res.write(`${JSON.stringify({ type, object: payload })}\n`);
      },
      close: () => {
        start();
        res.end();
      },
    };
    const stop = cluster.watch(request, sink);
    start();
    res.flushHeaders();
    res.on('close', stop);
    req.on('close', stop);
  }
}

/**
 * Drops the connection the request came on, unanswered. Over HTTP/2 that is
 * the whole session (the socket of an HTTP/2 request cannot be touched).
 */
function dropConnection(req: IncomingMessage): void {
  const stream = (req as { stream?: { session?: { destroy(): void } } }).stream;
  if (req.httpVersionMajor >= 2 && stream?.session) stream.session.destroy();
  else req.socket.destroy();
}

/** The `:authority` of an HTTP/2 request (HTTP/1.1 has `Host`). */
function authorityOf(req: IncomingMessage): string | undefined {
  const authority = req.headers[':authority'];
  return typeof authority === 'string' ? authority : undefined;
}

function faultTarget(route: Route): FaultTarget {
  if (route.kind !== 'resource') return { verb: undefined };
  return {
    verb: route.verb,
    group: route.group,
    resource: route.resource,
    namespace: route.namespace,
    name: route.name,
  };
}

function logEntry(
  req: IncomingMessage,
  path: string,
  query: URLSearchParams,
  route: Route,
): LoggedRequest {
  const resource = route.kind === 'resource' ? route : undefined;
  const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim();
  return {
    time: new Date().toISOString(),
    method: req.method ?? 'GET',
    path,
    query: query.toString(),
    verb: resource?.verb,
    group: resource?.group,
    resource: resource?.resource,
    subresource: resource?.subresource,
    namespace: resource?.namespace,
    name: resource?.name,
    patchType: req.method === 'PATCH' ? (PATCH_TYPES[contentType] ?? contentType) : undefined,
    fieldManager: query.get('fieldManager') ?? undefined,
    dryRun: query.getAll('dryRun').includes('All'),
    userAgent: req.headers['user-agent'],
    status: 0,
  };
}
