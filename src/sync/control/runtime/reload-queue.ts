/**
 * Turns the trickle of "Application X on cluster C changed" notifications
 * into batched reads: ids gathered for a few milliseconds are read with one
 * query, and each row is handed to the worker of its cluster. An id that no
 * longer reads (deleted) or now reads under another cluster is removed from
 * the worker that was told about it.
 */
import { Logger } from '@nestjs/common';
import { SyncedApplication } from '../sync-control.types';

export interface ReloadTarget {
  upsert(app: SyncedApplication): void;
  remove(id: string): void;
}

export class ReloadQueue {
  private readonly logger = new Logger(ReloadQueue.name);
  /** id → clusters named in its notifications. */
  private pending = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(
    private readonly load: (ids: string[]) => Promise<SyncedApplication[]>,
    private readonly workerOf: (cluster: string) => ReloadTarget | undefined,
    private readonly delayMs = 20,
    private readonly maxBatch = 1000,
  ) {}

  /** Reads the Application again soon; `cluster` is the cluster the notification named. */
  add(id: string, cluster: string): void {
    const clusters = this.pending.get(id) ?? new Set<string>();
    clusters.add(cluster);
    this.pending.set(id, clusters);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
  }

  /** Reads everything pending now. */
  flush(): Promise<void> {
    this.running ??= this.drain().finally(() => (this.running = null));
    return this.running;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const batch = [...this.pending.entries()].slice(0, this.maxBatch);
      batch.forEach(([id]) => this.pending.delete(id));
      let rows: SyncedApplication[];
      try {
        rows = await this.load(batch.map(([id]) => id));
      } catch (error) {
        this.logger.warn(`reading changed Applications failed: ${(error as Error).message}`);
        // The periodic full read catches up with whatever this batch missed.
        continue;
      }
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const [id, clusters] of batch) {
        const row = byId.get(id);
        for (const cluster of clusters) {
          if (!row || row.clusterName !== cluster) this.workerOf(cluster)?.remove(id);
        }
        if (row?.clusterName) this.workerOf(row.clusterName)?.upsert(row);
      }
    }
  }
}
