/**
 * Plain HTTPS requests to a kube-sim cluster (its CA, its bearer token), for
 * what the clients hide: status codes and headers of faults, aggregated
 * discovery, connection-level failures (refused, dropped, never answered).
 */
import { IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { VirtualCluster } from '../cluster/virtual-cluster';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface RawOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** Bearer token; the cluster's own by default, '' for none. */
  readonly token?: string;
  /** Abort (rejecting with an AbortError) after this long; none by default. */
  readonly timeoutMs?: number;
}

/** One request to `cluster.server + path`; rejects on connection errors (the `code` tells which). */
export function rawRequest(
  cluster: Pick<VirtualCluster, 'server' | 'token' | 'caData'>,
  path: string,
  options: RawOptions = {},
): Promise<RawResponse> {
  const url = new URL(cluster.server + path);
  const token = options.token ?? cluster.token;
  const headers: Record<string, string> = { ...options.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: options.method ?? 'GET',
        headers,
        ca: cluster.caData ? Buffer.from(cluster.caData, 'base64').toString('utf8') : undefined,
        agent: false,
        signal: options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: <T>() => JSON.parse(text) as T,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The error code a request fails with (`ECONNREFUSED`, `ECONNRESET`, `ABORT_ERR`...). */
export async function connectionError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const { code, name } = error as { code?: string; name?: string };
    return code ?? name ?? String(error);
  }
  throw new Error('expected the request to fail at the connection level');
}
