import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A Git location whose ApplicationSet YAML files Fleetplane manages. */
@Entity({ name: 'sources' })
export class SourceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('sources_name_key', { unique: true })
  @Column({ type: 'text', collation: 'C' })
  name: string;

  @Column({ type: 'text', name: 'repo_url' })
  repoUrl: string;

  @Column({ type: 'text', default: 'HEAD' })
  revision: string;

  @Column({ type: 'text', default: '' })
  path: string;

  @Column({ type: 'boolean', default: false })
  recurse: boolean;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  status: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}
