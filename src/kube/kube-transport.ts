/**
 * HTTP to one cluster's API server: TLS material and credentials come from
 * a KubeConfig built from the stored `ClusterAccess` (client-node's own
 * loader). The wire is one HTTP/2 connection per cluster when the API
 * server offers it (kube-apiserver does; see http2-connector.ts), else
 * Node's HTTP/1.1 with a keep-alive agent per cluster.
 * We do not use client-node's generated clients here because they
 * deserialise into typed models (dates become `Date`, unknown fields of
 * known kinds are dropped), which would corrupt diffs and server-side apply
 * bodies; the API is plain JSON and is kept plain.
 *
 * Every request has a deadline that covers the wait for a slot too, and at
 * most `concurrency` requests per cluster are in flight, so a slow or
 * hanging cluster only ever blocks its own callers. Watches do not take
 * slots (over HTTP/1.1 they use an agent of their own).
 */
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import { createSecureContext } from 'node:tls';
import { setTimeout as delay } from 'node:timers/promises';
import { ClusterAccess } from './cluster-access';
import { KubeApiError, transportFailure } from './kube-failure';
import { Http2Connector } from './http2-connector';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  KubeAnswer,
  KubeExchange,
  cancelled,
  readBody,
  statusErrorOf,
  streamLines,
  throttleWaitMs,
} from './kube-http';
import { kubeConfigFor } from './kube-config';
import { requestTarget } from './resource-paths';
import { Semaphore } from './semaphore';

/** Limits of one cluster's transport. */
export interface TransportSettings {
  /** Deadline of one request, from the call (waiting for a slot included) to the last byte. */
  readonly requestTimeoutMs: number;
  /** Requests in flight at once (watches excluded). */
  readonly concurrency: number;
  /** Largest response body accepted (default 64 MiB). */
  readonly maxResponseBytes?: number;
  /** Attempts after a 429/503 answer carrying `Retry-After` that still fit the deadline (default 3). */
  readonly throttleRetries?: number;
  /** Streams an HTTP/2 connection carries before a new one replaces it (default 2^30). */
  readonly streamsPerConnection?: number;
}

/** One API request. */
export interface KubeRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API path (`/apis/apps/v1/namespaces/x/deployments/web`), below the server URL's own path. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly contentType?: string;
  readonly accept?: string;
  /** The caller's cancellation (terminate); the deadline applies in any case. */
  readonly signal?: AbortSignal;
  /** What the request does, for messages (`apply Deployment prod/web`). */
  readonly what: string;
  /** Kubernetes verb for metrics: `get`, `list`, `watch`, `patch`, `delete`, `discovery`. */
  readonly verb: string;
}

/** Told about every request execution (retries included); must not throw. */
export type RequestObserver = (verb: string, statusCode: number) => void;

/** A successful answer. */
export interface KubeResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const USER_AGENT = 'fleetplane/0.1 (sync)';

/** The per-cluster HTTP client. Create with `KubeTransport.create`, release with `close`. */
export class KubeTransport {
  /** Told about every request execution; set by the owner of the transport. */
  observer: RequestObserver | undefined;
  private readonly slots: Semaphore;
  /** The server URL's own path, without a trailing slash. */
  private readonly basePath: string;

  private constructor(
    private readonly base: URL,
    private readonly tlsOptions: https.AgentOptions,
    private readonly headers: Readonly<Record<string, string>>,
    private readonly agent: http.Agent,
    private readonly watchAgent: http.Agent,
    /** HTTP/2 when the server offers it; the agents serve servers that do not. */
    private readonly http2: Http2Connector | undefined,
    readonly settings: TransportSettings,
  ) {
    this.slots = new Semaphore(settings.concurrency);
    this.basePath = base.pathname.replace(/\/+$/, '');
  }

