/**
 * The registered clusters as reconciles read them, shared between the
 * reconciles that run together: a relabel re-queues several ApplicationSets,
 * which are claimed in one batch and would otherwise each read every cluster
 * (10,000 rows) at the same moment. A read is shared only with reconciles
 * claimed before it started, so each one still sees every change committed
 * before it was claimed.
 */
import { Injectable } from '@nestjs/common';
import { ClusterRepository } from '../../clusters/cluster.repository';
import { ClusterRecord } from '../../generators/ports';

@Injectable()
export class ClusterSnapshots {
  private latest: { startedAt: number; records: Promise<readonly ClusterRecord[]> } | null = null;

  constructor(private readonly clusters: ClusterRepository) {}

  /**
   * Every registered cluster, in name order, read at or after `freshAfter`
   * (ms since the epoch): the last read when it started no earlier, a new
   * read otherwise. A failed read is never reused.
   */
  list(freshAfter: number): Promise<readonly ClusterRecord[]> {
    if (this.latest && this.latest.startedAt >= freshAfter) return this.latest.records;
    const entry = { startedAt: Date.now(), records: this.clusters.listRecords() };
    this.latest = entry;
    entry.records.catch(() => {
      if (this.latest === entry) this.latest = null;
    });
    return entry.records;
  }
}
