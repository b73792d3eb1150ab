import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ClusterEventType = 'Registered' | 'Updated' | 'Deleted';

/**
 * Outbox row written in the same transaction as the change it describes, so
 * subscribers (the ApplicationSet reconciler, other replicas) never miss one.
 */
@Entity({ name: 'cluster_events' })
export class ClusterEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'uuid', name: 'cluster_id' })
  clusterId: string;

  @Column({ type: 'text', name: 'cluster_name' })
  clusterName: string;

  @Column({ type: 'text' })
  type: ClusterEventType;

  /** Labels before the change; null for a registration. */
  @Column({ type: 'jsonb', name: 'old_labels', nullable: true })
  oldLabels: Record<string, string> | null;

  /** Labels after the change; null for a deletion. */
  @Column({ type: 'jsonb', name: 'new_labels', nullable: true })
  newLabels: Record<string, string> | null;

  /** Which registration fields changed (`labels`, `server`, `name`, ...). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  changes: string[];

  @Index('cluster_events_created_at_idx')
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
