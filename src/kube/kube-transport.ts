/**
 * HTTP to one cluster's API server: TLS material and credentials come from
 * a KubeConfig built from the stored `ClusterAccess` (client-node's own
 * loader), the wire is Node's http(s) with one keep-alive agent per cluster.
 * We do not use client-node's generated clients here because they
 * deserialise into typed models (dates become `Date`, unknown fields of
 * known kinds are dropped), which would corrupt diffs and server-side apply
 * bodies; the API is plain JSON and is kept plain.
 *
 * Every request has a deadline that covers the wait for a slot too, and at
 * most `concurrency` requests per cluster are in flight, so a slow or
 * hanging cluster only ever blocks its own callers. Watches use a separate
 * agent and do not take slots.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { createSecureContext } from 'node:tls';
import { setTimeout as delay } from 'node:timers/promises';
import { ClusterAccess } from './cluster-access';
import { KubeApiError, transportFailure } from './kube-failure';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  cancelled,
  readBody,
  statusErrorOf,
  streamLines,
  throttleWaitMs,
} from './kube-http';
import { kubeConfigFor } from './kube-config';
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

  private constructor(
    private readonly base: URL,
    private readonly tlsOptions: https.AgentOptions,
    private readonly headers: Readonly<Record<string, string>>,
    private readonly agent: http.Agent,
    private readonly watchAgent: http.Agent,
    readonly settings: TransportSettings,
  ) {
    this.slots = new Semaphore(settings.concurrency);
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
    const tlsOptions: https.AgentOptions = {
      secureContext: createSecureContext({ ca: options.ca, cert: options.cert, key: options.key }),
      rejectUnauthorized: options.rejectUnauthorized ?? true,
    };
    const secure = base.protocol === 'https:';
    const makeAgent = (extra: http.AgentOptions) =>
      secure ? new https.Agent({ ...tlsOptions, ...extra }) : new http.Agent(extra);
    return new KubeTransport(
      base,
      secure ? tlsOptions : {},
      headers,
      makeAgent({ keepAlive: true, maxSockets: settings.concurrency, timeout: 60_000 }),
      makeAgent({ keepAlive: false }),
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
      (onResponse) => this.send({ ...request, method: 'GET' }, this.watchAgent, onResponse),
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
  }

  private async attempt(request: KubeRequest, deadline: number): Promise<KubeResponse> {
    const timeoutMs = this.settings.requestTimeoutMs;
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      throw new KubeApiError(transportFailure(undefined, request.what, true, timeoutMs));
    }
    const timeout = AbortSignal.timeout(remaining);
    const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
    const fail = (error: unknown): never => {
      if (error instanceof KubeApiError) throw error;
      if (request.signal?.aborted) throw cancelled(request.what);
      throw new KubeApiError(transportFailure(error, request.what, timeout.aborted, timeoutMs));
    };
    const release = await this.slots.acquire(signal).catch(fail);
    let statusCode = 0;
    try {
      return await new Promise<KubeResponse>((resolve, reject) => {
        const req = this.send({ ...request, signal }, this.agent, (res) => {
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
        });
        req.on('error', reject);
        req.end(request.body);
      });
    } catch (error) {
      return fail(error);
    } finally {
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
    onResponse: (res: http.IncomingMessage) => void,
  ): http.ClientRequest {
    const url = new URL(this.base.href);
    url.pathname = `${this.base.pathname.replace(/\/+$/, '')}${request.path}`;
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = {
      ...this.headers,
      Accept: request.accept ?? 'application/json',
      'User-Agent': USER_AGENT,
    };
    if (request.body !== undefined) {
      headers['Content-Type'] = request.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(request.body));
    }
    const options: https.RequestOptions = {
      method: request.method,
      agent,
      headers,
      signal: request.signal,
      ...this.tlsOptions,
    };
    return url.protocol === 'https:'
      ? https.request(url, options, onResponse)
      : http.request(url, options, onResponse);
  }
}
