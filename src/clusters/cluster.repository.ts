/**
 * The only code that reads and writes the `clusters` and `cluster_events`
 * tables. Returns domain objects (`Cluster`), `null` when nothing is found,
 * and keeps TypeORM out of the service's signatures.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { Selector } from '../labels/label-selector';
import { ClusterRecord } from '../generators/ports';
import { ConnectionStatus } from './cluster.entity';
import { Cluster, ClusterEvent } from './cluster.model';
import { selectorToSql } from './cluster-selector.sql';
import { CredentialKind } from './cluster-credentials';
import { storableText } from '../common/storable-text';

/** Postgres channel on which every committed cluster event is announced (payload: event id). */
export const CLUSTER_EVENTS_CHANNEL = 'fleetplane_cluster_events';
/** Serialises event inserts to commit order, so readers can follow ids without gaps. */
const EVENT_ORDER_LOCK = 7_318_101;

const COLUMNS = `id, name, server, labels, annotations, project, credential_kinds, insecure_skip_tls_verify,
  connection_status, connection_message, server_version, connection_checked_at, resource_version, created_at, updated_at`;

interface ClusterRow {
  id: string;
  name: string;
  server: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  project: string | null;
  credential_kinds: CredentialKind[];
  insecure_skip_tls_verify: boolean;
  connection_status: ConnectionStatus;
  connection_message: string | null;
  server_version: string | null;
  connection_checked_at: Date | null;
  resource_version: string;
  created_at: Date;
  updated_at: Date;
}

export interface NewCluster {
  readonly id: string;
  readonly name: string;
  readonly server: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly project: string | null;
  readonly credentialsCiphertext: Buffer | null;
  readonly credentialKinds: CredentialKind[];
  readonly insecureSkipTLSVerify: boolean;
}

export type ClusterChanges = {
  -readonly [K in keyof Omit<NewCluster, 'id' | 'name'>]?: NewCluster[K];
};

export interface NewClusterEvent {
  readonly type: ClusterEvent['type'];
  readonly clusterId: string;
  readonly clusterName: string;
  readonly oldLabels: Record<string, string> | null;
  readonly newLabels: Record<string, string> | null;
  readonly changes: string[];
}

/** Writes that must commit together with their event. */
export interface ClusterWriteTransaction {
  /** Reads a cluster and locks its row until the transaction ends. */
  lockByName(name: string): Promise<Cluster | null>;
  /** Inserts a cluster; AlreadyExists when the name is taken. */
  insert(cluster: NewCluster): Promise<Cluster>;
  update(id: string, changes: ClusterChanges): Promise<Cluster>;
  delete(id: string): Promise<void>;
  appendEvent(event: NewClusterEvent): Promise<void>;
}

export interface ConnectionResult {
  readonly status: ConnectionStatus;
  readonly message: string | null;
  readonly serverVersion: string | null;
}

