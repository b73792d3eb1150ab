/**
 * `?watch=true`: a stream of ADDED / MODIFIED / DELETED events for the
 * objects a request selects. Without a resourceVersion (or with "0") the
 * stream opens with an ADDED event per existing object; with one it resumes
 * after that version from the history (a version older than the history gets
 * an ERROR event with 410 Expired, as after an etcd compaction). Selector
 * semantics follow the watch cache: an object that stops matching is
 * DELETED, one that starts matching is ADDED. Bookmarks are sent when asked
 * for (`allowWatchBookmarks`), and `sendInitialEvents=true` ends the initial
 * events with the `k8s.io/initial-events-end` bookmark.
 */
import { JsonMap } from '../api/json';
import { KubeObject, objectNamespace } from '../api/kube-object';
import { apiVersionOf } from '../api/resource-type';
import { StatusError } from '../api/status';
import { StoreEvent, resourceKey } from '../store/object-store';
import { ObjectFilter, parseFilter, selects } from '../store/selectors';
import { ApiContext, ResourceRequest } from './api-context';
import { asServed } from './read';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** Where a watch writes its events. */
export interface WatchSink {
  send(type: WatchEventType, object: JsonMap): void;
  close(): void;
}

export interface WatchOptions {
  /** How often bookmarks are sent when the client allows them. */
  readonly bookmarkIntervalMs: number;
}

/**
 * Starts a watch: replays what is due, then follows the store. Returns the
 * function that stops it (the HTTP layer calls it when the client goes away).
 * Selector and resourceVersion errors throw before anything is sent.
 */
export function openWatch(
  ctx: ApiContext,
  request: ResourceRequest,
  sink: WatchSink,
  options: WatchOptions,
): () => void {
  const { type, query } = request;
  const filter = parseFilter(query.get('labelSelector'), query.get('fieldSelector'), type);
  const resource = resourceKey(type.group, type.plural);
  const namespace = type.namespaced ? request.namespace : undefined;
  const rvParam = query.get('resourceVersion') ?? '';
  const sendInitial =
    query.get('sendInitialEvents') === 'true' || rvParam === '' || rvParam === '0';
  const timers: NodeJS.Timeout[] = [];
  let stopped = false;

  const bookmark = (annotations?: JsonMap) => {
    // A typed (built-in) object serialises its zero creationTimestamp as null.
    const metadata: JsonMap = type.custom
      ? { resourceVersion: String(ctx.store.resourceVersion) }
      : { resourceVersion: String(ctx.store.resourceVersion), creationTimestamp: null };
    if (annotations) metadata.annotations = annotations;
    sink.send('BOOKMARK', { kind: type.kind, apiVersion: apiVersionOf(type), metadata });
  };
  const deliver = (event: StoreEvent) => {
    const out = translate(event, filter, namespace);
    if (out) sink.send(out.type, asServed(out.object, type));
  };

  let backlog: StoreEvent[] = [];
  if (!sendInitial) {
    try {
      backlog = ctx.store.eventsSince(resource, Number(rvParam));
    } catch (error) {
      if (!(error instanceof StatusError)) throw error;
      sink.send('ERROR', error.toStatus());
      sink.close();
      return () => undefined;
    }
  }
  if (sendInitial) {
    for (const object of ctx.store.list(resource, namespace)) {
      if (selects(filter, object)) sink.send('ADDED', asServed(object, type));
    }
    if (query.get('sendInitialEvents') === 'true' && query.get('allowWatchBookmarks') === 'true') {
      bookmark({ 'k8s.io/initial-events-end': 'true' });
    }
  }
  for (const event of backlog) deliver(event);
  const unsubscribe = ctx.store.subscribe((event) => {
    if (event.resource === resource) deliver(event);
  });

  const stop = () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    for (const timer of timers) clearTimeout(timer);
    sink.close();
  };
  const timeout = Number(query.get('timeoutSeconds') ?? '0');
  // Unref'd, as the bookmarks: the connection keeps a server alive, not the end it is due.
  if (timeout > 0) timers.push(setTimeout(stop, timeout * 1000).unref());
  if (query.get('allowWatchBookmarks') === 'true' && options.bookmarkIntervalMs > 0) {
    const interval = setInterval(() => bookmark(), options.bookmarkIntervalMs);
    interval.unref();
    timers.push(interval);
  }
  return stop;
}

/** The event a watcher with `filter` sees for a store change, if any. */
export function translate(
  event: StoreEvent,
  filter: ObjectFilter,
  namespace: string | undefined,
): { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject } | undefined {
  const inScope = (o: KubeObject | undefined) =>
    !!o && (namespace === undefined || objectNamespace(o) === namespace) && selects(filter, o);
  const now = event.type === 'DELETED' ? false : inScope(event.object);
  const before = event.type === 'ADDED' ? false : inScope(event.previous ?? event.object);
  if (event.type === 'DELETED')
    return before ? { type: 'DELETED', object: event.object } : undefined;
  if (now && before) return { type: 'MODIFIED', object: event.object };
  if (now) return { type: 'ADDED', object: event.object };
  if (before) return { type: 'DELETED', object: event.object };
  return undefined;
}
