/**
 * The worker of one cluster this replica holds the lease of: it owns the
 * in-memory view of the cluster's Applications, one timer queue for all of
 * their scheduled looks, a bounded number of passes at once (and a slot of
 * the replica-wide budget for each), the cluster's circuit breaker and its
 * drift watch. A slow, throttled or unreachable cluster only ever holds its
 * own slots: the breaker stops its passes after repeated failures and probes
 * it with one pass at a time, so the rest of the fleet keeps syncing. A pass
 * that has been waiting a while for a rollout (`rest`) lends both of its
 * slots and takes them back ahead of new passes, so slow rollouts do not
 * hold up the other Applications of their cluster (as Argo CD requeues an
 * operation between its health checks instead of holding a processor).
 */
import { Logger } from '@nestjs/common';
import { DriftEvent, DriftWatcher, SyncCluster } from '../../engine/engine.types';
import { SyncedApplication } from '../sync-control.types';
import { ApplicationPass } from './app-pass';
import { ClusterCircuit } from './cluster-circuit';
import { ConcurrencyGate } from './concurrency-gate';
import {
  AppEntry,
  PackedApplication,
  healthShown,
  mergeReload,
  needsPass,
  recordOutcome,
  terminatingStatus,
} from './app-entry';
import { PassOutcome } from './pass-outcome';
import { StatusWrite } from '../persistence/sync-state.repository';
import { TimerQueue } from './timer-queue';

export interface ClusterWorkerDeps {
  readonly pass: ApplicationPass;
  readonly gate: ConcurrencyGate;
  readonly access: (clusterName: string) => Promise<SyncCluster>;
  readonly watcher?: DriftWatcher;
  readonly write: (write: StatusWrite) => Promise<boolean>;
  /** The cluster's connection status changed as the circuit breaker sees it. */
  readonly connection: (cluster: string, ok: boolean, message: string) => void;
  readonly passFinished: (destServer: string, ms: number) => void;
  readonly forget: (appId: string) => void;
  readonly settings: { readonly clusterApps: number; readonly compareIntervalMs: number };
  readonly now: () => number;
  readonly random: () => number;
}

/** Drift events for one Application closer together than this are merged. */
const DRIFT_DEBOUNCE_MS = 1_000;
/**
 * The same for health changes: a look costs no write to the cluster, and a rollout's end should
 * show soon; this only merges the status updates of several objects finishing together.
 */
const HEALTH_DEBOUNCE_MS = 100;
const ACCESS_RETRY_MS = 10_000;
const FENCED_RETRY_MS = 5_000;
const PUMP = '\u0000pump';

export class ClusterWorker {
  private readonly logger: Logger;
  private readonly apps = new Map<string, AppEntry>();
  private readonly byName = new Map<string, string>();
  private readonly ready = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly timers: TimerQueue;
  private cluster: SyncCluster | null = null;
  private watch: { stop(): void } | null = null;
  private readonly circuit = new ClusterCircuit();
  private pumping = false;
  /** The pump is waiting for a replica-wide slot for a new pass (which counts as working). */
  private starting = false;
  /** Passes that lent their slots to wait (see `rest`), including those queued in `resuming`. */
  private resting = 0;
  /** Resting passes whose wait is over, waiting for a slot of this cluster. */
  private readonly resuming: (() => void)[] = [];
  private connecting = false;
  private quiesced = false;
  private stopped = false;

  constructor(
    readonly name: string,
    private readonly deps: ClusterWorkerDeps,
  ) {
    this.logger = new Logger(`ClusterWorker ${name}`);
    this.timers = new TimerQueue((key) => this.onTimer(key), deps.now);
  }

  /**
   * Takes the Applications and looks at each once. The cluster's credentials
   * are read and its watch opened only once it has an Application, so a
   * registry of thousands of clusters without any costs nothing.
   */
  async start(apps: readonly SyncedApplication[]): Promise<void> {
    for (const app of apps) this.upsert(app);
    if (this.apps.size > 0) await this.connect();
  }

  /** Stops every pass (operations in flight stay Running for the next holder) and the watch. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.stop();
    this.watch?.stop();
    for (const entry of this.apps.values()) entry.passAbort?.abort();
    this.resume();
    await Promise.allSettled([...this.running.values()]);
  }

  /** Starts no new pass (shutdown); running ones go on until `stop`. */
  quiesce(): void {
    this.quiesced = true;
    this.timers.stop();
  }

  /** Passes running now (a worker without any can be handed to another replica at no cost). */
  get busy(): number {
    return this.running.size;
  }

  /** Applications due for a look that wait for a slot. */
  get queued(): number {
    return this.ready.size;
  }

  get size(): number {
    return this.apps.size;
  }

  /** Ids of the Applications it holds. */
  appIds(): string[] {
    return [...this.apps.keys()];
  }

