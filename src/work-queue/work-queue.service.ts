/**
 * Runs the handlers of the durable work queue: each registered kind gets a
 * loop that claims due items (up to its concurrency), runs them, and records
 * success (remove, or reschedule a periodic run) or failure (retry with
 * backoff). Idle loops sleep until a NOTIFY says work arrived or the next
 * item falls due, so a relabel is picked up within milliseconds.
 */
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DATABASE_URL } from '../database/database.tokens';
import { PgListener } from '../database/pg-listener';
import { reconcileBackoffMs } from './work-queue.backoff';
import {
  EnqueueRequest,
  PendingItem,
  WORK_QUEUE_CHANNEL,
  WorkItem,
  WorkQueueRepository,
} from './work-queue.repository';

export interface WorkOutcome {
  /** Run again at this time even if nothing asks for it (periodic polling). */
  readonly rerunAt?: Date | null;
}

export type WorkHandler = (item: WorkItem) => Promise<WorkOutcome | void>;

export interface WorkerOptions {
  /** Items of this kind worked on at once by this process. */
  readonly concurrency: number;
  /** How long a claim lasts without a heartbeat; a crashed worker's item is retried after it. */
  readonly leaseMs?: number;
  /** Upper bound on how long an idle loop sleeps without a NOTIFY. */
  readonly idlePollMs?: number;
  /** Delay before retrying a failed item, from its number of failures. */
  readonly backoffMs?: (attempts: number) => number;
}

interface Worker {
  readonly kind: string;
  readonly handler: WorkHandler;
  readonly options: Required<WorkerOptions>;
  inFlight: number;
  /** Ends the loop's current sleep; a call while it is awake makes the next sleep return at once. */
  wake: () => void;
  /** Set when a wake arrived while the loop was not sleeping (it must look again). */
  woken: boolean;
  endSleep: (() => void) | null;
  loop: Promise<void> | null;
  readonly running: Set<Promise<void>>;
}

@Injectable()
export class WorkQueue implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkQueue.name);
  /** Identifies this process in `claimed_by`. */
  readonly owner = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly workers = new Map<string, Worker>();
  private listener: PgListener | null = null;
  private stopping = false;
  private started = false;

  constructor(
    private readonly queue: WorkQueueRepository,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
  ) {}

  async onModuleInit(): Promise<void> {
    this.listener = new PgListener({
      url: this.databaseUrl,
      channels: [WORK_QUEUE_CHANNEL],
      name: 'fleetplane-work-queue',
      onNotify: (_channel, kind) => (kind ? this.workers.get(kind)?.wake() : this.wakeAll()),
      onReconnect: () => this.wakeAll(),
    });
    await this.listener.start();
  }

  /** Handlers register in `onModuleInit`; the loops start once every module is ready. */
  onApplicationBootstrap(): void {
    this.start();
  }

  /** Starts the loops of every registered kind. */
  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    for (const worker of this.workers.values()) worker.loop = this.runLoop(worker);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wakeAll();
    await Promise.all([...this.workers.values()].map((w) => w.loop));
    await Promise.all([...this.workers.values()].flatMap((w) => [...w.running]));
    await this.listener?.stop();
  }

  /** Registers the handler of one kind of work. */
  register(kind: string, handler: WorkHandler, options: WorkerOptions): void {
    if (this.workers.has(kind)) throw new Error(`a handler for "${kind}" is already registered`);
    const worker: Worker = {
      kind,
      handler,
      options: {
        concurrency: options.concurrency,
        leaseMs: options.leaseMs ?? 5 * 60_000,
        idlePollMs: options.idlePollMs ?? 5_000,
        backoffMs: options.backoffMs ?? reconcileBackoffMs,
      },
      inFlight: 0,
      woken: false,
      endSleep: null,
      wake: () => {
        worker.woken = true;
        worker.endSleep?.();
      },
      loop: null,
      running: new Set(),
    };
    this.workers.set(kind, worker);
    if (this.started) worker.loop = this.runLoop(worker);
  }

  /** Queues work (durably) and wakes this process's loops at once; other replicas hear the NOTIFY. */
  async enqueue(requests: readonly EnqueueRequest[]): Promise<void> {
    await this.queue.enqueue(requests);
    for (const kind of new Set(requests.map((r) => r.kind))) this.workers.get(kind)?.wake();
  }

  /** Adds the items that are not queued yet; existing ones keep their schedule (periodic work). */
  schedule(requests: readonly EnqueueRequest[]): Promise<void> {
    return this.queue.schedule(requests);
  }

  /** The items of `kind` waiting or running, soonest first (diagnostics and tests). */
  pending(kind: string): Promise<PendingItem[]> {
    return this.queue.pending(kind);
  }

  private wakeAll(): void {
    for (const worker of this.workers.values()) worker.wake();
  }

  private async runLoop(worker: Worker): Promise<void> {
    while (!this.stopping) {
      let claimed: WorkItem[] = [];
      try {
        const free = worker.options.concurrency - worker.inFlight;
        // Wakes from here on ask for another look after this claim.
        worker.woken = false;
        if (free > 0)
          claimed = await this.queue.claim(worker.kind, this.owner, free, worker.options.leaseMs);
      } catch (error) {
        this.logger.warn(`claiming ${worker.kind} work failed: ${(error as Error).message}`);
      }
      for (const item of claimed) {
        const run = this.runItem(worker, item);
        worker.running.add(run);
        void run.finally(() => worker.running.delete(run));
      }
      if (claimed.length > 0 && worker.inFlight < worker.options.concurrency) continue;
      await this.sleep(worker);
    }
  }

  private async sleep(worker: Worker): Promise<void> {
    // A wake between the last claim and now (NOTIFY, a finished item) would be lost otherwise.
    if (worker.woken) {
      worker.woken = false;
      return;
    }
    let timeout = worker.options.idlePollMs;
    if (worker.inFlight < worker.options.concurrency) {
      try {
        const next = await this.queue.msUntilNextDue(worker.kind);
        if (next !== null) timeout = Math.min(timeout, next + 5);
      } catch {
        // keep the idle poll interval
      }
    }
    if (worker.woken || this.stopping) {
      worker.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeout);
      worker.endSleep = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
    worker.endSleep = null;
    worker.woken = false;
  }

  private async runItem(worker: Worker, item: WorkItem): Promise<void> {
    worker.inFlight++;
    const heartbeat = setInterval(
      () => void this.queue.extend(item, this.owner, worker.options.leaseMs).catch(() => undefined),
      worker.options.leaseMs / 3,
    );
    try {
      const outcome = await worker.handler(item);
      await this.queue.complete(item, this.owner, outcome?.rerunAt ?? null);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      const delayMs = worker.options.backoffMs(item.attempts + 1);
      const retryAt = new Date(Date.now() + delayMs);
      this.logger.warn(
        `${worker.kind} ${item.targetId} failed (${item.attempts + 1} in a row), retrying in ${Math.round(delayMs / 1000)} s: ${message}`,
      );
      await this.queue
        .fail(item, this.owner, retryAt, message)
        .catch((e) => this.logger.error(`recording a failure failed: ${e.message}`));
    } finally {
      clearInterval(heartbeat);
      worker.inFlight--;
      worker.wake();
    }
  }
}
