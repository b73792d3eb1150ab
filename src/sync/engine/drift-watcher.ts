/**
 * The drift watcher (`DriftWatcher`): per cluster, one list-and-watch per
 * kind Fleetplane manages there (learnt from the executor's comparisons and
 * syncs, plus any the caller names), reporting `{clusterName, appName}` from
 * the tracking annotation of an object that changed behind Fleetplane's
 * back: an edit of anything but status, a deletion, or a tracking
 * annotation added or removed. Fleetplane's own writes are recognised from
 * `managedFields` and not reported. A status update that changes the
 * object's health is reported too (as `health`): a sync ends once its last
 * wave is applied, and the Application's health follows its objects from
 * then on, without waiting for the periodic comparison. Watches restart with backoff (see
 * `watchKind`); the control half also compares periodically, so a lost
 * watch only delays detection. What the watches see also fills the live
 * cache (before drift is reported, so the pass it starts reads the change).
 */
import { Logger } from '@nestjs/common';
import { ClusterClient } from '../../kube/cluster-client';
import { ClusterClientPool } from '../../kube/cluster-client-pool';
import { KindWatchHandle, KindWatchOptions, watchKind } from '../../kube/kind-watch';
import { KubeObject, refOf } from '../manifests/kube-object';
import { trackedAppOf } from '../manifests/tracking';
import { clientOf } from './cluster-clients';
import { driftFingerprint, managerStamps, onlyFleetplaneChanged } from './drift-fingerprint';
import {
  DriftEvent,
  DriftWatchHandle,
  DriftWatchOptions,
  DriftWatcher,
  SyncCluster,
  WatchedKind,
} from './engine.types';
import { assessHealth } from '../health/assess-health';
import { HealthStatusCode } from '../health/health-status';
import { LiveCache } from './live-cache';
import { ManagedKinds } from './managed-kinds';

/** What is remembered of one tracked object. */
interface Seen {
  readonly appName: string;
  readonly fingerprint: string;
  /** See `managerStamps`. */
  readonly managers: string;
  readonly health: HealthStatusCode;
}

const UNKNOWN_KIND_RETRY_MS = 30_000;

export class KubeDriftWatcher implements DriftWatcher {
  private readonly logger = new Logger('DriftWatcher');

  constructor(
    private readonly pool: ClusterClientPool,
    private readonly managedKinds: ManagedKinds,
    private readonly options: KindWatchOptions = {},
    private readonly cache?: LiveCache,
  ) {}

  watch(
    cluster: SyncCluster,
    onDrift: (event: DriftEvent) => void,
    options: DriftWatchOptions = {},
  ): DriftWatchHandle {
    const session = new ClusterDriftSession(
      cluster,
      onDrift,
      this.options,
      this.logger,
      this.cache,
    );
    const unsubscribe = this.managedKinds.subscribe(cluster.name, (kinds) => session.add(kinds));
    clientOf(this.pool, cluster).then(
      (client) => {
        session.start(client);
        session.add([...this.managedKinds.kindsOf(cluster.name), ...(options.kinds ?? [])]);
      },
      (error: unknown) => {
        session.unlisted();
        this.logger.warn(`drift watch of ${cluster.name} could not start: ${String(error)}`);
      },
    );
    return {
      stop: () => {
        unsubscribe();
        session.stop();
      },
      watchKinds: (kinds) => session.add(kinds),
    };
  }
}