@Injectable()
export class ClusterRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findByName(name: string): Promise<Cluster | null> {
    const rows: ClusterRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM clusters WHERE name = $1`,
      [name],
    );
    return rows.length ? toCluster(rows[0]) : null;
  }

  /** Clusters in name order after `afterName`, pre-filtered by `selector`, at most `limit`. */
  async list(selector: Selector, limit: number, afterName: string | null): Promise<Cluster[]> {
    const filter = selectorToSql(selector, 'labels', 3);
    const rows: ClusterRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM clusters
        WHERE ($1::text IS NULL OR name > $1) AND ${filter.clause}
        ORDER BY name LIMIT $2`,
      [afterName, limit, ...filter.params],
    );
    return rows.map(toCluster);
  }

  /** Every cluster as the generators see it, in name order. */
  async listRecords(): Promise<ClusterRecord[]> {
    return this.dataSource.query(
      `SELECT name, server, project, labels, annotations FROM clusters ORDER BY name`,
    );
  }

  /** Names and ids of every cluster, for background sweeps. */
  async listIds(): Promise<{ id: string; name: string }[]> {
    return this.dataSource.query(`SELECT id, name FROM clusters ORDER BY name`);
  }

  async findById(id: string): Promise<Cluster | null> {
    const rows: ClusterRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM clusters WHERE id = $1`,
      [id],
    );
    return rows.length ? toCluster(rows[0]) : null;
  }

  async readCredentials(id: string): Promise<Buffer | null> {
    const rows: { credentials_ciphertext: Buffer | null }[] = await this.dataSource.query(
      `SELECT credentials_ciphertext FROM clusters WHERE id = $1`,
      [id],
    );
    return rows[0]?.credentials_ciphertext ?? null;
  }

  /** Records a connectivity check; does not count as a change of the registration. */
  async recordConnection(id: string, result: ConnectionResult): Promise<void> {
    await this.dataSource.query(
      `UPDATE clusters SET connection_status = $2, connection_message = $3, server_version = $4, connection_checked_at = now()
        WHERE id = $1`,
      // Both quote the cluster's own answer.
      [
        id,
        result.status,
        result.message === null ? null : storableText(result.message),
        result.serverVersion === null ? null : storableText(result.serverVersion),
      ],
    );
  }

  /** Rows of `fleetplane_cluster_info`: one per cluster. */
  async connectionSummary(): Promise<
    { name: string; server: string; connection_status: ConnectionStatus }[]
  > {
    return this.dataSource.query(
      `SELECT name, server, connection_status FROM clusters ORDER BY name`,
    );
  }

  async eventsAfter(afterId: number, limit: number): Promise<ClusterEvent[]> {
    const rows = await this.dataSource.query(
      `SELECT id, type, cluster_id, cluster_name, old_labels, new_labels, changes, created_at
         FROM cluster_events WHERE id > $1 ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(toEvent);
  }

  async lastEventId(): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT coalesce(max(id), 0) AS id FROM cluster_events`,
    );
    return Number(row.id);
  }

  async deleteEventsBefore(cutoff: Date): Promise<void> {
    await this.dataSource.query(`DELETE FROM cluster_events WHERE created_at < $1`, [cutoff]);
  }

  async transaction<T>(work: (tx: ClusterWriteTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(new TypeOrmClusterTransaction(manager)));
  }
}

class TypeOrmClusterTransaction implements ClusterWriteTransaction {
  constructor(private readonly manager: EntityManager) {}

  async lockByName(name: string): Promise<Cluster | null> {
    const rows: ClusterRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM clusters WHERE name = $1 FOR UPDATE`,
      [name],
    );
    return rows.length ? toCluster(rows[0]) : null;
  }

  async insert(cluster: NewCluster): Promise<Cluster> {
    try {
      const rows: ClusterRow[] = await this.manager.query(
        `INSERT INTO clusters (id, name, server, labels, annotations, project, credentials_ciphertext, credential_kinds, insecure_skip_tls_verify)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
        [
          cluster.id,
          cluster.name,
          cluster.server,
          cluster.labels,
          cluster.annotations,
          cluster.project,
          cluster.credentialsCiphertext,
          cluster.credentialKinds,
          cluster.insecureSkipTLSVerify,
        ],
      );
      return toCluster(rows[0]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new DomainError(
          DomainErrorCode.AlreadyExists,
          `cluster "${cluster.name}" already exists`,
          [
            {
              field: 'name',
              rule: 'unique',
              message: `a cluster named "${cluster.name}" is already registered`,
            },
          ],
        );
      }
      throw error;
    }
  }

  async update(id: string, changes: ClusterChanges): Promise<Cluster> {
    const columns: Record<keyof ClusterChanges, string> = {
      server: 'server',
      labels: 'labels',
      annotations: 'annotations',
      project: 'project',
      credentialsCiphertext: 'credentials_ciphertext',
      credentialKinds: 'credential_kinds',
      insecureSkipTLSVerify: 'insecure_skip_tls_verify',
    };
    const entries = (Object.keys(changes) as (keyof ClusterChanges)[]).filter(
      (k) => changes[k] !== undefined,
    );
    const sets = entries.map((key, i) => `${columns[key]} = $${i + 2}`);
    // Wrapped in a CTE because TypeORM returns `[rows, count]` for a bare UPDATE ... RETURNING.
    const rows: ClusterRow[] = await this.manager.query(
      `WITH updated AS (
         UPDATE clusters SET ${[...sets, 'resource_version = resource_version + 1', 'updated_at = now()'].join(', ')}
          WHERE id = $1 RETURNING ${COLUMNS})
       SELECT * FROM updated`,
      [id, ...entries.map((key) => changes[key])],
    );
    return toCluster(rows[0]);
  }

  async delete(id: string): Promise<void> {
    await this.manager.query(`DELETE FROM clusters WHERE id = $1`, [id]);
  }

  async appendEvent(event: NewClusterEvent): Promise<void> {
    // Held until commit: ids then become visible in commit order, so a
    // subscriber reading "id > last seen" can never skip a late commit.
    await this.manager.query(`SELECT pg_advisory_xact_lock($1)`, [EVENT_ORDER_LOCK]);
    const [row] = await this.manager.query(
      `INSERT INTO cluster_events (cluster_id, cluster_name, type, old_labels, new_labels, changes)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [
        event.clusterId,
        event.clusterName,
        event.type,
        event.oldLabels,
        event.newLabels,
        event.changes,
      ],
    );
    await this.manager.query(`SELECT pg_notify($1, $2)`, [CLUSTER_EVENTS_CHANNEL, String(row.id)]);
  }
}

function toCluster(row: ClusterRow): Cluster {
  return {
    id: row.id,
    name: row.name,
    server: row.server,
    labels: row.labels,
    annotations: row.annotations,
    project: row.project,
    credentialKinds: row.credential_kinds,
    insecureSkipTLSVerify: row.insecure_skip_tls_verify,
    connection: {
      status: row.connection_status,
      message: row.connection_message,
      serverVersion: row.server_version,
      checkedAt: row.connection_checked_at,
    },
    resourceVersion: Number(row.resource_version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toEvent(row: {
  id: string;
  type: ClusterEvent['type'];
  cluster_id: string;
  cluster_name: string;
  old_labels: Record<string, string> | null;
  new_labels: Record<string, string> | null;
  changes: string[];
  created_at: Date;
}): ClusterEvent {
  return {
    id: Number(row.id),
    type: row.type,
    clusterId: row.cluster_id,
    clusterName: row.cluster_name,
    oldLabels: row.old_labels,
    newLabels: row.new_labels,
    changes: row.changes,
    createdAt: row.created_at,
  };
}
