import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { SourceEntity } from '../sources/source.entity';

/** An ApplicationSet, from a Git source or the REST API. */
@Entity({ name: 'applicationsets' })
export class ApplicationSetEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('applicationsets_name_key', { unique: true })
  @Column({ type: 'text', collation: 'C' })
  name: string;

  /** The Git source that manages it; null when it was created over REST. */
  @Index('applicationsets_source_idx')
  @Column({ type: 'uuid', name: 'source_id', nullable: true })
  sourceId: string | null;

  @ManyToOne(() => SourceEntity, { nullable: true, createForeignKeyConstraints: true })
  @JoinColumn({ name: 'source_id', foreignKeyConstraintName: 'applicationsets_source_fkey' })
  source?: SourceEntity;

  @Column({ type: 'text', name: 'source_path', nullable: true })
  sourcePath: string | null;

  /** The source commit the document was last changed in. */
  @Column({ type: 'text', name: 'source_revision', nullable: true })
  sourceRevision: string | null;

  /** The ApplicationSet document as validated (apiVersion, kind, metadata, spec). */
  @Column({ type: 'jsonb' })
  document: Record<string, unknown>;

  @Column({ type: 'text', name: 'spec_hash' })
  specHash: string;

  @Column({ type: 'bigint', default: 1 })
  generation: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  status: Record<string, unknown>;

  /** Cluster-generator selectors at any depth, to find the ApplicationSets a relabel affects. */
  @Column({ type: 'jsonb', name: 'cluster_selectors', default: () => "'[]'" })
  clusterSelectors: unknown[];

  /** Repository keys its generators read, to find the ApplicationSets a push affects. */
  @Column({ type: 'text', name: 'git_repos', array: true, default: () => "'{}'" })
  gitRepos: string[];

  @Column({ type: 'jsonb', name: 'approved_deletions', nullable: true })
  approvedDeletions: Record<string, unknown> | null;

  @Column({ type: 'timestamptz', name: 'deletion_requested_at', nullable: true })
  deletionRequestedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}
