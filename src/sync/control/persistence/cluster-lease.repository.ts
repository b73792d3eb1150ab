/**
 * Per-cluster leases in Postgres: the replica holding a cluster's lease is
 * the only one that syncs it and writes its Applications' status. A lease
 * is renewed in one statement for every cluster a replica holds, and taken
 * over only once it has expired, so a crashed replica's clusters move to
 * the others after at most one lease period. Replicas also record a
 * heartbeat, so each can take its fair share of the clusters.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

@Injectable()
export class ClusterLeaseRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Takes up to `limit` of the leases of `names` that are free, expired or
   * already ours; returns those now held. Names leased by a live replica are
   * skipped before the limit applies, so a replica finds the free ones.
   */
  async acquire(
    holder: string,
    names: readonly string[],
    ttlMs: number,
    limit = names.length,
  ): Promise<string[]> {
    if (names.length === 0 || limit <= 0) return [];
    const rows: { cluster_name: string }[] = await this.dataSource.query(
      `INSERT INTO sync_cluster_leases AS l (cluster_name, holder, expires_at)
       SELECT c.name, $1, now() + ($3 || ' milliseconds')::interval FROM unnest($2::text[]) AS c(name)
        WHERE NOT EXISTS (SELECT 1 FROM sync_cluster_leases x
                           WHERE x.cluster_name = c.name AND x.holder <> $1 AND x.expires_at >= now())
        LIMIT $4
       ON CONFLICT (cluster_name) DO UPDATE
         SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at,
             acquired_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.acquired_at ELSE now() END
         WHERE l.holder = EXCLUDED.holder OR l.expires_at < now()
       RETURNING cluster_name`,
      [holder, names, String(ttlMs), limit],
    );
    return rows.map((r) => r.cluster_name);
  }

  /**
   * Extends the leases `holder` still has; returns those. A lease that
   * expired without anyone taking it is still ours (nobody else has synced
   * the cluster meanwhile), so it is renewed too.
   */
  async renew(holder: string, names: readonly string[], ttlMs: number): Promise<string[]> {
    if (names.length === 0) return [];
    const rows: { cluster_name: string }[] = await this.dataSource.query(
      // A CTE, because TypeORM answers a bare UPDATE ... RETURNING with [rows, count].
      `WITH renewed AS (
         UPDATE sync_cluster_leases SET expires_at = now() + ($3 || ' milliseconds')::interval
          WHERE holder = $1 AND cluster_name = ANY($2::text[])
          RETURNING cluster_name)
       SELECT cluster_name FROM renewed`,
      [holder, names, String(ttlMs)],
    );
    return rows.map((r) => r.cluster_name);
  }

  /** Gives leases up (shutdown, cluster deleted, handing over a fair share). */
  async release(holder: string, names: readonly string[]): Promise<void> {
    if (names.length === 0) return;
    await this.dataSource.query(
      `DELETE FROM sync_cluster_leases WHERE holder = $1 AND cluster_name = ANY($2::text[])`,
      [holder, names],
    );
  }

  /**
   * Records that `replica` is alive, forgets replicas silent for `staleMs`
   * and their leases' claims to fairness, and returns how many replicas are
   * alive (this one included).
   */
  async heartbeat(replica: string, staleMs: number): Promise<number> {
    await this.dataSource.query(
      `INSERT INTO sync_replicas (id, seen_at) VALUES ($1, now())
       ON CONFLICT (id) DO UPDATE SET seen_at = now()`,
      [replica],
    );
    await this.dataSource.query(
      `DELETE FROM sync_replicas WHERE seen_at < now() - ($1 || ' milliseconds')::interval`,
      [String(staleMs)],
    );
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM sync_replicas`);
    return Math.max(1, row.n);
  }

  /** Removes the heartbeat of a replica that stops. */
  async leave(replica: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM sync_replicas WHERE id = $1`, [replica]);
  }

  /** Names of every registered cluster (what there is to lease). */
  async clusterNames(): Promise<string[]> {
    const rows: { name: string }[] = await this.dataSource.query(
      `SELECT name FROM clusters ORDER BY name`,
    );
    return rows.map((r) => r.name);
  }

  /** Drops leases of clusters that are no longer registered. */
  async forgetUnregistered(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM sync_cluster_leases l WHERE NOT EXISTS (SELECT 1 FROM clusters c WHERE c.name = l.cluster_name)`,
    );
  }
}