  /** Builds the transport of one cluster from its credentials. */
  static async create(access: ClusterAccess, settings: TransportSettings): Promise<KubeTransport> {
    const base = new URL(access.server);
    const options: https.RequestOptions = { headers: {} };
    await kubeConfigFor(access).applyToHTTPSOptions(options);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.headers ?? {})) {
      if (typeof value === 'string') headers[key] = value;
    }
    // One secure context per cluster: building it (parsing the CA bundle and
    // key) for every new connection costs more than the handshake itself.
    const secureContext = createSecureContext({
      ca: options.ca,
      cert: options.cert,
      key: options.key,
    });
    const rejectUnauthorized = options.rejectUnauthorized ?? true;
    const tlsOptions: https.AgentOptions = { secureContext, rejectUnauthorized };
    const secure = base.protocol === 'https:';
    const makeAgent = (extra: http.AgentOptions) =>
      secure ? new https.Agent({ ...tlsOptions, ...extra }) : new http.Agent(extra);
    return new KubeTransport(
      base,
      secure ? tlsOptions : {},
      headers,
      makeAgent({ keepAlive: true, maxSockets: settings.concurrency, timeout: 60_000 }),
      makeAgent({ keepAlive: false }),
      secure
        ? new Http2Connector(base, {
            secureContext,
            rejectUnauthorized,
            connectTimeoutMs: settings.requestTimeoutMs,
            streamsPerConnection: settings.streamsPerConnection,
          })
        : undefined,
      settings,
    );
  }

  /** Requests waiting for a slot and in flight (for metrics and tests). */
  get load(): { inFlight: number; waiting: number } {
    return { inFlight: this.slots.inUse, waiting: this.slots.waiting };
  }

  /**
   * Sends a request and returns a 2xx answer; anything else rejects with a
   * `KubeApiError`. A 429 or 503 with `Retry-After` is retried while the
   * wait still fits the deadline (as client-go does), then reported with
   * its `Retry-After` for the caller's backoff.
   */
  async request(request: KubeRequest): Promise<KubeResponse> {
    const timeoutMs = this.settings.requestTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    const retries = this.settings.throttleRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(request, deadline);
      } catch (error) {
        const waitMs = attempt < retries ? throttleWaitMs(error) : undefined;
        if (waitMs === undefined || Date.now() + waitMs >= deadline) throw error;
        await delay(waitMs, undefined, { signal: request.signal }).catch(() => {
          throw cancelled(request.what);
        });
      }
    }
  }

  /**
   * Opens a streaming GET (a watch) and calls `onLine` for every line of
   * the body; see `streamLines`. Watches take no slot and use their own agent.
   */
  stream(
    request: Omit<KubeRequest, 'method' | 'body' | 'contentType'>,
    onLine: (line: string) => void,
    idleTimeoutMs: number,
  ): Promise<void> {
    return streamLines(
      async (onResponse) =>
        this.send({ ...request, method: 'GET' }, this.watchAgent, onResponse, await this.session()),
      request,
      onLine,
      idleTimeoutMs,
      (statusCode) => this.observe(request.verb, statusCode),
    );
  }

  /** Closes idle connections and refuses nothing: in-flight requests finish or time out. */
  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
    this.http2?.close();
  }

  /** `h2` when the cluster's requests share one HTTP/2 connection (known after the first request). */
  get protocol(): 'unknown' | 'h2' | 'h1' {
    return this.http2?.protocol ?? 'h1';
  }

  /** The cluster's HTTP/2 session, or undefined to use HTTP/1.1. */
  private session(): Promise<http2.ClientHttp2Session | undefined> {
    return this.http2 ? this.http2.session() : Promise.resolve(undefined);
  }

  private async attempt(request: KubeRequest, deadlineMs: number): Promise<KubeResponse> {
    const timeoutMs = this.settings.requestTimeoutMs;
    const remaining = deadlineMs - Date.now();
    if (remaining <= 0) {
      throw new KubeApiError(transportFailure(undefined, request.what, true, timeoutMs));
    }
    const deadline = new Deadline(remaining, request.signal);
    const fail = (error: unknown): never => {
      if (error instanceof KubeApiError) throw error;
      if (request.signal?.aborted) throw cancelled(request.what);
      throw new KubeApiError(transportFailure(error, request.what, deadline.timedOut, timeoutMs));
    };
    // The common case (a free slot, a live connection) makes no AbortSignal, sparing each of the
    // tens of thousands of requests of a fleet-wide sync its EventTarget work and garbage.
    const release =
      this.slots.tryAcquire() ?? (await this.slots.acquire(deadline.signal).catch(fail));
    let statusCode = 0;
    let session: http2.ClientHttp2Session | undefined;
    try {
      deadline.throwIfAborted();
      session = this.http2?.ready() ?? (await abortable(this.session(), deadline.signal));
      return await new Promise<KubeResponse>((resolve, reject) => {
        const onResponse = (res: KubeAnswer) => {
          statusCode = res.statusCode ?? 0;
          readBody(res, this.settings.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES)
            .then((body) => {
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) {
                resolve({ status, contentType: res.headers['content-type'] ?? '', body });
              } else {
                reject(statusErrorOf(res, body, request.what));
              }
            })
            .catch(reject);
        };
        const req = session
          ? this.send({ ...request, signal: undefined }, this.agent, onResponse, session)
          : this.send({ ...request, signal: deadline.signal }, this.agent, onResponse, undefined);
        req.on('error', reject);
        deadline.onAbort((reason) => req.destroy(abortError(reason)));
        req.end(request.body);
      });
    } catch (error) {
      // A connection that let a request time out may be dead: find out before it is used again.
      if (session && deadline.timedOut) this.http2?.suspect(session);
      return fail(error);
    } finally {
      deadline.dispose();
      release();
      this.observe(request.verb, statusCode);
    }
  }

  private observe(verb: string, statusCode: number): void {
    try {
      this.observer?.(verb, statusCode);
    } catch {
      // Metrics must never fail a request.
    }
  }

  private send(
    request: Omit<KubeRequest, 'what'> & { what?: string },
    agent: http.Agent,
    onResponse: (res: KubeAnswer) => void,
    session: http2.ClientHttp2Session | undefined,
  ): KubeExchange {
    const headers: Record<string, string> = {
      ...this.headers,
      Accept: request.accept ?? 'application/json',
      'User-Agent': USER_AGENT,
    };
    if (request.body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(request.body));
    }
    const target = requestTarget(this.basePath, request.path, request.query);
    if (session) return sendHttp2(session, target, request, headers, onResponse);
    const options: https.RequestOptions = {
      path: target,
      method: request.method,
      agent,
      headers,
      signal: request.signal,
      ...this.tlsOptions,
    };
    return this.base.protocol === 'https:'
      ? https.request(this.base, options, onResponse)
      : http.request(this.base, options, onResponse);
  }
}