/** The watches of one cluster. */
class ClusterDriftSession {
  private client: ClusterClient | undefined;
  private readonly pending: WatchedKind[] = [];
  private readonly watches = new Map<string, KindWatchHandle>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    private readonly cluster: SyncCluster,
    private readonly onDrift: (event: DriftEvent) => void,
    private readonly options: KindWatchOptions,
    private readonly logger: Logger,
    private readonly cache?: LiveCache,
  ) {}

  start(client: ClusterClient): void {
    this.client = client;
    this.add(this.pending.splice(0));
  }

  add(kinds: readonly WatchedKind[]): void {
    if (this.stopped) return;
    if (!this.client) {
      for (const kind of kinds) this.listing(kind);
      this.pending.push(...kinds);
      return;
    }
    for (const kind of kinds) {
      const key = `${kind.group}/${kind.kind}`;
      if (this.watches.has(key)) continue;
      this.listing(kind);
      // Reserve the slot at once so concurrent adds of one kind start one watch.
      this.watches.set(key, { stop: () => undefined, done: Promise.resolve() });
      void this.startKind(key, kind);
    }
  }

  /** Reads of a kind about to be watched may wait for its list rather than read the cluster themselves. */
  private listing(kind: WatchedKind): void {
    this.cache?.listing(this.cluster.name, kind.group, kind.kind);
  }

  /** The watches cannot start (no client): nothing waits for their lists. */
  unlisted(): void {
    for (const kind of this.pending.splice(0))
      this.cache?.lostKind(this.cluster.name, kind.group, kind.kind);
  }

  stop(): void {
    this.stopped = true;
    this.cache?.forgetCluster(this.cluster.name);
    for (const watch of this.watches.values()) watch.stop();
    for (const timer of this.timers) clearTimeout(timer);
    this.watches.clear();
  }

  private async startKind(key: string, kind: WatchedKind): Promise<void> {
    const client = this.client!;
    let type;
    try {
      const apiVersion = kind.group ? `${kind.group}/${kind.version}` : kind.version;
      type = await client
        .resourceType(apiVersion, kind.kind)
        .catch(() => client.resourceType(kind.group ? `${kind.group}/` : '', kind.kind));
    } catch {
      // Not served (yet), or the cluster is unreachable: try again later.
      this.cache?.lostKind(this.cluster.name, kind.group, kind.kind);
      this.watches.delete(key);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.add([kind]);
      }, UNKNOWN_KIND_RETRY_MS);
      timer.unref();
      this.timers.add(timer);
      return;
    }
    if (this.stopped) return;
    const seen = new Map<string, Seen>();
    let seeded = false;
    const handle = watchKind(
      client,
      type,
      {
        onSync: (objects) => {
          this.cache?.resetKind(this.cluster.name, type, objects);
          const present = new Set<string>();
          for (const object of objects) {
            const id = idOf(object);
            present.add(id);
            this.observe(seen, id, object, seeded);
          }
          for (const [id, previous] of seen) {
            if (present.has(id)) continue;
            seen.delete(id);
            if (seeded) this.report(previous.appName);
          }
          seeded = true;
        },
        onEvent: (event, object) => {
          const id = idOf(object);
          if (event === 'DELETED') {
            this.cache?.removed(
              this.cluster.name,
              refOf(object),
              String(object.metadata.resourceVersion ?? ''),
            );
            const previous = seen.get(id);
            seen.delete(id);
            const appName = previous?.appName ?? trackedAppOf(object);
            if (appName) this.report(appName);
            return;
          }
          this.cache?.observe(this.cluster.name, object);
          this.observe(seen, id, object, true);
        },
        onError: (failure, retryInMs) => {
          this.cache?.lostKind(this.cluster.name, type.group, type.kind);
          this.logger.debug?.(
            `watch of ${kind.kind} on ${this.cluster.name} failed (${failure.message}); retrying in ${Math.round(retryInMs)} ms`,
          );
        },
      },
      this.options,
    );
    if (this.stopped) handle.stop();
    else this.watches.set(key, handle);
  }

  /** Remembers an object and reports it when it changed behind Fleetplane's back. */
  private observe(seen: Map<string, Seen>, id: string, object: KubeObject, report: boolean): void {
    const appName = trackedAppOf(object);
    const previous = seen.get(id);
    if (!appName) {
      // The tracking annotation was removed: the app it belonged to has drifted.
      if (previous) {
        seen.delete(id);
        if (report) this.report(previous.appName);
      }
      return;
    }
    const fingerprint = driftFingerprint(object);
    const health = assessHealth(object).status;
    // Most events change status only: the stamps of the last change stay (status writes are not
    // in them), and the next change is compared with those.
    if (previous?.appName === appName && previous.fingerprint === fingerprint) {
      if (previous.health === health) return;
      seen.set(id, { ...previous, health });
      if (report) {
        this.notify({
          clusterName: this.cluster.name,
          appName,
          reason: 'health',
          object: refOf(object),
          health,
        });
      }
      return;
    }
    const current: Seen = { appName, fingerprint, managers: managerStamps(object), health };
    seen.set(id, current);
    if (!report || previous?.fingerprint === current.fingerprint) return;
    // Fleetplane's own write: the pass that made it reports the health it saw.
    if (onlyFleetplaneChanged(previous?.managers, current.managers)) return;
    if (previous && previous.appName !== appName) this.report(previous.appName);
    this.report(appName);
  }

  private report(appName: string): void {
    this.notify({ clusterName: this.cluster.name, appName, reason: 'drift' });
  }

  private notify(event: DriftEvent): void {
    try {
      this.onDrift(event);
    } catch {
      // The caller's failure must not end the watch.
    }
  }
}

function idOf(object: KubeObject): string {
  const uid = object.metadata.uid;
  return typeof uid === 'string' && uid
    ? uid
    : `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}
