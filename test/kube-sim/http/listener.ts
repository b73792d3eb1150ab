/**
 * A listening socket (HTTPS with the run's certificate, or plain HTTP) on
 * 127.0.0.1 that can be closed and reopened on the same port: a dedicated
 * per-cluster listener closes while its cluster is "down", so connections are
 * refused as they would be by a stopped API server.
 */
import {
  IncomingMessage,
  Server,
  ServerResponse,
  createServer as createHttpServer,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createSecureServer } from 'node:http2';
import { Socket } from 'node:net';
import { TlsMaterial } from '../security/tls';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export class Listener {
  private server?: Server | ReturnType<typeof createSecureServer>;
  private readonly sockets = new Set<Socket>();
  private boundPort = 0;
  private acceptedCount = 0;

  constructor(
    private readonly onRequest: RequestListener,
    private readonly tls: TlsMaterial | undefined,
    /** Offer HTTP/2 through ALPN (with TLS only), as kube-apiserver does; HTTP/1.1 clients still work. */
    private readonly http2 = false,
  ) {}

  /** The port, once listening (kept while closed, for reopening). */
  get port(): number {
    return this.boundPort;
  }

  /** Connections accepted since the listener was created (reopening included). */
  get accepted(): number {
    return this.acceptedCount;
  }

  get listening(): boolean {
    return !!this.server?.listening;
  }

  /** Listens on `port` (0: any free port) at 127.0.0.1. */
  async open(port = this.boundPort): Promise<void> {
    if (this.server?.listening) return;
    const server = this.tls ? this.secureServer(this.tls) : createHttpServer(this.onRequest);
    if (!(this.tls && this.http2)) {
      // Clients keep connections for many requests (client-go, the benchmarks). (An https server
      // is no `instanceof http.Server`, hence the test on the options.)
      const http1 = server as Server;
      http1.keepAliveTimeout = 60_000;
      http1.headersTimeout = 65_000;
      http1.requestTimeout = 0;
    }
    server.on('connection', (socket: Socket) => {
      this.acceptedCount++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : port;
  }

  private secureServer(tls: TlsMaterial): Server | ReturnType<typeof createSecureServer> {
    const credentials = { key: tls.keyPem, cert: tls.certPem };
    if (!this.http2) return createHttpsServer(credentials, this.onRequest);
    // The compatibility API hands HTTP/2 streams to the same handler as HTTP/1.1 requests.
    return createSecureServer(
      { ...credentials, allowHTTP1: true },
      this.onRequest as unknown as Parameters<typeof createSecureServer>[1],
    );
  }

  /** Stops accepting and drops every open connection. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await closed;
  }
}