/** One request as a stream of the cluster's HTTP/2 session. */
function sendHttp2(
  session: http2.ClientHttp2Session,
  target: string,
  request: Pick<KubeRequest, 'method' | 'signal' | 'body'>,
  headers: Readonly<Record<string, string>>,
  onResponse: (res: KubeAnswer) => void,
): KubeExchange {
  const outgoing: http2.OutgoingHttpHeaders = {
    ':method': request.method,
    ':path': target,
  };
  for (const [name, value] of Object.entries(headers)) outgoing[name.toLowerCase()] = value;
  // Node ends GET and DELETE streams at once unless told otherwise; a DELETE carries DeleteOptions.
  const stream = session.request(outgoing, {
    endStream: request.body === undefined,
    ...(request.signal ? { signal: request.signal } : {}),
  });
  // Callers listen for errors themselves; this one only keeps a stray error from crashing the process.
  stream.on('error', () => undefined);
  let answered = false;
  // A stream of a connection that went away closes without an error: fail it as HTTP/1.1 would.
  stream.once('close', () => {
    if (!answered) stream.emit('error', connectionLost());
  });
  stream.once('response', (answer) => {
    answered = true;
    onResponse(
      Object.assign(stream, {
        statusCode: Number(answer[':status']),
        headers: answer as http.IncomingHttpHeaders,
      }),
    );
  });
  return stream;
}

function connectionLost(): Error {
  return Object.assign(new Error('the connection closed before an answer'), { code: 'ECONNRESET' });
}

/** `promise`, or a rejection as soon as `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/**
 * The end of one request: after `ms`, or when `parent` aborts. Cheaper than
 * an AbortController per request (and than AbortSignal.timeout and
 * AbortSignal.any, which would hold each request's signals for the whole
 * timeout, tens of thousands of them in a fleet-wide sync): the signal is
 * made only for a caller that needs one, and `dispose` lets go of the timer
 * and the listener as soon as the request is over.
 */
class Deadline {
  private expired = false;
  private reason: unknown;
  private ended = false;
  private controller: AbortController | undefined;
  private callback: ((reason: unknown) => void) | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    ms: number,
    private readonly parent: AbortSignal | undefined,
  ) {
    this.timer = setTimeout(() => {
      this.expired = true;
      this.end(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
    }, ms);
    this.timer.unref();
    if (parent?.aborted) this.end(parent.reason);
    else if (parent) followersOf(parent).add(this);
  }

  /** True when the request ran out of time (not when its caller cancelled it). */
  get timedOut(): boolean {
    return this.expired;
  }

  /** A signal that aborts with the deadline (made on first use). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.ended) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Calls `callback` when the deadline passes or the parent aborts (at once if it did). */
  onAbort(callback: (reason: unknown) => void): void {
    if (this.ended) callback(this.reason);
    else this.callback = callback;
  }

  throwIfAborted(): void {
    if (this.ended) throw abortError(this.reason);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.callback = undefined;
    if (this.parent) deadlinesOf.get(this.parent)?.delete(this);
  }

  /** Ends the request (its time ran out, or its caller cancelled it). */
  end(reason: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.reason = reason;
    this.controller?.abort(reason);
    this.callback?.(reason);
  }
}

/**
 * The requests in flight of each caller's signal. One listener per signal
 * ends them all: a sync pass sends many requests at once, and a listener
 * each would be EventTarget work per request and, past ten, Node's
 * "possible memory leak" warning for a signal that leaks nothing.
 */
const deadlinesOf = new WeakMap<AbortSignal, Set<Deadline>>();

function followersOf(signal: AbortSignal): Set<Deadline> {
  let followers = deadlinesOf.get(signal);
  if (!followers) {
    const created = new Set<Deadline>();
    signal.addEventListener(
      'abort',
      () => {
        for (const deadline of [...created]) deadline.end(signal.reason);
        created.clear();
      },
      { once: true },
    );
    deadlinesOf.set(signal, created);
    followers = created;
  }
  return followers;
}

/** The error a request ends with when it is aborted, as Node's own abort gives it. */
function abortError(reason: unknown): Error {
  return Object.assign(new Error('The operation was aborted', { cause: reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR',
  });
}
