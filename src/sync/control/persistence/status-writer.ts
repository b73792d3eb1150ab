/**
 * Batches the status writes of every pass of this replica: writes queue for
 * a few milliseconds and go to Postgres together (one statement, see
 * `SyncStateRepository.writeBatch`), so a fleet-wide sync of thousands of
 * Applications is a handful of round trips, not thousands. Two batches commit at once. A
 * second write of an Application merges with the first while that one is
 * queued, and waits for it while it is being committed, so the writes of one
 * Application commit in order. Callers await their write when it must be
 * durable before they go on (an operation is persisted as Running before it
 * runs).
 */
import { Logger } from '@nestjs/common';
import { StatusWrite, SyncStateRepository } from './sync-state.repository';

export interface StatusWriterOptions {
  /** Lease time that must remain for a write to land (see `SyncStateRepository.writeBatch`). */
  readonly fenceMarginMs: number;
  /** Largest batch. */
  readonly maxBatch: number;
  /** How long a write may wait for others to join its batch. */
  readonly delayMs: number;
  /** Batches committed at once (an Application is never in two at a time). */
  readonly lanes: number;
}

interface Pending {
  write: StatusWrite;
  readonly waiters: ((written: boolean) => void)[];
  readonly failures: ((error: unknown) => void)[];
}

const RETRYABLE = new Set(['40P01', '40001']);

export class StatusWriter {
  private readonly logger = new Logger(StatusWriter.name);
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  /** Ids in a batch being committed: a newer write of one waits for that batch. */
  private readonly inFlight = new Set<string>();
  private lanes = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly repository: Pick<SyncStateRepository, 'writeBatch'>,
    private readonly holder: string,
    private readonly options: StatusWriterOptions = {
      maxBatch: 500,
      delayMs: 10,
      lanes: 2,
      fenceMarginMs: 0,
    },
  ) {}

  /**
   * Queues a write; resolves true once committed, false when the lease on the
   * Application's cluster was lost (nothing was written). Rejects when the
   * database failed.
   */
  write(write: StatusWrite): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const existing = this.pending.get(write.id);
      if (existing) {
        existing.write = merge(existing.write, write);
        existing.waiters.push(resolve);
        existing.failures.push(reject);
      } else {
        this.pending.set(write.id, { write, waiters: [resolve], failures: [reject] });
      }
      this.schedule();
    });
  }

  /** Writes everything queued now and waits for it (shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size > 0 || this.lanes > 0) {
      const lane = new Promise<void>((resolve) => this.idle.push(resolve));
      this.flush();
      if (this.lanes > 0) await lane;
      else if (this.pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  private schedule(): void {
    if (this.lanes >= this.options.lanes) return; // a finishing batch schedules the rest
    if (this.pending.size >= this.options.maxBatch) {
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.options.delayMs);
  }

  /** Starts batches on the free lanes; a write whose Application is in flight waits for it. */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.lanes < this.options.lanes) {
      const batch: Pending[] = [];
      for (const item of this.pending.values()) {
        if (batch.length >= this.options.maxBatch) break;
        if (!this.inFlight.has(item.write.id)) batch.push(item);
      }
      if (batch.length === 0) return;
      for (const item of batch) {
        this.pending.delete(item.write.id);
        this.inFlight.add(item.write.id);
      }
      this.lanes++;
      void this.commit(batch).finally(() => {
        this.lanes--;
        for (const item of batch) this.inFlight.delete(item.write.id);
        this.idle.splice(0).forEach((wake) => wake());
        if (this.pending.size > 0) this.schedule();
      });
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const written = await this.repository.writeBatch(
          this.holder,
          batch.map((p) => p.write),
          this.options.fenceMarginMs,
        );
        for (const item of batch) item.waiters.forEach((done) => done(written.has(item.write.id)));
        return;
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        if (RETRYABLE.has(code) && attempt < 5) {
          // A deadlock or serialization failure: try again after a short, spread-out pause.
          await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 40));
          continue;
        }
        this.logger.error(`writing ${batch.length} statuses failed: ${(error as Error).message}`);
        for (const item of batch) item.failures.forEach((fail) => fail(error));
        return;
      }
    }
  }
}

/** A later write of the same Application on top of an earlier one. */
function merge(earlier: StatusWrite, later: StatusWrite): StatusWrite {
  // Both writes' successful syncs go into the history, in order.
  const entries = [
    ...(earlier.historyAppend?.entries ?? []),
    ...(later.historyAppend?.entries ?? []),
  ];
  const limit = later.historyAppend ? later.historyAppend.limit : earlier.historyAppend?.limit;
  return {
    id: later.id,
    ...((later.status ?? earlier.status) ? { status: later.status ?? earlier.status } : {}),
    ...(entries.length > 0 ? { historyAppend: { entries, limit } } : {}),
    ...((later.state ?? earlier.state) ? { state: later.state ?? earlier.state } : {}),
    ...((later.clearRequestId ?? earlier.clearRequestId)
      ? { clearRequestId: later.clearRequestId ?? earlier.clearRequestId }
      : {}),
    ...((later.clearTerminationAt ?? earlier.clearTerminationAt)
      ? { clearTerminationAt: later.clearTerminationAt ?? earlier.clearTerminationAt }
      : {}),
  };
}
