/**
 * A local Git smart-HTTP server for end-to-end specs: `git http-backend`
 * run as CGI behind Node's `http`, on 127.0.0.1, serving every repository
 * under a root directory (`http://127.0.0.1:<port>/<name>`, or `https://`
 * with a certificate given in `tls`). Optional
 * bearer-token or basic auth (401 without), switches to fail every request
 * (HTTP 500), to hang, or to stop listening (connection refused), and a log
 * of requests so specs can count fetches.
 *
 *   const server = await GitHttpServer.start({ root, auth: { bearerToken: 's3cret' } });
 *   const repo = await TestGitRepo.create({ parentDir: root, name: 'apps' });
 *   await cache.resolveRevision(server.url('apps'), 'main');
 *   expect(server.fetchCount('apps')).toBe(1);
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** Credentials the server demands; without them every request is served. */
export interface GitHttpAuth {
  readonly bearerToken?: string;
  readonly basic?: { readonly username: string; readonly password: string };
}

export interface GitHttpServerOptions {
  /** Directory whose sub-directories are the served repositories (bare or not). */
  readonly root: string;
  readonly auth?: GitHttpAuth;
  /** Serve HTTPS with this certificate (for 127.0.0.1) and key. */
  readonly tls?: { readonly certPem: string; readonly keyPem: string };
}

/** One request the server received. */
export interface GitHttpRequestRecord {
  readonly method: string;
  /** Path below the server, e.g. `/apps/info/refs`. */
  readonly path: string;
  readonly query: string;
  /** Value of the `Authorization` header, if any. */
  readonly authorization?: string;
  readonly status: number;
}

/** How the server answers: normally, with an HTTP 500, or never. */
export type GitHttpFailure = 'none' | 'http-500' | 'hang';

const BACKEND = path.join(
  execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(),
  'git-http-backend',
);

export class GitHttpServer {
  /** Every request received, oldest first. */
  readonly requests: GitHttpRequestRecord[] = [];
  private failure: GitHttpFailure = 'none';
  private server: Server | undefined;

  private constructor(
    private readonly options: GitHttpServerOptions,
    private listeningPort = 0,
  ) {}

  /** Starts a server on a free loopback port. */
  static async start(options: GitHttpServerOptions): Promise<GitHttpServer> {
    const server = new GitHttpServer(options);
    await server.listen();
    return server;
  }

  get port(): number {
    return this.listeningPort;
  }

  /** URL of the repository in directory `name` under the root. */
  url(name: string): string {
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${this.listeningPort}/${name}`;
  }

  /** Makes every following request fail (`http-500`), hang, or succeed again (`none`). */
  failWith(failure: GitHttpFailure): void {
    this.failure = failure;
  }

  /**
   * Number of git fetches (and ls-remotes) of repository `name`, or of all
   * repositories: each starts with exactly one `GET info/refs?service=git-upload-pack`.
   */
  fetchCount(name?: string): number {
    const prefix = name === undefined ? '' : `/${name}/`;
    return this.requests.filter(
      (r) =>
        r.method === 'GET' &&
        r.path.startsWith(prefix) &&
        r.path.endsWith('/info/refs') &&
        r.query.includes('service=git-upload-pack'),
    ).length;
  }

  /** Stops listening and drops open connections: clients now get "connection refused". */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port after `stop`. */
  async restart(): Promise<void> {
    if (!this.server) await this.listen();
  }

  private async listen(): Promise<void> {
    const handler = (request: IncomingMessage, response: ServerResponse) =>
      this.handle(request, response);
    const tls = this.options.tls;
    const server: Server = tls
      ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, handler)
      : createServer(handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listeningPort, '127.0.0.1', () => resolve());
    });
    this.listeningPort = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const record = (status: number): void => {
      this.requests.push({
        method: request.method ?? 'GET',
        path: url.pathname,
        query: url.search.slice(1),
        authorization: request.headers.authorization,
        status,
      });
    };
    if (this.failure === 'hang') return record(0);
    if (this.failure === 'http-500') {
      record(500);
      response.writeHead(500, { 'content-type': 'text/plain' }).end('injected failure');
      return;
    }
    if (!this.authorized(request.headers.authorization)) {
      record(401);
      response.writeHead(401, { 'www-authenticate': 'Basic realm="fleetplane-test"' }).end();
      return;
    }
    record(200);
    this.runBackend(request, response, url);
  }

  private authorized(header: string | undefined): boolean {
    const auth = this.options.auth;
    if (!auth) return true;
    if (auth.bearerToken && header === `Bearer ${auth.bearerToken}`) return true;
    if (auth.basic) {
      const expected = Buffer.from(`${auth.basic.username}:${auth.basic.password}`).toString(
        'base64',
      );
      if (header === `Basic ${expected}`) return true;
    }
    return false;
  }

  /** Runs `git http-backend` as a CGI script for one request. */
  private runBackend(request: IncomingMessage, response: ServerResponse, url: URL): void {
    const child = spawn(BACKEND, [], {
      env: {
        PATH: process.env.PATH,
        HOME: os.tmpdir(),
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_PROJECT_ROOT: this.options.root,
        GIT_HTTP_EXPORT_ALL: '1',
        REQUEST_METHOD: request.method ?? 'GET',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        ...(request.headers['content-length']
          ? { CONTENT_LENGTH: request.headers['content-length'] }
          : {}),
        ...(request.headers['content-encoding']
          ? { HTTP_CONTENT_ENCODING: request.headers['content-encoding'] }
          : {}),
        ...(typeof request.headers['git-protocol'] === 'string'
          ? { GIT_PROTOCOL: request.headers['git-protocol'] }
          : {}),
        REMOTE_ADDR: '127.0.0.1',
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    request.pipe(child.stdin);
    child.stdin.on('error', () => undefined);
    let head = Buffer.alloc(0);
    let headersSent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      const { status, headers } = parseCgiHeaders(head.subarray(0, end).toString('latin1'));
      response.writeHead(status, headers);
      headersSent = true;
      response.write(head.subarray(end + 4));
    });
    child.on('close', () => {
      if (!headersSent) response.writeHead(502).end('git http-backend failed');
      else response.end();
    });
  }
}

function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else headers[name] = value;
  }
  return { status, headers };
}
