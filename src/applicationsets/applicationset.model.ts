import { ApplicationSet } from '../argo/applicationset.types';
import { ClusterSelectorUse } from '../generators/generator-tree';
import { ApplicationSetStatus } from './reconcile/applicationset-status';

/** What an operator approved: one exact set of deletions, or everything (an explicit DELETE). */
export interface DeletionApproval {
  readonly fingerprint?: string;
  readonly all?: boolean;
  readonly approvedAt: string;
}

export interface StoredApplicationSet {
  readonly id: string;
  readonly name: string;
  /** The Git source managing it (null: managed over REST). */
  readonly sourceId: string | null;
  readonly sourceName: string | null;
  readonly sourcePath: string | null;
  /** The source commit the document was last changed in. */
  readonly sourceRevision: string | null;
  readonly document: ApplicationSet;
  readonly specHash: string;
  /** Bumped whenever the document changes. */
  readonly generation: number;
  readonly status: ApplicationSetStatus;
  readonly clusterSelectors: readonly ClusterSelectorUse[];
  readonly gitRepos: readonly string[];
  readonly approvedDeletions: DeletionApproval | null;
  /** Set while its Applications are being removed, after which the ApplicationSet is deleted. */
  readonly deletionRequestedAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** The columns derived from a document when it is stored. */
export interface ApplicationSetWrite {
  readonly name: string;
  readonly document: ApplicationSet;
  readonly specHash: string;
  readonly clusterSelectors: readonly ClusterSelectorUse[];
  readonly gitRepos: readonly string[];
  readonly sourceId: string | null;
  readonly sourcePath: string | null;
  readonly sourceRevision: string | null;
}
