/**
 * Delivers committed cluster events to subscribers in this process, whichever
 * replica made the change. Postgres NOTIFY is only the doorbell: the bus reads
 * the `cluster_events` outbox by id, so a dropped connection or a burst never
 * loses an event (it catches up after reconnecting).
 */
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DATABASE_URL } from '../database/database.tokens';
import { PgListener } from '../database/pg-listener';
import { ClusterEvent } from './cluster.model';
import { CLUSTER_EVENTS_CHANNEL, ClusterRepository } from './cluster.repository';

export type ClusterEventHandler = (event: ClusterEvent) => void | Promise<void>;
/** Receives the events of one read of the outbox together (up to 500, in commit order). */
export type ClusterEventBatchHandler = (events: readonly ClusterEvent[]) => void | Promise<void>;

const BATCH = 500;
const RETENTION_MS = 7 * 24 * 3600 * 1000;

@Injectable()
export class ClusterEventBus implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ClusterEventBus.name);
  private readonly handlers = new Set<ClusterEventHandler>();
  private readonly batchHandlers = new Set<ClusterEventBatchHandler>();
  private listener: PgListener | null = null;
  private lastDeliveredId = 0;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private stopped = false;
  private retentionTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clusters: ClusterRepository,
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
  ) {}

  async onModuleInit(): Promise<void> {
    this.lastDeliveredId = await this.clusters.lastEventId();
    this.listener = new PgListener({
      url: this.databaseUrl,
      channels: [CLUSTER_EVENTS_CHANNEL],
      name: 'fleetplane-cluster-events',
      onNotify: () => void this.drain(),
      // Anything committed while we were not listening.
      onReconnect: () => this.drain(),
    });
    await this.listener.start();
    this.retentionTimer = setInterval(() => void this.pruneOldEvents(), 3600_000);
    this.retentionTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.retentionTimer);
    await this.draining;
    await this.listener?.stop();
  }

  /** Calls `handler` for every event committed from now on, in commit order. Returns an unsubscribe function. */
  subscribe(handler: ClusterEventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /**
   * Like `subscribe`, but each read of the outbox arrives as one batch, so a
   * burst (a fleet-wide relabel) can be handled with one query and one write
   * instead of one per event.
   */
  subscribeBatch(handler: ClusterEventBatchHandler): () => void {
    this.batchHandlers.add(handler);
    return () => this.batchHandlers.delete(handler);
  }

  /** Id of the last event handed to subscribers (for tests and diagnostics). */
  get lastEventId(): number {
    return this.lastDeliveredId;
  }

  /** Reads and delivers every event after the last delivered one; concurrent calls coalesce. */
  private drain(): Promise<void> {
    if (this.draining) {
      this.drainAgain = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.drainAgain = false;
          for (;;) {
            const events = await this.clusters.eventsAfter(this.lastDeliveredId, BATCH);
            if (events.length > 0) await this.deliverBatch(events);
            for (const event of events) {
              await this.deliver(event);
              this.lastDeliveredId = event.id;
            }
            if (events.length < BATCH) break;
          }
        } while (this.drainAgain && !this.stopped);
      } catch (error) {
        this.logger.error(`reading cluster events failed: ${(error as Error).message}`);
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  private async deliver(event: ClusterEvent): Promise<void> {
    for (const handler of this.handlers) {
      try {
        await handler(event);
      } catch (error) {
        // One failing subscriber must not starve the others or stall the bus.
        this.logger.error(
          `cluster event subscriber failed on event ${event.id}: ${(error as Error).message}`,
        );
      }
    }
  }

  private async deliverBatch(events: readonly ClusterEvent[]): Promise<void> {
    for (const handler of this.batchHandlers) {
      try {
        await handler(events);
      } catch (error) {
        this.logger.error(
          `cluster event subscriber failed on events ${events[0].id}-${events[events.length - 1].id}: ${(error as Error).message}`,
        );
      }
    }
  }

  private async pruneOldEvents(): Promise<void> {
    try {
      await this.clusters.deleteEventsBefore(new Date(Date.now() - RETENTION_MS));
    } catch (error) {
      this.logger.warn(`pruning old cluster events failed: ${(error as Error).message}`);
    }
  }
}
