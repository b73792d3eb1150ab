/**
 * The sync engine's control loop in one replica: holds cluster leases (its
 * fair share), runs a worker per leased cluster, routes Application changes
 * (Postgres NOTIFY from the `applications` trigger and from API requests)
 * and cluster events to the right worker, polls Git revisions once per
 * repository and branch, and batches every status write. Off when
 * `FLEETPLANE_SYNC_WORKERS=false` (an API-only replica).
 */
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ClusterEventBus } from '../../../clusters/cluster-event-bus';
import { ClusterEvent } from '../../../clusters/cluster.model';
import { AppConfig } from '../../../config/app-config';
import { APP_CONFIG } from '../../../config/config.module';
import { DATABASE_URL } from '../../../database/database.tokens';
import { PgListener } from '../../../database/pg-listener';
import { GIT_PUSH_CHANNEL, readPushNotice } from '../../../git/git-push-notice';
import { repoKeyOf } from '../../../git/repo-url';
import {
  DRIFT_WATCHER,
  DriftWatcher,
  MANIFEST_RENDERER,
  ManifestRenderer,
  SYNC_EXECUTOR,
  SyncExecutor,
} from '../../engine/engine.types';
import { sameStatus } from '../decide/build-status';
import { unregisteredDestinationStatus } from '../decide/unregistered-destination';
import { ClusterLeaseRepository } from '../persistence/cluster-lease.repository';
import { StatusWriter } from '../persistence/status-writer';
import {
  APPLICATION_SYNC_CHANNEL,
  StatusWrite,
  SyncStateRepository,
} from '../persistence/sync-state.repository';
import { SyncMetrics } from '../sync.metrics';
import { ApplicationPass } from './app-pass';
import { SyncClusterPorts } from './cluster-ports';
import { ClusterWorker } from './cluster-worker';
import { ConcurrencyGate } from './concurrency-gate';
import { LeaseKeeper } from './lease-keeper';
import { ReloadQueue } from './reload-queue';
import { RevisionTracker } from './revision-tracker';

/** Time given to running passes to finish on shutdown before they are cut (their operations resume elsewhere). */
const SHUTDOWN_GRACE_MS = 5_000;
// Notifications for clusters this replica does not hold are checked together, this often at most.
const UNREGISTERED_CHECK_DELAY_MS = 250;

