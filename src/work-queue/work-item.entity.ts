import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One pending unit of work per (kind, target); see WorkQueueRepository. */
@Entity({ name: 'work_queue' })
@Index('work_queue_due_idx', ['kind', 'notBefore'])
export class WorkItemEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'work_queue_pkey' })
  kind: string;

  @PrimaryColumn({ type: 'uuid', name: 'target_id', primaryKeyConstraintName: 'work_queue_pkey' })
  targetId: string;

  @Column({ type: 'timestamptz', name: 'not_before', default: () => 'now()' })
  notBefore: Date;

  @Column({ type: 'bigint', default: 1 })
  version: string;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  reasons: string[];

  @Column({ type: 'text', name: 'claimed_by', nullable: true })
  claimedBy: string | null;

  @Column({ type: 'timestamptz', name: 'claimed_until', nullable: true })
  claimedUntil: Date | null;

  @Column({ type: 'text', name: 'last_error', nullable: true })
  lastError: string | null;
}
