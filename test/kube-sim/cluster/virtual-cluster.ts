/**
 * One virtual cluster: its identity and credentials, its API state (store,
 * served types, allocators), its simulated controllers, the faults it
 * injects, the log of what it was asked, and out-of-band object access. It
 * starts with the namespaces every cluster has (default, kube-system,
 * kube-public, kube-node-lease).
 */
import { randomUUID } from 'node:crypto';
import { ResourceRegistry } from '../api/resource-registry';
import { ControllerManager } from '../controllers/controller-manager';
import { writeObject } from '../controllers/controller-writes';
import { WorkQueue } from '../controllers/work-queue';
import { ClusterFaults, seededRandom } from '../faults/faults';
import { RequestLog } from '../faults/request-log';
import { ServiceAllocator } from '../objects/write-strategy';
import { ObjectStore } from '../store/object-store';
import { ApiContext, Reply, ResourceRequest } from '../verbs/api-context';
import { serveResource } from '../verbs/dispatch';
import { WatchSink, openWatch } from '../verbs/watch';
import { ObjectEditor } from './object-editor';

export interface VirtualClusterOptions {
  readonly id: string;
  readonly name: string;
  readonly token: string;
  /** Watch events kept for resumption. */
  readonly watchHistory: number;
  /** Requests kept in the log (counters count all). */
  readonly requestLogLimit: number;
  readonly readinessDelayMs: number;
  readonly nodes: number;
  readonly seed: number;
  readonly bookmarkIntervalMs: number;
}

const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class VirtualCluster {
  readonly id: string;
  readonly name: string;
  readonly token: string;
  /** The user the token authenticates as (named in 403 messages). */
  readonly user: string;
  /** Base URL clients use (`https://127.0.0.1:PORT/clusters/<id>`), set once listening. */
  server = '';
  /** Base64 PEM of the CA that signed the server certificate (kubeconfig form); undefined for plain HTTP. */
  caData: string | undefined;
  /** Current faults; assign members (or call `faults.set`) while the cluster runs. */
  readonly faults = new ClusterFaults();
  readonly log: RequestLog;
  readonly objects: ObjectEditor;
  /** Time from a spec change to ready for the simulated controllers (0: at once). */
  readinessDelayMs: number;
  /** Nodes DaemonSets run on. */
  nodes: number;
  /** The last error a simulated controller hit (controllers never fail requests). */
  lastControllerError: unknown;
  readonly random: () => number;
  readonly ctx: ApiContext;
  private readonly controllers: ControllerManager;
  private readonly bookmarkIntervalMs: number;

  constructor(options: VirtualClusterOptions) {
    this.id = options.id;
    this.name = options.name;
    this.token = options.token;
    this.user = `system:serviceaccount:kube-system:kube-sim-${options.name}`;
    this.log = new RequestLog(options.requestLogLimit);
    this.readinessDelayMs = options.readinessDelayMs;
    this.nodes = options.nodes;
    this.random = seededRandom(options.seed);
    this.bookmarkIntervalMs = options.bookmarkIntervalMs;
    this.ctx = {
      store: new ObjectStore(options.watchHistory),
      registry: new ResourceRegistry(),
      allocator: new ServiceAllocator(),
      now: () => new Date(),
      newUid: () => randomUUID(),
      nameSuffix: () =>
        Array.from(
          { length: 5 },
          () => NAME_ALPHABET[Math.floor(Math.random() * NAME_ALPHABET.length)],
        ).join(''),
    };
    this.objects = new ObjectEditor(this.ctx);
    const queue = new WorkQueue((error) => {
      this.lastControllerError = error;
    });
    this.controllers = new ControllerManager(
      this.ctx,
      () => ({ readinessDelayMs: this.readinessDelayMs, nodes: this.nodes }),
      queue,
    );
    this.controllers.start();
    this.bootstrap();
  }

  /** Answers a non-watch resource request. */
  serve(request: ResourceRequest): Reply {
    return serveResource(this.ctx, request);
  }

  /** Opens a watch; returns the function that stops it. */
  watch(request: ResourceRequest, sink: WatchSink): () => void {
    return openWatch(this.ctx, request, sink, { bookmarkIntervalMs: this.bookmarkIntervalMs });
  }

  /** Stops the controllers (pending timers are dropped). */
  stop(): void {
    this.controllers.stop();
  }

  private bootstrap(): void {
    const type = this.ctx.registry.byKind('', 'v1', 'Namespace');
    if (!type) throw new Error('kube-sim: Namespace type missing from the built-in table');
    for (const name of SYSTEM_NAMESPACES) {
      writeObject(
        this.ctx,
        type,
        undefined,
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        'kube-apiserver',
      );
    }
  }
}
