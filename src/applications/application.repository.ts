/**
 * Reads and writes of the `applications` table. Bulk writes take one
 * statement per chunk (unnest), so a reconcile of 10,000 Applications is a
 * handful of round trips.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Application, RESOURCES_FINALIZER } from '../argo/application.types';
import { ApplicationRow, StoredApplication } from './application.model';
import { ApplicationFilter, applicationFilterSql } from './application-filter';
import { isUnstorableText } from '../common/storable-text';

/** Runs SQL inside the caller's transaction. */
export interface SqlRunner {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** Who owns an Application of a given name, and whether the sync engine is deleting it. */
export interface ApplicationOwnership {
  readonly id: string;
  /** Null when orphaned (or released while being deleted). */
  readonly applicationSetId: string | null;
  /** Marked for deletion: the sync engine is removing its resources, then the row. */
  readonly deleting: boolean;
}

const CHUNK = 1000;

const COLUMNS = `a.id, a.name, s.name AS applicationset, a.applicationset_id, a.project, a.cluster_name, a.dest_server,
  a.dest_namespace, a.manifest, a.spec_hash, a.generation, a.status, a.created_at, a.updated_at`;

interface Row {
  id: string;
  name: string;
  applicationset: string | null;
  applicationset_id: string | null;
  project: string;
  cluster_name: string | null;
  dest_server: string | null;
  dest_namespace: string;
  manifest: Application;
  spec_hash: string;
  generation: string;
  status: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

@Injectable()
export class ApplicationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findByName(name: string): Promise<StoredApplication | null> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM applications a LEFT JOIN applicationsets s ON s.id = a.applicationset_id WHERE a.name = $1`,
      [name],
    );
    return rows.length ? toStored(rows[0]) : null;
  }

  /** Applications in name order after `afterName`, filtered, at most `limit`. */
  async list(
    filter: ApplicationFilter,
    limit: number,
    afterName: string | null,
  ): Promise<StoredApplication[]> {
    const where = applicationFilterSql(filter, 3);
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM applications a LEFT JOIN applicationsets s ON s.id = a.applicationset_id
        WHERE ($1::text IS NULL OR a.name > $1) AND ${where.clause}
        ORDER BY a.name LIMIT $2`,
      [afterName, limit, ...where.params],
    );
    return rows.map(toStored);
  }

  /** id, name and hash of the Applications an ApplicationSet owns. */
  async listOwned(applicationSetId: string): Promise<{ id: string; name: string; hash: string }[]> {
    return this.dataSource.query(
      `SELECT id, name, spec_hash AS hash FROM applications WHERE applicationset_id = $1`,
      [applicationSetId],
    );
  }

  /** The owned Applications with their manifests (for previews). */
  async listOwnedManifests(
    applicationSetId: string,
  ): Promise<{ id: string; name: string; hash: string; manifest: Application }[]> {
    return this.dataSource.query(
      `SELECT id, name, spec_hash AS hash, manifest FROM applications WHERE applicationset_id = $1`,
      [applicationSetId],
    );
  }

  /**
   * The existing Applications with these names (any owner, or none), for
   * ownership conflicts and adoption of orphans. One query for any count.
   */
  async findOwnership(names: readonly string[]): Promise<Map<string, ApplicationOwnership>> {
    // A generated name may carry a NUL or a lone surrogate from a parameter: no stored row can
    // have it (validation refuses that Application later), and PostgreSQL would refuse the lookup.
    const storable = names.filter((name) => !isUnstorableText(name));
    if (storable.length === 0) return new Map();
    const rows: {
      id: string;
      name: string;
      applicationset_id: string | null;
      deleting: boolean;
    }[] = await this.dataSource.query(
      `SELECT a.id, a.name, a.applicationset_id, s.deletion_requested_at IS NOT NULL AS deleting
         FROM applications a LEFT JOIN application_sync_state s ON s.application_id = a.id
        WHERE a.name = ANY($1::text[])`,
      [storable],
    );
    return new Map(
      rows.map((r) => [
        r.name,
        { id: r.id, applicationSetId: r.applicationset_id, deleting: r.deleting },
      ]),
    );
  }

  /** Owned Applications per ApplicationSet id, in one query (ids without any are 0). */
  async countOwnedBy(applicationSetIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map(applicationSetIds.map((id) => [id, 0]));
    if (applicationSetIds.length === 0) return counts;
    const rows: { id: string; n: number }[] = await this.dataSource.query(
      `SELECT applicationset_id AS id, count(*)::int AS n FROM applications
        WHERE applicationset_id = ANY($1::uuid[]) GROUP BY applicationset_id`,
      [applicationSetIds],
    );
    for (const row of rows) counts.set(row.id, row.n);
    return counts;
  }

  async countOwned(applicationSetId: string): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM applications WHERE applicationset_id = $1`,
      [applicationSetId],
    );
    return row.n;
  }
}

/** Writes of Applications inside a reconcile transaction. */
export const applicationWrites = {
  async insert(
    tx: SqlRunner,
    applicationSetId: string,
    rows: readonly ApplicationRow[],
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      await tx.query(
        `INSERT INTO applications (applicationset_id, name, project, cluster_name, dest_server, dest_namespace, labels, manifest, spec_hash)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::text[])`,
        [applicationSetId, ...columns(chunk)],
      );
    }
  },

  /** Replaces manifests of existing rows (and re-adopts orphans) by id. */
  async update(
    tx: SqlRunner,
    applicationSetId: string,
    updates: readonly { id: string; row: ApplicationRow }[],
  ): Promise<void> {
    for (let i = 0; i < updates.length; i += CHUNK) {
      const chunk = updates.slice(i, i + CHUNK);
      await tx.query(
        `UPDATE applications a SET applicationset_id = $1, project = u.project, cluster_name = u.cluster_name,
                dest_server = u.dest_server, dest_namespace = u.dest_namespace, labels = u.labels, manifest = u.manifest,
                spec_hash = u.spec_hash, generation = a.generation + 1, updated_at = now()
           FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::text[])
                AS u(id, project, cluster_name, dest_server, dest_namespace, labels, manifest, spec_hash)
          WHERE a.id = u.id`,
        [applicationSetId, chunk.map((u) => u.id), ...columns(chunk.map((u) => u.row)).slice(1)],
      );
    }
  },

  /**
   * Deletes Applications. One that carries the resources finalizer and whose
   * resources were synced (its inventory is not empty, or a sync is running) is only marked: the
   * sync engine prunes its resources from the cluster and then removes the
   * row, which is released from its ApplicationSet meanwhile so the
   * ApplicationSet itself can go. Nothing was ever applied for the others, so
   * they go at once.
   */
  async delete(tx: SqlRunner, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const finalizers = [
      RESOURCES_FINALIZER,
      `${RESOURCES_FINALIZER}/foreground`,
      `${RESOURCES_FINALIZER}/background`,
    ];
    const finalized = (await tx.query(
      `SELECT a.id, a.applicationset_id, a.cluster_name FROM applications a
         JOIN application_sync_state s ON s.application_id = a.id
        WHERE a.id = ANY($1::uuid[])
          AND (jsonb_array_length(s.inventory) > 0 OR a.status->'operationState'->>'phase' IN ('Running', 'Terminating'))
          AND a.manifest->'metadata'->'finalizers' ?| $2::text[]
        FOR UPDATE OF a`,
      [ids, finalizers],
    )) as { id: string; applicationset_id: string | null; cluster_name: string | null }[];
    const kept = finalized.map((row) => row.id);
    if (kept.length > 0) {
      await tx.query(
        `UPDATE application_sync_state s
            SET deletion_requested_at = coalesce(s.deletion_requested_at, now()),
                deletion_owner_id = coalesce(s.deletion_owner_id, f.owner), updated_at = now()
           FROM unnest($1::uuid[], $2::uuid[]) AS f(id, owner) WHERE s.application_id = f.id`,
        [kept, finalized.map((row) => row.applicationset_id)],
      );
      await tx.query(
        `UPDATE applications SET applicationset_id = NULL, updated_at = now() WHERE id = ANY($1::uuid[])`,
        [kept],
      );
      // Wakes the replica syncing the cluster (delivered at commit).
      await tx.query(
        `SELECT pg_notify('fleetplane_application_sync', coalesce(c, '') || chr(9) || i::text)
           FROM unnest($1::uuid[], $2::text[]) AS f(i, c)`,
        [kept, finalized.map((row) => row.cluster_name)],
      );
    }
    await tx.query(
      `DELETE FROM applications WHERE id = ANY($1::uuid[]) AND NOT (id = ANY($2::uuid[]))`,
      [ids, kept],
    );
  },

  /** Keeps Applications but releases them from their ApplicationSet (policies that forbid deletion). */
  async orphan(tx: SqlRunner, ids: readonly string[]): Promise<void> {
    if (ids.length)
      await tx.query(
        `UPDATE applications SET applicationset_id = NULL, updated_at = now() WHERE id = ANY($1::uuid[])`,
        [ids],
      );
  },
};

function columns(rows: readonly ApplicationRow[]): unknown[][] {
  return [
    rows.map((r) => r.name),
    rows.map((r) => r.project),
    rows.map((r) => r.clusterName),
    rows.map((r) => r.destServer),
    rows.map((r) => r.destNamespace),
    rows.map((r) => JSON.stringify(r.labels)),
    rows.map((r) => r.manifestJson ?? JSON.stringify(r.manifest)),
    rows.map((r) => r.specHash),
  ];
}

function toStored(row: Row): StoredApplication {
  return {
    id: row.id,
    name: row.name,
    applicationSet: row.applicationset,
    applicationSetId: row.applicationset_id,
    project: row.project,
    clusterName: row.cluster_name,
    destServer: row.dest_server,
    destNamespace: row.dest_namespace,
    manifest: row.manifest,
    specHash: row.spec_hash,
    generation: Number(row.generation),
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
