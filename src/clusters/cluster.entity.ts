import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export type ConnectionStatus = 'Unknown' | 'Successful' | 'Failed';

/** A registered Kubernetes cluster. Credentials are stored only as AES-256-GCM ciphertext. */
@Entity({ name: 'clusters' })
export class ClusterEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Free-form, unique; byte-wise collation so listing order is the same on every server. */
  @Index('clusters_name_key', { unique: true })
  @Column({ type: 'text', collation: 'C' })
  name: string;

  @Column({ type: 'text' })
  server: string;

  @Index('clusters_labels_gin', { synchronize: false })
  @Column({ type: 'jsonb', default: () => "'{}'" })
  labels: Record<string, string>;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  annotations: Record<string, string>;

  @Column({ type: 'text', nullable: true })
  project: string | null;

  /** Versioned ciphertext of the credential bundle, bound to `id`; null when none is set. */
  @Column({ type: 'bytea', name: 'credentials_ciphertext', nullable: true, select: false })
  credentialsCiphertext: Buffer | null;

  /** Which credentials are set (`bearerToken`, `clientCertificate`, `caData`), shown instead of them. */
  @Column({ type: 'text', name: 'credential_kinds', array: true, default: () => "'{}'" })
  credentialKinds: string[];

  @Column({ type: 'boolean', name: 'insecure_skip_tls_verify', default: false })
  insecureSkipTlsVerify: boolean;

  @Column({ type: 'text', name: 'connection_status', default: 'Unknown' })
  connectionStatus: ConnectionStatus;

  @Column({ type: 'text', name: 'connection_message', nullable: true })
  connectionMessage: string | null;

  @Column({ type: 'text', name: 'server_version', nullable: true })
  serverVersion: string | null;

  @Column({ type: 'timestamptz', name: 'connection_checked_at', nullable: true })
  connectionCheckedAt: Date | null;

  /** Bumped on every change of the registration (not of connection status). */
  @Column({ type: 'bigint', name: 'resource_version', default: 1 })
  resourceVersion: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}