  /** Takes a fresh read of an Application (new, changed, requested, being deleted). */
  upsert(app: SyncedApplication): void {
    if (this.stopped) return;
    if (app.clusterName !== this.name) {
      this.remove(app.id);
      return;
    }
    const entry = this.apps.get(app.id);
    if (!entry) {
      this.apps.set(app.id, {
        packed: new PackedApplication(app),
        transientFailures: 0,
        progressingChecks: 0,
        rerun: false,
      });
      this.byName.set(app.name, app.id);
      if (this.apps.size === 1 && !this.cluster && !this.connecting) void this.connect();
      this.enqueue(app.id);
      return;
    }
    const before = entry.packed.unpack();
    const merged = mergeReload(entry, before, app);
    entry.packed = new PackedApplication(merged);
    // The running pass works on its own copy: the read is merged again into its result.
    if (entry.passAbort) entry.reload = app;
    if (before.name !== merged.name) {
      this.byName.delete(before.name);
      this.byName.set(merged.name, app.id);
    }
    if (merged.state.terminateRequestedAt && entry.operation) this.terminate(entry);
    if (needsPass(before, merged)) this.enqueue(app.id);
  }

  /** Forgets an Application (deleted, or moved to another cluster); stops its pass. */
  remove(id: string): void {
    const entry = this.apps.get(id);
    if (!entry) return;
    entry.passAbort?.abort();
    this.apps.delete(id);
    this.byName.delete(entry.packed.name);
    this.ready.delete(id);
    this.timers.cancel(id);
    this.deps.forget(id);
  }

  /** Looks at an Application as soon as a slot is free (a pass running now runs once more after). */
  enqueue(id: string): void {
    const entry = this.apps.get(id);
    if (!entry || this.stopped) return;
    if (this.running.has(id)) entry.rerun = true;
    else this.ready.add(id);
    this.pump();
  }

  /** An object tracked by an Application changed on the cluster (see `DriftEvent`). */
  onDrift(event: DriftEvent): void {
    const id = this.byName.get(event.appName);
    const entry = id && this.apps.get(id);
    if (!id || !entry) return;
    if (event.reason === 'health' && this.running.has(id)) {
      // The running pass may still see it (it follows its rollout): checked when it ends.
      (entry.healthSeen ??= []).push({ ref: event.object, health: event.health });
      return;
    }
    const debounceMs = event.reason === 'health' ? HEALTH_DEBOUNCE_MS : DRIFT_DEBOUNCE_MS;
    const earliest = (entry.lastPassEndMs ?? 0) + debounceMs;
    if (earliest <= this.deps.now()) this.enqueue(id);
    else this.timers.schedule(id, earliest);
  }

