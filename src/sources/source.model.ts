/** A Git location holding ApplicationSet YAML that Fleetplane keeps in force. */

/** Work-queue kind of Git source syncs. */
export const SOURCE_WORK = 'source';

export interface SourceFileProblem {
  readonly path: string;
  readonly field: string;
  readonly rule: string;
  readonly message: string;
  readonly line?: number;
}

export interface SourceStatus {
  /** The commit last applied in full. */
  readonly revision?: string;
  /** When that commit was applied. */
  readonly syncedAt?: string;
  readonly applicationSets?: readonly string[];
  /** Files (or documents) that could not be applied; their last good version stays in force. */
  readonly problems?: readonly SourceFileProblem[];
  /** Why the last attempt failed (Git unreachable, unknown revision); nothing was changed. */
  readonly error?: { readonly message: string; readonly at: string } | null;
}

export interface Source {
  readonly id: string;
  readonly name: string;
  readonly repoURL: string;
  readonly revision: string;
  /** Directory in the repository ('' = root). */
  readonly path: string;
  /** Include subdirectories. */
  readonly recurse: boolean;
  readonly status: SourceStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
