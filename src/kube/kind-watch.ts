/**
 * A long-running list-and-watch of one resource type across all namespaces,
 * resumed from the last resourceVersion seen (bookmarks included) after the
 * server ends a watch, re-listed after `410 Gone` (history compacted), and
 * restarted with capped, jittered exponential backoff after failures. A
 * hanging cluster is detected by an idle timeout longer than the server-side
 * watch timeout, so a silent connection never stalls detection forever.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { FailureDescriptor } from '../sync/retry/failure-classification';
import { KubeObject } from '../sync/manifests/kube-object';
import { ClusterClient } from './cluster-client';
import { KubeApiError } from './kube-failure';
import { ResourceType, apiVersionOf, resourcePath } from './resource-paths';

/** A change seen by a watch. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Callbacks of a kind watch; they must not throw (errors are ignored). */
export interface KindWatchHandlers {
  /** Every object after a (re)list: the watcher's view starts over from this set. */
  onSync(objects: readonly KubeObject[]): void;
  onEvent(type: WatchEventType, object: KubeObject): void;
  /** The watch failed and will be retried after `retryInMs`. */
  onError?(failure: FailureDescriptor, retryInMs: number): void;
}

/** Timing of a kind watch. */
export interface KindWatchOptions {
  /** Server-side watch duration before a clean resume (default 300 s). */
  readonly watchTimeoutSeconds?: number;
  /** First and largest wait between failed attempts (default 1 s and 60 s). */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Source of jitter (default Math.random). */
  readonly random?: () => number;
}

/** A running kind watch. */
export interface KindWatchHandle {
  stop(): void;
  /** Resolves once the loop has ended after `stop`. */
  readonly done: Promise<void>;
}

class Relist extends Error {}

/** Starts watching `type` on `client`'s cluster. */
export function watchKind(
  client: ClusterClient,
  type: ResourceType,
  handlers: KindWatchHandlers,
  options: KindWatchOptions = {},
): KindWatchHandle {
  const controller = new AbortController();
  const signal = controller.signal;
  const timeoutSeconds = options.watchTimeoutSeconds ?? 300;
  const minBackoff = options.minBackoffMs ?? 1_000;
  const maxBackoff = options.maxBackoffMs ?? 60_000;
  const random = options.random ?? Math.random;
  const apiVersion = apiVersionOf(type.group, type.version);
  const safely = (call: () => void) => {
    try {
      call();
    } catch {
      // A handler's bug must not end the watch.
    }
  };

  const loop = async () => {
    let resourceVersion = '';
    let failures = 0;
    while (!signal.aborted) {
      try {
        if (!resourceVersion) {
          const list = await client.list(type, { signal });
          if (signal.aborted) return;
          safely(() => handlers.onSync(list.items));
          resourceVersion = list.resourceVersion;
        }
        await client.transport.stream(
          {
            path: resourcePath(type),
            query: {
              watch: 'true',
              resourceVersion,
              allowWatchBookmarks: 'true',
              // Spread reconnects of many watches over time.
              timeoutSeconds: String(Math.round(timeoutSeconds * (0.9 + 0.2 * random()))),
            },
            signal,
            verb: 'watch',
            what: `watch ${type.kind}`,
          },
          (line) => {
            const event = parseEvent(line);
            if (!event) return;
            if (event.type === 'ERROR') {
              const code = (event.object as { code?: unknown }).code;
              if (code === 410) throw new Relist();
              throw new KubeApiError({
                kind: 'http',
                statusCode: typeof code === 'number' ? code : 500,
                message: `watch ${type.kind}: the server ended the watch with an error`,
              });
            }
            const version = event.object.metadata?.resourceVersion;
            if (typeof version === 'string' && version) resourceVersion = version;
            if (event.type === 'BOOKMARK') return;
            const object = { ...event.object, apiVersion, kind: type.kind };
            safely(() => handlers.onEvent(event.type as WatchEventType, object));
          },
          // Longer than the longest server-side timeout (jittered up to +10 %), so only a silent connection trips it.
          Math.round(timeoutSeconds * 1.1 + 30) * 1000,
        );
        failures = 0;
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof Relist) {
          resourceVersion = '';
          continue;
        }
        const waitMs = Math.min(maxBackoff, minBackoff * 2 ** failures) * (0.75 + 0.5 * random());
        failures++;
        const failure =
          error instanceof KubeApiError
            ? error.failure
            : { kind: 'unknown' as const, message: `watch ${type.kind}: ${String(error)}` };
        // A failed watch may have missed events: start over from a list.
        resourceVersion = '';
        safely(() => handlers.onError?.(failure, waitMs));
        await delay(waitMs, undefined, { signal }).catch(() => undefined);
      }
    }
  };

  const done = loop();
  return { stop: () => controller.abort(), done };
}

function parseEvent(
  line: string,
): { type: WatchEventType | 'BOOKMARK' | 'ERROR'; object: KubeObject } | undefined {
  try {
    const event = JSON.parse(line) as { type?: unknown; object?: unknown };
    if (typeof event.type !== 'string' || typeof event.object !== 'object' || !event.object) {
      return undefined;
    }
    return event as { type: WatchEventType | 'BOOKMARK' | 'ERROR'; object: KubeObject };
  } catch {
    return undefined;
  }
}
