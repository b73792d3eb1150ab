/**
 * Schema of the sync engine's control half (migration
 * 1764700000000-SyncControl). Entities describe the tables for the schema
 * check only: the repositories speak SQL and return domain objects.
 */
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ApplicationEntity } from '../../../applications/application.entity';

/** Which replica syncs a cluster, until when. */
@Entity({ name: 'sync_cluster_leases' })
export class ClusterLeaseEntity {
  @PrimaryColumn({
    type: 'text',
    name: 'cluster_name',
    collation: 'C',
    primaryKeyConstraintName: 'sync_cluster_leases_pkey',
  })
  clusterName: string;

  @Column({ type: 'text' })
  holder: string;

  @Column({ type: 'timestamptz', name: 'acquired_at', default: () => 'now()' })
  acquiredAt: Date;

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt: Date;
}

/** A replica running sync workers, seen recently (clusters are shared fairly among them). */
@Entity({ name: 'sync_replicas' })
export class SyncReplicaEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'sync_replicas_pkey' })
  id: string;

  @Column({ type: 'timestamptz', name: 'seen_at', default: () => 'now()' })
  seenAt: Date;
}

/** What the sync engine remembers about an Application beyond its Argo CD status. */
@Entity({ name: 'application_sync_state' })
export class ApplicationSyncStateEntity {
  @PrimaryColumn({
    type: 'uuid',
    name: 'application_id',
    primaryKeyConstraintName: 'application_sync_state_pkey',
  })
  applicationId: string;

  @ManyToOne(() => ApplicationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'application_id',
    foreignKeyConstraintName: 'application_sync_state_application_fkey',
  })
  application?: ApplicationEntity;

  /** What the last successful sync applied: what prune may delete. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  inventory: unknown[];

  /** The last sync attempt (revision, spec hash, phase, retries), for the auto-sync guard. */
  @Column({ type: 'jsonb', name: 'last_attempt', nullable: true })
  lastAttempt: Record<string, unknown> | null;

  @Column({ type: 'integer', name: 'self_heal_attempts', default: 0 })
  selfHealAttempts: number;

  /** Times a Running operation was resumed after its replica stopped. */
  @Column({ type: 'integer', name: 'resume_count', default: 0 })
  resumeCount: number;

  /** A manual sync or rollback waiting for the worker. */
  @Column({ type: 'jsonb', name: 'requested_operation', nullable: true })
  requestedOperation: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', name: 'terminate_requested_at', nullable: true })
  terminateRequestedAt: Date | null;

  /** Deleted by its ApplicationSet while carrying the resources finalizer: prune, then remove. */
  @Column({ type: 'timestamptz', name: 'deletion_requested_at', nullable: true })
  deletionRequestedAt: Date | null;

  @Column({ type: 'uuid', name: 'deletion_owner_id', nullable: true })
  deletionOwnerId: string | null;

  @Column({ type: 'timestamptz', name: 'updated_at', default: () => 'now()' })
  updatedAt: Date;
}
