/**
 * kube-sim: a Kubernetes API test host. One process serves many virtual
 * clusters, each at its own base URL (`https://127.0.0.1:PORT/clusters/<id>`)
 * with its own bearer token and object store, speaking the Kubernetes REST
 * protocol closely enough that kubectl 1.32 and @kubernetes/client-node work
 * against it unchanged (see docs/kube-sim.md for what is and is not
 * simulated). Test infrastructure only, never a product code path.
 *
 *   const sim = await KubeSim.start({ clusters: 3 });
 *   const [first] = sim.clusters;           // first.server, first.token, first.caData
 *   sim.cluster('sim-1').faults.errorRate = 0.5;
 *   await sim.stop();
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { IncomingMessage, ServerResponse } from 'node:http';
import { kubeconfigYaml } from './cluster/kubeconfig';
import { VirtualCluster } from './cluster/virtual-cluster';
import { Listener } from './http/listener';
import { RequestHandler } from './http/request-handler';
import { TlsMaterial, generateTlsMaterial } from './security/tls';

export type { VirtualCluster as SimCluster } from './cluster/virtual-cluster';
export type { ObjectRef } from './cluster/object-editor';
export type { FaultSettings, DenyRule } from './faults/faults';
export type { LoggedRequest, VerbCounters, RequestFilter } from './faults/request-log';
export type { KubeObject } from './api/kube-object';

export interface KubeSimOptions {
  /** Virtual clusters to start with (default 1). */
  readonly clusters?: number;
  /** HTTPS with a per-run CA (default true); false serves plain HTTP (benchmarks). */
  readonly tls?: boolean;
  /**
   * Offer HTTP/2 through ALPN, as kube-apiserver does (default true; TLS
   * only): clients that speak it (kubectl, Fleetplane) then share one
   * connection per cluster; HTTP/1.1 clients are served as before.
   */
  readonly http2?: boolean;
  /** Port of the shared listener (default 0: any free port). */
  readonly port?: number;
  /**
   * `per-cluster` (default): each cluster also gets a port of its own, which
   * its `server` URL uses, so "down" and `removeCluster` refuse connections
   * as a stopped API server does. `shared`: every cluster on the one port,
   * told apart by path (what the CLI serves on `--port`); "down" then drops
   * connections unanswered instead.
   */
  readonly listeners?: 'shared' | 'per-cluster';
  /** Time from a spec change to ready for the simulated controllers (default 50 ms; 0: at once). */
  readonly readinessDelayMs?: number;
  /** Nodes DaemonSets run on (default 1). */
  readonly nodes?: number;
  /** Watch events kept per cluster for resumption (default 1000). */
  readonly watchHistory?: number;
  /** Requests kept in each cluster's log (default 1000; counters count all). */
  readonly requestLogLimit?: number;
  /** Seed of the fault generator (default 1), for repeatable failure fractions. */
  readonly seed?: number;
  /** Interval of watch bookmarks for clients that allow them (default 60 s). */
  readonly bookmarkIntervalMs?: number;
}

const DEFAULTS = {
  clusters: 1,
  tls: true,
  http2: true,
  port: 0,
  listeners: 'per-cluster',
  readinessDelayMs: 50,
  nodes: 1,
  watchHistory: 1000,
  requestLogLimit: 1000,
  seed: 1,
  bookmarkIntervalMs: 60_000,
} as const;

export class KubeSim {
  private readonly byId = new Map<string, VirtualCluster>();
  private readonly byToken = new Map<string, VirtualCluster>();
  private readonly dedicated = new Map<string, Listener>();
  private readonly handler: RequestHandler;
  private readonly shared: Listener;
  private nextIndex = 0;

  private constructor(
    private readonly options: Required<KubeSimOptions>,
    private readonly tlsMaterial: TlsMaterial | undefined,
  ) {
    this.handler = new RequestHandler({
      byId: (id) => this.byId.get(id),
      byToken: (token) => this.byToken.get(token),
    });
    this.shared = new Listener(this.listener(), tlsMaterial, options.http2);
  }

  /** Starts the listener(s) and the initial clusters. */
  static async start(options: KubeSimOptions = {}): Promise<KubeSim> {
    const resolved = { ...DEFAULTS, ...options } as Required<KubeSimOptions>;
    const tls = resolved.tls ? await generateTlsMaterial() : undefined;
    const sim = new KubeSim(resolved, tls);
    await sim.shared.open(resolved.port);
    for (let i = 0; i < resolved.clusters; i++) await sim.addCluster();
    return sim;
  }

