/**
 * HTTP details of the cluster transport (see kube-transport.ts): reading a
 * bounded answer, turning an error answer into a `KubeApiError`, the wait a
 * throttled answer asks for, and reading a streamed body line by line.
 */
import * as http from 'node:http';
import { Readable } from 'node:stream';
import { KubeApiError, httpFailure, transportFailure } from './kube-failure';

/** An answer being read: an HTTP/1.1 `IncomingMessage` or an HTTP/2 stream with its status and headers. */
export type KubeAnswer = Readable & {
  readonly statusCode?: number;
  readonly headers: http.IncomingHttpHeaders;
};

/** A request being sent: an HTTP/1.1 `ClientRequest` or an HTTP/2 stream. */
export interface KubeExchange {
  end(body?: string): unknown;
  destroy(error?: Error): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Largest answer read by default (64 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The error of a non-2xx answer, with its Status and `Retry-After`. */
export function statusErrorOf(res: KubeAnswer, body: string, what: string): KubeApiError {
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

/** The wait a throttled answer (429/503 with `Retry-After` in seconds) asks for, capped at 60 s. */
export function throttleWaitMs(error: unknown): number | undefined {
  if (!(error instanceof KubeApiError)) return undefined;
  const { statusCode, retryAfter } = error.failure;
  if ((statusCode !== 429 && statusCode !== 503) || retryAfter === undefined) return undefined;
  const seconds = Number(retryAfter);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) * 1000 : undefined;
}

/** The error of a request the caller cancelled. */
export function cancelled(what: string): KubeApiError {
  return new KubeApiError({ kind: 'unknown', message: `${what}: cancelled` });
}

/** Reads a whole answer as UTF-8, refusing more than `maxBytes`. */
export function readBody(res: KubeAnswer, maxBytes: number): Promise<string> {
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
    let ended = false;
    res.on('end', () => {
      ended = true;
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('the answer was cut short')));
    // An HTTP/2 stream whose connection went away closes without 'aborted'.
    res.on('close', () => {
      if (!ended) reject(new Error('the answer was cut short'));
    });
  });
}

/**
 * Sends a streaming request through `start` and calls `onLine` for every
 * line of the body until the server ends it (resolves), the caller aborts
 * (resolves), no byte arrives for `idleTimeoutMs` (rejects with a
 * timeout), or it fails (rejects with a `KubeApiError`).
 */
export function streamLines(
  start: (onResponse: (res: KubeAnswer) => void) => Promise<KubeExchange>,
  request: { readonly signal?: AbortSignal; readonly what: string },
  onLine: (line: string) => void,
  idleTimeoutMs: number,
  observe: (statusCode: number) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let idle: NodeJS.Timeout | undefined;
    let settled = false;
    let req: KubeExchange | undefined;
    const finish = (error?: KubeApiError) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      request.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const onAbort = () => {
      req?.destroy();
      finish();
    };
    // One timer for the whole watch, pushed back at every chunk (a watch of a busy kind gets
    // thousands of them; a new timer each was as many objects for the collector).
    const armIdle = () => {
      if (settled) return;
      if (idle) {
        idle.refresh();
        return;
      }
      idle = setTimeout(() => {
        req?.destroy();
        finish(new KubeApiError(transportFailure(undefined, request.what, true, idleTimeoutMs)));
      }, idleTimeoutMs);
    };
    const opened = start((res) => {
      observe(res.statusCode ?? 0);
      if ((res.statusCode ?? 0) >= 300) {
        void readBody(res, DEFAULT_MAX_RESPONSE_BYTES)
          .then((body) => finish(statusErrorOf(res, body, request.what)))
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
      // Closed without an end: the connection went away (an HTTP/2 session, or a reset).
      res.on('close', () =>
        finish(
          new KubeApiError(
            transportFailure(new Error('the watch was cut short'), request.what, false, 0),
          ),
        ),
      );
      res.on('error', (error) =>
        finish(new KubeApiError(transportFailure(error, request.what, false, 0))),
      );
    });
    const failed = (error: unknown) => {
      if (request.signal?.aborted) return finish();
      if (!settled) observe(0);
      finish(new KubeApiError(transportFailure(error, request.what, false, 0)));
    };
    if (request.signal?.aborted) return onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    armIdle();
    opened.then((exchange) => {
      req = exchange;
      if (settled) return exchange.destroy();
      exchange.on('error', failed);
      exchange.end();
    }, failed);
  });
}
