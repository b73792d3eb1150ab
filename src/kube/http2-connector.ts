/**
 * One HTTP/2 connection per cluster, when its API server offers it (a real
 * kube-apiserver does, through ALPN, and client-go uses it): every request
 * and every watch of the cluster become streams of that one connection. At
 * fleet scale this matters: over HTTP/1.1 each concurrent request and each
 * watch holds a TLS connection of its own (about 50 KiB of memory and a
 * handshake each), ten or so per cluster; over HTTP/2 it is one.
 *
 * The first connection offers `h2` and `http/1.1`; a server that picks
 * HTTP/1.1 (or plain `http://`) is remembered as such and the caller uses
 * its HTTP/1.1 agent. A connection that closes, fails or receives GOAWAY is
 * replaced on the next request; requests already sent on it fail (as a
 * dropped HTTP/1.1 connection fails them).
 */
import * as http2 from 'node:http2';
import { isIP } from 'node:net';
import * as tls from 'node:tls';

/** What a connection to the cluster needs of its TLS set-up. */
export interface Http2TlsOptions {
  readonly secureContext: tls.SecureContext;
  readonly rejectUnauthorized: boolean;
  /** Longest wait for the TCP and TLS handshakes (a server that accepts and then hangs). */
  readonly connectTimeoutMs: number;
  /**
   * Streams after which a connection is retired for a new one (default 2^30): stream ids are
   * 31 bits and never reused, so a long-lived connection would otherwise run out of them.
   */
  readonly streamsPerConnection?: number;
}

const DEFAULT_STREAMS_PER_CONNECTION = 2 ** 30;

// Flow-control windows as Go's HTTP/2 client (client-go) opens them: with HTTP/2's 64 KiB default
// a large list from a distant cluster would crawl at one window per round trip.
const STREAM_WINDOW_BYTES = 4 * 1024 * 1024;
const CONNECTION_WINDOW_BYTES = 64 * 1024 * 1024;

export class Http2Connector {
  /** `h1` once the server declined HTTP/2; then it is never offered again. */
  private mode: 'unknown' | 'h2' | 'h1';
  private current: http2.ClientHttp2Session | undefined;
  private connecting: Promise<http2.ClientHttp2Session | undefined> | undefined;
  private closed = false;
  private readonly pinging = new WeakSet<http2.ClientHttp2Session>();

  constructor(
    private readonly origin: URL,
    private readonly tlsOptions: Http2TlsOptions,
  ) {
    this.mode = origin.protocol === 'https:' ? 'unknown' : 'h1';
  }

  /** Whether requests go over HTTP/2 (known after the first connection). */
  get protocol(): 'unknown' | 'h2' | 'h1' {
    return this.mode;
  }

  /** The live HTTP/2 session when one can take a request now, without waiting; else undefined. */
  ready(): http2.ClientHttp2Session | undefined {
    const live = this.current;
    if (this.mode === 'h1' || this.closed || !live || live.closed || live.destroyed)
      return undefined;
    return this.streamsUsed(live) < this.streamLimit ? live : undefined;
  }

  /**
   * The live HTTP/2 session, connecting if needed; undefined when the
   * server speaks HTTP/1.1 only. Rejects when the server cannot be reached.
   */
  async session(): Promise<http2.ClientHttp2Session | undefined> {
    if (this.mode === 'h1' || this.closed) return undefined;
    const ready = this.ready();
    if (ready) return ready;
    const live = this.current;
    if (live && !live.closed && !live.destroyed) {
      // Out of stream ids soon: streams in flight finish on it, new ones go to a new connection.
      this.current = undefined;
      live.close();
    }
    this.connecting ??= this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /**
   * A request on `session` timed out: the server may be slow, or the
   * connection dead. A PING tells them apart (as client-go's health check
   * does); without an answer in time the connection is dropped, so the next
   * request opens another instead of waiting on a dead one.
   */
  suspect(session: http2.ClientHttp2Session): void {
    if (this.pinging.has(session) || session.destroyed) return;
    this.pinging.add(session);
    const drop = () => {
      this.pinging.delete(session);
      if (this.current === session) this.current = undefined;
      session.destroy();
    };
    const timer = setTimeout(drop, this.tlsOptions.connectTimeoutMs);
    timer.unref();
    const sent = session.ping((error) => {
      clearTimeout(timer);
      if (error) drop();
      else this.pinging.delete(session);
    });
    if (!sent) {
      clearTimeout(timer);
      drop();
    }
  }

  private get streamLimit(): number {
    return this.tlsOptions.streamsPerConnection ?? DEFAULT_STREAMS_PER_CONNECTION;
  }

  /** Client streams opened on `session` so far (client stream ids are odd, from 1). */
  private streamsUsed(session: http2.ClientHttp2Session): number {
    const next = session.state.nextStreamID ?? 1;
    return (next - 1) / 2;
  }

  /** Closes the connection; streams in flight fail. */
  close(): void {
    this.closed = true;
    this.current?.destroy();
    this.current = undefined;
  }

  private async connect(): Promise<http2.ClientHttp2Session | undefined> {
    const socket = await this.negotiate();
    if (socket.alpnProtocol !== 'h2') {
      socket.destroy();
      this.mode = 'h1';
      return undefined;
    }
    this.mode = 'h2';
    const session = http2.connect(this.origin, {
      createConnection: () => socket,
      settings: { initialWindowSize: STREAM_WINDOW_BYTES },
    });
    session.setLocalWindowSize(CONNECTION_WINDOW_BYTES);
    const forget = () => {
      if (this.current === session) this.current = undefined;
    };
    session.on('close', forget);
    session.on('goaway', forget);
    // Errors reach the streams of the session; the session is only forgotten.
    session.on('error', forget);
    if (this.closed) {
      session.destroy();
      return undefined;
    }
    this.current = session;
    return session;
  }

  /** A TLS connection that offered `h2` and `http/1.1`. */
  private negotiate(): Promise<tls.TLSSocket> {
    const host = this.origin.hostname.replace(/^\[|\]$/g, '');
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        host,
        port: Number(this.origin.port || 443),
        // SNI carries names only, never addresses (RFC 6066).
        ...(isIP(host) ? {} : { servername: host }),
        secureContext: this.tlsOptions.secureContext,
        rejectUnauthorized: this.tlsOptions.rejectUnauthorized,
        ALPNProtocols: ['h2', 'http/1.1'],
      });
      const fail = (error: Error) => {
        socket.destroy();
        reject(error);
      };
      socket.setTimeout(this.tlsOptions.connectTimeoutMs, () =>
        fail(Object.assign(new Error('connection timed out'), { code: 'ETIMEDOUT' })),
      );
      socket.once('error', fail);
      socket.once('secureConnect', () => {
        socket.off('error', fail);
        socket.setTimeout(0);
        resolve(socket);
      });
    });
  }
}