@Injectable()
export class SyncRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly maybeUnregistered = new Set<string>();
  private maybeUnregisteredTimer: NodeJS.Timeout | undefined;
  private readonly logger = new Logger(SyncRuntime.name);
  /** Identifies this replica in leases (unique per process start). */
  readonly replica = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly workers = new Map<string, ClusterWorker>();
  private writer!: StatusWriter;
  private revisions!: RevisionTracker;
  private keeper!: LeaseKeeper;
  private reloads!: ReloadQueue;
  private listener: PgListener | null = null;
  private unsubscribe: (() => void) | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private makeWorker!: (name: string) => ClusterWorker;
  private started = false;
  private closing = false;
  private resyncing: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    private readonly state: SyncStateRepository,
    private readonly leases: ClusterLeaseRepository,
    private readonly ports: SyncClusterPorts,
    private readonly events: ClusterEventBus,
    private readonly metrics: SyncMetrics,
    @Inject(MANIFEST_RENDERER) private readonly renderer: ManifestRenderer,
    @Inject(SYNC_EXECUTOR) private readonly executor: SyncExecutor,
    @Optional() @Inject(DRIFT_WATCHER) private readonly watcher?: DriftWatcher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const settings = this.config.syncControl;
    if (!settings.workers) return;
    this.started = true;
    const compareIntervalMs = settings.compareIntervalSeconds * 1000;
    const leaseMs = settings.leaseSeconds * 1000;
    // Renewals come every quarter of a lease: a quarter must remain for a write to land, so
    // only a renewal late by half a lease fences writes out, and always before expiry.
    this.writer = new StatusWriter(this.state, this.replica, {
      maxBatch: 500,
      delayMs: 10,
      lanes: 2,
      fenceMarginMs: Math.floor(leaseMs / 4),
    });
    const write = (w: StatusWrite) => this.writer.write(w);
    this.revisions = new RevisionTracker(
      (source) => this.renderer.resolveRevision(source),
      (followers) => this.wake(followers),
      {
        ttlMs: this.config.git.pollSeconds * 1000,
        concurrency: 8,
        beforePoll: (repoURL) => this.renderer.refreshRepository?.(repoURL),
      },
    );
    const pass = new ApplicationPass({
      renderer: this.renderer,
      executor: this.executor,
      revisions: this.revisions,
      write,
      removeDeleted: (id) => this.state.removeDeleted(this.replica, id),
      onRemoved: (ownerId) => this.ports.reconcileOwner(ownerId),
      metrics: this.metrics,
      settings: { compareIntervalMs, syncTimeoutMs: settings.timeoutSeconds * 1000 },
      now: Date.now,
      random: Math.random,
    });
    const gate = new ConcurrencyGate(settings.concurrency);
    this.metrics.countPasses(() => {
      let queued = 0;
      for (const worker of this.workers.values()) queued += worker.queued;
      return { working: gate.active, waiting: gate.lentOut, queued };
    });
    this.makeWorker = (name) =>
      new ClusterWorker(name, {
        pass,
        gate,
        access: (cluster) => this.ports.access(cluster),
        watcher: this.watcher,
        write,
        connection: (cluster, ok, message) => void this.ports.markConnection(cluster, ok, message),
        passFinished: (destServer, ms) => this.metrics.passFinished(destServer, ms),
        forget: (id) => this.revisions.forget(id),
        settings: { clusterApps: settings.clusterApps, compareIntervalMs },
        now: Date.now,
        random: Math.random,
      });
    this.reloads = new ReloadQueue(
      (ids) => this.state.loadByIds(ids),
      (cluster) => this.workers.get(cluster),
    );
    this.listener = new PgListener({
      url: this.databaseUrl,
      channels: [APPLICATION_SYNC_CHANNEL, GIT_PUSH_CHANNEL],
      name: 'fleetplane-sync',
      onNotify: (channel, payload) =>
        channel === GIT_PUSH_CHANNEL ? this.onGitPush(payload) : this.onNotify(payload),
      // Anything announced while the connection was down: read every held cluster again.
      onReconnect: () => this.resync(),
    });
    await this.listener.start();
    this.unsubscribe = this.events.subscribe((event) => this.onClusterEvent(event));
    this.keeper = new LeaseKeeper(this.leases, this.replica, settings.leaseSeconds * 1000, {
      acquired: (names) => this.startWorkers(names),
      lost: (names) => this.stopWorkers(names),
      busy: (name) => this.workers.get(name)?.busy ?? 0,
    });
    this.keeper.start();
    this.revisions.start();
    void this.markUnregisteredDestinations();
    this.resyncTimer = setInterval(() => {
      void this.resync();
      void this.markUnregisteredDestinations();
    }, compareIntervalMs);
    this.resyncTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    this.closing = true;
    clearInterval(this.resyncTimer);
    clearTimeout(this.maybeUnregisteredTimer);
    await this.resyncing;
    this.unsubscribe?.();
    this.revisions.stop();
    this.reloads.stop();
    await this.keeper.halt();
    for (const worker of this.workers.values()) worker.quiesce();
    const deadline = Date.now() + SHUTDOWN_GRACE_MS;
    while (Date.now() < deadline && [...this.workers.values()].some((w) => w.busy > 0)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Stop the workers and write what they finished before the leases go: a write after the
    // release would be fenced out.
    await this.stopWorkers([...this.workers.keys()]);
    await this.writer.drain().catch(() => undefined);
    await this.keeper.stop();
    await this.listener?.stop();
  }

  /** Clusters this replica syncs now (diagnostics and tests). */
  heldClusters(): string[] {
    return [...this.workers.keys()].sort();
  }

  private async startWorkers(names: string[]): Promise<void> {
    const apps = await this.state.loadClusters(names).catch((error) => {
      this.logger.warn(`reading the Applications of new clusters failed: ${error.message}`);
      return [];
    });
    for (const name of names) {
      if (this.workers.has(name)) continue;
      const worker = this.makeWorker(name);
      this.workers.set(name, worker);
      void worker.start(apps.filter((app) => app.clusterName === name));
    }
    if (names.length > 0)
      this.logger.log(`syncing ${names.length} more clusters (${this.workers.size} in all)`);
  }

  private async stopWorkers(names: string[]): Promise<void> {
    const stopping = names.flatMap((name) => {
      const worker = this.workers.get(name);
      this.workers.delete(name);
      return worker ? [worker.stop()] : [];
    });
    await Promise.allSettled(stopping);
  }

  private onNotify(payload: string | undefined): void {
    const tab = payload?.indexOf('\t') ?? -1;
    if (!payload || tab < 0) return;
    const cluster = payload.slice(0, tab);
    const id = payload.slice(tab + 1);
    // Only the replica holding the cluster cares (a move between clusters names both).
    if (this.workers.has(cluster)) this.reloads.add(id, cluster);
    // No replica holds a cluster that is not registered: the status is written here.
    else this.noteMaybeUnregistered(id);
  }

  /**
   * An Application of a cluster this replica does not hold changed (a
   * deletion was requested, say): if that cluster is not registered, its
   * status is written here. Checked in batches, by id.
   */
  private noteMaybeUnregistered(id: string): void {
    this.maybeUnregistered.add(id);
    this.maybeUnregisteredTimer ??= setTimeout(() => {
      this.maybeUnregisteredTimer = undefined;
      const ids = [...this.maybeUnregistered];
      this.maybeUnregistered.clear();
      void this.markUnregisteredDestinations(ids);
    }, UNREGISTERED_CHECK_DELAY_MS);
    this.maybeUnregisteredTimer.unref();
  }

  /** A push webhook (on any replica) named repositories: resolve what follows them now. */
  private onGitPush(payload: string | undefined): void {
    const pushed = new Set(readPushNotice(payload));
    if (pushed.size === 0 || this.closing) return;
    void this.revisions.refreshRepositories(
      (repoURL) => pushed.has(repoKeyOf(repoURL) ?? ''),
      (repoURL) => this.renderer.refreshRepository?.(repoURL),
    );
  }

  private onClusterEvent(event: ClusterEvent): void {
    if (event.type === 'Deleted') {
      // After the worker stopped, so none of its writes lands after the mark.
      void this.keeper.drop(event.clusterName).then(() => this.markUnregisteredDestinations());
      this.executor.forgetCluster?.(event.clusterName);
    } else if (event.type === 'Registered') this.keeper.claimNew();
    else if (event.changes.some((c) => ['server', 'credentials'].includes(c))) {
      void this.workers.get(event.clusterName)?.refreshAccess();
    }
  }

  /**
   * Shows every Application whose destination cluster is not registered (any
   * more) as such (see unregistered-destination.ts). Every replica may run
   * it: an Application already shown so is not written again.
   */
  private async markUnregisteredDestinations(ids?: readonly string[]): Promise<void> {
    if (this.closing) return;
    try {
      const now = new Date();
      const apps = await this.state.loadUnregisteredDestinations(ids);
      const writes = apps
        .map((app) => ({
          id: app.id,
          before: app.status,
          status: unregisteredDestinationStatus(
            app.manifest,
            app.status,
            app.clusterName,
            now,
            app.state.deletionRequestedAt,
          ),
        }))
        .filter((write) => !sameStatus(write.status, write.before));
      await this.state.writeUnregisteredDestinations(writes);
    } catch (error) {
      this.logger.warn(
        `marking Applications whose cluster is not registered failed: ${(error as Error).message}`,
      );
    }
  }

  /** Reads every held cluster's Applications again and hands them to their workers. */
  private resync(): Promise<void> {
    if (this.closing) return Promise.resolve();
    this.resyncing ??= this.resyncOnce().finally(() => (this.resyncing = null));
    return this.resyncing;
  }

  private async resyncOnce(): Promise<void> {
    const names = [...this.workers.keys()];
    if (names.length === 0) return;
    try {
      const apps = await this.state.loadClusters(names);
      const seen = new Set(apps.map((app) => app.id));
      for (const app of apps) this.workers.get(app.clusterName ?? '')?.upsert(app);
      for (const worker of this.workers.values()) {
        for (const id of worker.appIds()) if (!seen.has(id)) worker.remove(id);
      }
    } catch (error) {
      this.logger.warn(
        `reading the held clusters' Applications failed: ${(error as Error).message}`,
      );
    }
  }

  private wake(followers: string[]): void {
    const ids = new Set(followers);
    for (const worker of this.workers.values()) {
      for (const id of worker.appIds()) if (ids.has(id)) worker.enqueue(id);
    }
  }
}
