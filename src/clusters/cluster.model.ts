/** A registered cluster as the rest of Fleetplane sees it (never its credentials). */
import { ConnectionStatus } from './cluster.entity';
import { CredentialKind } from './cluster-credentials';

export interface ClusterConnection {
  readonly status: ConnectionStatus;
  readonly message: string | null;
  readonly serverVersion: string | null;
  readonly checkedAt: Date | null;
}

export interface Cluster {
  readonly id: string;
  readonly name: string;
  readonly server: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly project: string | null;
  readonly credentialKinds: CredentialKind[];
  readonly insecureSkipTLSVerify: boolean;
  readonly connection: ClusterConnection;
  /** Increases with every change of the registration. */
  readonly resourceVersion: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A change of the registry, as published to subscribers (the reconciler, other replicas). */
export interface ClusterEvent {
  readonly id: number;
  readonly type: 'Registered' | 'Updated' | 'Deleted';
  readonly clusterId: string;
  readonly clusterName: string;
  readonly oldLabels: Record<string, string> | null;
  readonly newLabels: Record<string, string> | null;
  /** Registration fields that changed: `labels`, `annotations`, `server`, `project`, `credentials`. */
  readonly changes: string[];
  readonly createdAt: Date;
}
