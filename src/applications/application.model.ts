/** An Application as Fleetplane stores it: Argo CD's metadata and spec, plus the owner and status. */
import { Application } from '../argo/application.types';

export interface StoredApplication {
  readonly id: string;
  readonly name: string;
  /** Name of the owning ApplicationSet; null when orphaned. */
  readonly applicationSet: string | null;
  readonly applicationSetId: string | null;
  readonly project: string;
  /** Registered cluster the destination resolves to. */
  readonly clusterName: string | null;
  readonly destServer: string | null;
  readonly destNamespace: string;
  readonly manifest: Application;
  readonly specHash: string;
  readonly generation: number;
  /** Filled by the sync engine. */
  readonly status: Record<string, unknown>;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The columns of a generated Application, derived from its manifest. */
export interface ApplicationRow {
  readonly name: string;
  readonly project: string;
  readonly clusterName: string | null;
  readonly destServer: string | null;
  readonly destNamespace: string;
  readonly labels: Record<string, string>;
  readonly manifest: Application;
  /** `manifest` as JSON, when already serialised (saves a second JSON.stringify per row). */
  readonly manifestJson?: string;
  readonly specHash: string;
}