  /** The running clusters, in creation order. */
  get clusters(): VirtualCluster[] {
    return [...this.byId.values()];
  }

  /** PEM of the run's CA (undefined for plain HTTP). */
  get caPem(): string | undefined {
    return this.tlsMaterial?.caPem;
  }

  /** The shared listener's port. */
  get port(): number {
    return this.shared.port;
  }

  /** A cluster by id (`c0`) or name (`sim-0`); throws when there is none. */
  cluster(idOrName: string): VirtualCluster {
    const found = this.byId.get(idOrName) ?? this.clusters.find((c) => c.name === idOrName);
    if (!found)
      throw new Error(
        `kube-sim: no cluster "${idOrName}" (have ${this.clusters.map((c) => c.name).join(', ')})`,
      );
    return found;
  }

  /** Adds a cluster at run time (name defaults to `sim-<n>`). */
  async addCluster(name?: string): Promise<VirtualCluster> {
    const index = this.nextIndex++;
    const id = `c${index}`;
    const cluster = new VirtualCluster({
      id,
      name: name ?? `sim-${index}`,
      token: randomBytes(24).toString('hex'),
      watchHistory: this.options.watchHistory,
      requestLogLimit: this.options.requestLogLimit,
      readinessDelayMs: this.options.readinessDelayMs,
      nodes: this.options.nodes,
      seed: this.options.seed + index,
      bookmarkIntervalMs: this.options.bookmarkIntervalMs,
    });
    if (this.clusters.some((c) => c.name === cluster.name)) {
      cluster.stop();
      throw new Error(`kube-sim: a cluster named "${cluster.name}" already exists`);
    }
    let port = this.shared.port;
    if (this.options.listeners === 'per-cluster') {
      const listener = new Listener(this.listener(cluster), this.tlsMaterial, this.options.http2);
      await listener.open(0);
      this.dedicated.set(id, listener);
      port = listener.port;
      cluster.faults.onDownChanged = (down) => (down ? listener.close() : listener.open());
    }
    const scheme = this.tlsMaterial ? 'https' : 'http';
    cluster.server = `${scheme}://127.0.0.1:${port}/clusters/${id}`;
    cluster.caData = this.tlsMaterial
      ? Buffer.from(this.tlsMaterial.caPem).toString('base64')
      : undefined;
    this.byId.set(id, cluster);
    this.byToken.set(cluster.token, cluster);
    return cluster;
  }

  /**
   * Connections accepted by a cluster's own listener (per-cluster listeners
   * only): how tests see that clients share connections.
   */
  connectionsAccepted(idOrName: string): number {
    const listener = this.dedicated.get(this.cluster(idOrName).id);
    if (!listener)
      throw new Error('kube-sim: connections are counted on per-cluster listeners only');
    return listener.accepted;
  }

  /** Removes a cluster: its URL answers 404 (or refuses connections, with a dedicated listener). */
  async removeCluster(idOrName: string): Promise<void> {
    const cluster = this.cluster(idOrName);
    this.byId.delete(cluster.id);
    this.byToken.delete(cluster.token);
    cluster.stop();
    await this.dedicated.get(cluster.id)?.close();
    this.dedicated.delete(cluster.id);
  }

  /** A kubeconfig with one context per cluster, named after it. */
  kubeconfig(): string {
    return kubeconfigYaml(
      this.clusters.map((c) => ({
        name: c.name,
        server: c.server,
        token: c.token,
        caData: c.caData,
      })),
    );
  }

  async writeKubeconfig(path: string): Promise<void> {
    await writeFile(path, this.kubeconfig(), { mode: 0o600 });
  }

  /** Stops every listener and cluster; hanging requests are dropped. */
  async stop(): Promise<void> {
    for (const res of this.handler.hanging) res.destroy();
    await Promise.all([this.shared.close(), ...[...this.dedicated.values()].map((l) => l.close())]);
    for (const cluster of this.clusters) cluster.stop();
    this.byId.clear();
    this.byToken.clear();
  }

  private listener(only?: VirtualCluster) {
    return (req: IncomingMessage, res: ServerResponse) => {
      void this.handler.handle(req, res, only);
    };
  }
}