  /** Credentials or server changed: reconnect with the new ones. */
  async refreshAccess(): Promise<void> {
    this.watch?.stop();
    this.watch = null;
    this.cluster = null;
    if (this.apps.size > 0) await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped || this.connecting) return;
    this.connecting = true;
    try {
      this.cluster = await this.deps.access(this.name);
    } catch (error) {
      this.logger.warn(`reading the cluster's credentials failed: ${(error as Error).message}`);
      this.timers.schedule(PUMP, this.deps.now() + ACCESS_RETRY_MS);
      return;
    } finally {
      this.connecting = false;
    }
    if (this.stopped) return;
    if (this.deps.watcher) {
      try {
        this.watch = this.deps.watcher.watch(this.cluster, (event) => this.onDrift(event));
      } catch (error) {
        // The periodic comparison still detects drift; only the delay grows.
        this.logger.warn(`starting the drift watch failed: ${(error as Error).message}`);
      }
    }
    this.pump();
  }

  private onTimer(key: string): void {
    if (key !== PUMP) return this.enqueue(key);
    if (!this.cluster) return void this.connect();
    if (this.circuit.phase !== 'closed' && this.ready.size === 0) {
      // The open period is over: probe with the Application that failed, not at its own backoff.
      const probe = [...this.apps.values()].find((entry) => entry.transientFailures > 0);
      if (probe) this.ready.add(probe.packed.id);
    }
    this.pump();
  }

  /** Passes holding a slot of this cluster. */
  private get working(): number {
    return this.running.size - this.resting + (this.starting ? 1 : 0);
  }

  /**
   * Starts passes while this cluster has work, free slots and a closed (or probing) circuit;
   * resting passes that want their slot back go first.
   */
  private pump(): void {
    this.resume();
    if (this.pumping || this.stopped || this.quiesced || !this.cluster) return;
    this.pumping = true;
    void (async () => {
      try {
        while (
          !this.stopped &&
          this.ready.size > 0 &&
          this.resuming.length === 0 &&
          this.working < this.deps.settings.clusterApps &&
          this.circuitAllows()
        ) {
          this.starting = true;
          const release = await this.deps.gate.acquire().finally(() => (this.starting = false));
          const id = this.ready.values().next().value;
          if (this.stopped || id === undefined) {
            release();
            break;
          }
          this.ready.delete(id);
          this.launch(id, release);
        }
      } finally {
        this.pumping = false;
      }
    })();
  }

  /** Gives resting passes their slot of this cluster back while there is one (all of them once stopped). */
  private resume(): void {
    while (
      this.resuming.length > 0 &&
      (this.stopped || this.working < this.deps.settings.clusterApps)
    ) {
      this.resting--;
      this.resuming.shift()!();
    }
  }

  /**
   * Runs a wait of a pass with its slots lent out: the cluster's to the next Application of this
   * cluster, the replica's to any pass. The gate bounds loans replica-wide (passes in memory);
   * past that, the pass keeps its slots while it waits.
   */
  private async rest<T>(wait: () => Promise<T>): Promise<T> {
    if (this.stopped) return wait();
    const takeBack = this.deps.gate.lend();
    if (!takeBack) return wait();
    this.resting++;
    this.pump();
    try {
      return await wait();
    } finally {
      await new Promise<void>((resolve) => {
        this.resuming.push(resolve);
        this.resume();
      });
      await takeBack();
    }
  }

  private circuitAllows(): boolean {
    const decision = this.circuit.allow(this.deps.now());
    if (decision.retryAtMs !== undefined) this.timers.schedule(PUMP, decision.retryAtMs);
    return decision.allowed;
  }

  private launch(id: string, release: () => void): void {
    const entry = this.apps.get(id)!;
    const abort = new AbortController();
    entry.passAbort = abort;
    // The pass consumes a pending request (runs it, or ends it in Error).
    entry.consumedRequestId = entry.packed.requestId ?? entry.consumedRequestId;
    const started = this.deps.now();
    const run = (async () => {
      try {
        const outcome = await this.deps.pass.run(entry.packed.unpack(), {
          cluster: this.cluster!,
          lifetime: abort.signal,
          operationStarted: (operationAbort, state) => {
            entry.operationAbort = operationAbort;
            entry.operation = state;
            if (entry.packed.terminateRequestedAt) this.terminate(entry);
          },
          rest: (wait) => this.rest(wait),
        });
        if (!abort.signal.aborted) this.afterPass(entry, outcome);
      } catch (error) {
        this.logger.error(`pass of "${entry.packed.name}" failed: ${(error as Error).message}`);
        this.timers.reschedule(id, this.deps.now() + ACCESS_RETRY_MS);
      } finally {
        release();
        entry.passAbort = entry.operationAbort = entry.operation = undefined;
        entry.lastPassEndMs = this.deps.now();
        this.running.delete(id);
        this.deps.passFinished(entry.packed.destServer ?? '', this.deps.now() - started);
        entry.healthSeen = undefined;
        if (entry.rerun && this.apps.get(id) === entry) {
          entry.rerun = false;
          this.ready.add(id);
        }
        this.pump();
      }
    })();
    this.running.set(id, run);
  }

  private afterPass(entry: AppEntry, outcome: PassOutcome): void {
    const id = outcome.app.id;
    if (outcome.removed) {
      this.remove(id);
      return;
    }
    if (outcome.stopped) {
      // A write was fenced out: the lease is lost (the runtime then stops this worker) or was
      // about to run out (a slow renewal). Look again later; nothing was recorded this time.
      this.timers.reschedule(id, this.deps.now() + FENCED_RETRY_MS);
      return;
    }
    if (entry.healthSeen && !healthShown(entry.healthSeen, outcome.app.status.resources ?? [])) {
      entry.rerun = true;
    }
    entry.packed = new PackedApplication(
      entry.reload ? mergeReload(entry, outcome.app, entry.reload) : outcome.app,
    );
    entry.reload = undefined;
    this.recordCluster(outcome);
    const due = recordOutcome(entry, outcome, {
      nowMs: this.deps.now(),
      compareIntervalMs: this.deps.settings.compareIntervalMs,
      random: this.deps.random(),
    });
    this.timers.reschedule(id, due);
  }

  private recordCluster(outcome: PassOutcome): void {
    const change = this.circuit.record(outcome.cluster, this.deps.now(), outcome.retryAfterMs);
    if (change === 'opened') {
      const why = outcome.failure?.message ?? 'repeated failures';
      this.deps.connection(this.name, false, `sync circuit open: ${why}`);
    } else if (change === 'closed') {
      this.deps.connection(this.name, true, 'sync circuit closed');
      // The cluster is back: catch up now instead of at each Application's backoff.
      for (const entry of this.apps.values()) {
        if (entry.transientFailures > 0 && !this.running.has(entry.packed.id))
          this.ready.add(entry.packed.id);
      }
      this.pump();
    }
  }

  /** Stops the running operation of an Application and shows it Terminating at once. */
  private terminate(entry: AppEntry): void {
    const { operationAbort, operation } = entry;
    if (!operationAbort || !operation || operationAbort.signal.aborted) return;
    operationAbort.abort('terminated');
    if (operation.phase !== 'Running') return;
    const status = terminatingStatus(entry.packed.unpack(), operation, new Date(this.deps.now()));
    void this.deps.write({ id: entry.packed.id, status }).catch(() => undefined);
  }
}
