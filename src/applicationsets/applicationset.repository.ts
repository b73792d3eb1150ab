/**
 * Reads and writes of the `applicationsets` table, and the transaction in
 * which a reconcile writes Applications and status together.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApplicationSet } from '../argo/applicationset.types';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { storableJson } from '../common/storable-text';
import { SqlRunner } from '../applications/application.repository';
import {
  ApplicationSetWrite,
  DeletionApproval,
  StoredApplicationSet,
} from './applicationset.model';
import { ApplicationSetStatus } from './reconcile/applicationset-status';

const COLUMNS = `a.id, a.name, a.source_id, src.name AS source_name, a.source_path, a.source_revision, a.document, a.spec_hash, a.generation,
  a.status, a.cluster_selectors, a.git_repos, a.approved_deletions, a.deletion_requested_at, a.created_at, a.updated_at`;
const FROM = `applicationsets a LEFT JOIN sources src ON src.id = a.source_id`;

interface Row {
  id: string;
  name: string;
  source_id: string | null;
  source_name: string | null;
  source_path: string | null;
  source_revision: string | null;
  document: StoredApplicationSet['document'];
  spec_hash: string;
  generation: string;
  status: ApplicationSetStatus;
  cluster_selectors: StoredApplicationSet['clusterSelectors'];
  git_repos: string[];
  approved_deletions: DeletionApproval | null;
  deletion_requested_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** Writes one reconcile makes, committed together. */
export interface ReconcileTransaction extends SqlRunner {
  saveStatus(id: string, status: ApplicationSetStatus): Promise<void>;
  /** Removes the ApplicationSet row (its Applications must be gone or orphaned). */
  remove(id: string): Promise<void>;
  /** Locks the ApplicationSet row; null if it no longer exists. */
  lock(id: string): Promise<{ generation: number } | null>;
}

