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
import { setTimeout as delay } from 'node:timers/promises';
import { ClusterAccess } from './cluster-access';
import { KubeApiError, httpFailure, transportFailure } from './kube-failure';
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

const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
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
    const tls: https.AgentOptions = {
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      rejectUnauthorized: options.rejectUnauthorized ?? true,
    };
    const secure = base.protocol === 'https:';
    const makeAgent = (extra: http.AgentOptions) =>
      secure ? new https.Agent({ ...tls, ...extra }) : new http.Agent(extra);
    return new KubeTransport(
      base,
      tls,
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
   * the body until the server ends it (resolves), the caller aborts
   * (resolves), no byte arrives for `idleTimeoutMs` (rejects with a
   * timeout), or it fails (rejects with a `KubeApiError`).
   */
  stream(
    request: Omit<KubeRequest, 'method' | 'body' | 'contentType'>,
    onLine: (line: string) => void,
    idleTimeoutMs: number,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let idle: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (error?: KubeApiError) => {
        if (settled) return;
        settled = true;
        clearTimeout(idle);
        request.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => {
        req.destroy();
        finish();
      };
      const armIdle = () => {
        clearTimeout(idle);
        idle = setTimeout(() => {
          req.destroy();
          finish(new KubeApiError(transportFailure(undefined, request.what, true, idleTimeoutMs)));
        }, idleTimeoutMs);
      };
      const req = this.send({ ...request, method: 'GET' }, this.watchAgent, (res) => {
        this.observe(request.verb, res.statusCode ?? 0);
        if ((res.statusCode ?? 0) >= 300) {
          void readBody(res, DEFAULT_MAX_RESPONSE_BYTES)
            .then((body) => finish(this.statusError(res, body, request.what)))
            .catch((error: unknown) =>
              finish(new KubeApiError(transportFailure(error, request.what, false, 0))),
            );
          return;
        }
        let pending = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          armIdle();
          pending += chunk;
          let newline = pending.indexOf('\n');
          while (newline >= 0) {
            const line = pending.slice(0, newline).trim();
            pending = pending.slice(newline + 1);
            if (line) onLine(line);
            newline = pending.indexOf('\n');
          }
        });
        res.on('end', () => {
          if (pending.trim()) onLine(pending.trim());
          finish();
        });
        res.on('error', (error) =>
          finish(new KubeApiError(transportFailure(error, request.what, false, 0))),
        );
      });
      req.on('error', (error) => {
        if (request.signal?.aborted) return finish();
        if (!settled) this.observe(request.verb, 0);
        finish(new KubeApiError(transportFailure(error, request.what, false, 0)));
      });
      if (request.signal?.aborted) return onAbort();
      request.signal?.addEventListener('abort', onAbort, { once: true });
      armIdle();
      req.end();
    });
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
                reject(this.statusError(res, body, request.what));
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

  private statusError(res: http.IncomingMessage, body: string, what: string): KubeApiError {
    const retryAfter = res.headers['retry-after'];
    return new KubeApiError(
      httpFailure(
        res.statusCode ?? 0,
        body,
        Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        what,
      ),
    );
  }
}

/** The wait a throttled answer asks for, when it is worth retrying at all. */
function throttleWaitMs(error: unknown): number | undefined {
  if (!(error instanceof KubeApiError)) return undefined;
  const { statusCode, retryAfter } = error.failure;
  if ((statusCode !== 429 && statusCode !== 503) || retryAfter === undefined) return undefined;
  const seconds = Number(retryAfter);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) * 1000 : undefined;
}

function cancelled(what: string): KubeApiError {
  return new KubeApiError({ kind: 'unknown', message: `${what}: cancelled` });
}

function readBody(res: http.IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy(new Error(`the answer is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('the answer was cut short')));
  });
}