@Injectable()
export class ApplicationSetRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findByName(name: string): Promise<StoredApplicationSet | null> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE a.name = $1`,
      [name],
    );
    return rows.length ? toStored(rows[0]) : null;
  }

  /** The ApplicationSets with these names, in one query. */
  async findByNames(names: readonly string[]): Promise<StoredApplicationSet[]> {
    if (names.length === 0) return [];
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE a.name = ANY($1::text[])`,
      [names],
    );
    return rows.map(toStored);
  }

  async findById(id: string): Promise<StoredApplicationSet | null> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE a.id = $1`,
      [id],
    );
    return rows.length ? toStored(rows[0]) : null;
  }

  async list(limit: number, afterName: string | null): Promise<StoredApplicationSet[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ($1::text IS NULL OR a.name > $1) ORDER BY a.name LIMIT $2`,
      [afterName, limit],
    );
    return rows.map(toStored);
  }

  /** Every ApplicationSet of a Git source. */
  async listBySource(sourceId: string): Promise<StoredApplicationSet[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE a.source_id = $1 ORDER BY a.name`,
      [sourceId],
    );
    return rows.map(toStored);
  }

  /** Id and cluster selectors of every ApplicationSet, for relabel targeting. */
  async listSelectors(): Promise<
    { id: string; clusterSelectors: StoredApplicationSet['clusterSelectors'] }[]
  > {
    const rows: { id: string; cluster_selectors: StoredApplicationSet['clusterSelectors'] }[] =
      await this.dataSource.query(
        `SELECT id, cluster_selectors FROM applicationsets WHERE jsonb_array_length(cluster_selectors) > 0`,
      );
    return rows.map((r) => ({ id: r.id, clusterSelectors: r.cluster_selectors }));
  }

  /**
   * ApplicationSets that read Git: their generators (to find the repositories
   * they name) and the commits their last successful generation read.
   */
  async listGitReaders(): Promise<
    {
      id: string;
      generators: ApplicationSet['spec']['generators'];
      revisions: { repoURL: string; revision: string; sha: string }[];
    }[]
  > {
    const rows: {
      id: string;
      generators: ApplicationSet['spec']['generators'] | null;
      revisions: { repoURL: string; revision: string; sha: string }[] | null;
    }[] = await this.dataSource.query(
      `SELECT id, document->'spec'->'generators' AS generators, status->'revisions' AS revisions
         FROM applicationsets
        WHERE deletion_requested_at IS NULL
          AND (cardinality(git_repos) > 0 OR coalesce(status->'revisions', '[]') <> '[]')`,
    );
    return rows.map((r) => ({
      id: r.id,
      generators: r.generators ?? [],
      revisions: Array.isArray(r.revisions) ? r.revisions : [],
    }));
  }

  /** Ids of ApplicationSets owning Applications on a cluster. */
  async idsTargetingCluster(clusterName: string): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT applicationset_id AS id FROM applications WHERE cluster_name = $1 AND applicationset_id IS NOT NULL`,
      [clusterName],
    );
    return rows.map((r) => r.id);
  }

  /** Ids of ApplicationSets with Applications skipped because their destination cluster is not registered. */
  async idsWaitingForCluster(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM applicationsets WHERE status->'skippedApplications' @> '[{"problems":[{"rule":"cluster-not-registered"}]}]'`,
    );
    return rows.map((r) => r.id);
  }

  async allIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM applicationsets ORDER BY name`,
    );
    return rows.map((r) => r.id);
  }

  /** A fingerprint of all selectors, to know when a cached targeting index is stale. */
  async selectorsVersion(): Promise<string> {
    const [row] = await this.dataSource.query(
      `SELECT count(*) || ':' || coalesce(max(updated_at)::text, '') AS v FROM applicationsets`,
    );
    return row.v;
  }

  async insert(write: ApplicationSetWrite): Promise<StoredApplicationSet> {
    try {
      const [row]: { id: string }[] = await this.dataSource.query(
        `INSERT INTO applicationsets (name, document, spec_hash, cluster_selectors, git_repos, source_id, source_path, source_revision)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          write.name,
          write.document,
          write.specHash,
          JSON.stringify(write.clusterSelectors),
          write.gitRepos,
          write.sourceId,
          write.sourcePath,
          write.sourceRevision,
        ],
      );
      return (await this.findById(row.id))!;
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        throw new DomainError(
          DomainErrorCode.AlreadyExists,
          `ApplicationSet "${write.name}" already exists`,
          [
            {
              field: 'metadata.name',
              rule: 'unique',
              message: `an ApplicationSet named "${write.name}" already exists`,
            },
          ],
        );
      }
      throw error;
    }
  }

  /** Replaces the document; bumps the generation only when the spec hash changes. Returns whether it changed. */
  async replace(id: string, write: ApplicationSetWrite): Promise<boolean> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH changed AS (
         UPDATE applicationsets SET document = $2, spec_hash = $3, cluster_selectors = $4, git_repos = $5, source_id = $6,
                source_path = $7, source_revision = $8, generation = generation + 1, approved_deletions = NULL, deletion_requested_at = NULL,
                updated_at = now()
          WHERE id = $1 AND (spec_hash <> $3 OR source_path IS DISTINCT FROM $7 OR source_id IS DISTINCT FROM $6
                             OR deletion_requested_at IS NOT NULL)
         RETURNING id)
       SELECT id FROM changed`,
      [
        id,
        write.document,
        write.specHash,
        JSON.stringify(write.clusterSelectors),
        write.gitRepos,
        write.sourceId,
        write.sourcePath,
        write.sourceRevision,
      ],
    );
    return rows.length > 0;
  }

  async requestDeletion(id: string, approval: DeletionApproval | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE applicationsets SET deletion_requested_at = coalesce(deletion_requested_at, now()),
              approved_deletions = coalesce($2::jsonb, approved_deletions), updated_at = now()
        WHERE id = $1`,
      [id, approval ? JSON.stringify(approval) : null],
    );
  }

  /** Lets a source row go: its ApplicationSets (being deleted) keep no reference to it. */
  async detachSource(sourceId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE applicationsets SET source_id = NULL WHERE source_id = $1`,
      [sourceId],
    );
  }

  async approveDeletions(id: string, approval: DeletionApproval): Promise<void> {
    await this.dataSource.query(
      `UPDATE applicationsets SET approved_deletions = $2, updated_at = now() WHERE id = $1`,
      [id, JSON.stringify(approval)],
    );
  }

  async transaction<T>(work: (tx: ReconcileTransaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) =>
      work({
        query: (sql, params) => manager.query(sql, params),
        saveStatus: async (id, status) => {
          // A skipped Application's name or a warning may quote unstorable text (a NUL) from
          // generator input.
          await manager.query(`UPDATE applicationsets SET status = $2 WHERE id = $1`, [
            id,
            storableJson(status),
          ]);
        },
        remove: async (id) => {
          await manager.query(`DELETE FROM applicationsets WHERE id = $1`, [id]);
        },
        lock: async (id) => {
          const rows: { generation: string }[] = await manager.query(
            `SELECT generation FROM applicationsets WHERE id = $1 FOR UPDATE`,
            [id],
          );
          return rows.length ? { generation: Number(rows[0].generation) } : null;
        },
      }),
    );
  }
}

function toStored(row: Row): StoredApplicationSet {
  return {
    id: row.id,
    name: row.name,
    sourceId: row.source_id,
    sourceName: row.source_name,
    sourcePath: row.source_path,
    sourceRevision: row.source_revision,
    document: row.document,
    specHash: row.spec_hash,
    generation: Number(row.generation),
    status: row.status,
    clusterSelectors: row.cluster_selectors,
    gitRepos: row.git_repos,
    approvedDeletions: row.approved_deletions,
    deletionRequestedAt: row.deletion_requested_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
