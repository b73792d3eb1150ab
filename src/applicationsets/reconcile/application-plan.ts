/**
 * What one reconcile of an ApplicationSet changes, decided by a pure function
 * from what was generated and what exists (semantics.md §3):
 * - valid generated Applications are created when missing and updated when
 *   their manifest changed, as the policy allows;
 * - an Application with a problem (invalid, duplicate name, unknown cluster)
 *   is neither created nor updated, but an existing one of that name is not
 *   deleted either (Argo deletes by the names generated, valid or not);
 * - owned Applications no longer generated are deleted as the policy allows,
 *   unless the deletion budget holds them back (something Argo lacks:
 *   argo-cd#18212, #18480 and #14318 deleted whole fleets on one bad input).
 */
import { createHash } from 'node:crypto';
import { Application } from '../../argo/application.types';
import { ApplicationsSyncPolicy } from '../../argo/applicationset.types';
import { FieldProblem } from '../../common/field-problem';

export interface DesiredApplication {
  readonly application: Application;
  /** Validation problems; an Application with any is not written. */
  readonly problems: readonly FieldProblem[];
  /** Hash of the manifest (see `manifestHash`). */
  readonly hash: string;
  /** The JSON the hash was computed from, when kept (stored as is). */
  readonly json?: string;
}

export interface ExistingApplication {
  readonly id: string;
  readonly name: string;
  readonly hash: string;
}

export interface DeletionBudget {
  /** Share of the owned Applications one reconcile may delete (0–1). */
  readonly maxShare: number;
  /** Deleting this many is always allowed, whatever the share. */
  readonly minCount: number;
}

export const DEFAULT_DELETION_BUDGET: DeletionBudget = { maxShare: 0.5, minCount: 10 };

export interface PlanInput {
  readonly desired: readonly DesiredApplication[];
  /** Applications this ApplicationSet owns now. */
  readonly existing: readonly ExistingApplication[];
  readonly policy: ApplicationsSyncPolicy;
  readonly budget: DeletionBudget;
  /** Fingerprint of a deletion set an operator approved (see `deletionFingerprint`), if any. */
  readonly approvedDeletions: string | null;
}

export interface ApplicationPlan {
  readonly create: readonly DesiredApplication[];
  readonly update: readonly { readonly id: string; readonly desired: DesiredApplication }[];
  readonly delete: readonly ExistingApplication[];
  /** Owned Applications the policy keeps although no longer generated. */
  readonly keep: readonly ExistingApplication[];
  readonly unchanged: number;
  /** Set when the deletions exceed the budget and were not approved: nothing may be written. */
  readonly blockedDeletions: {
    readonly names: readonly string[];
    readonly limit: number;
    readonly fingerprint: string;
  } | null;
  /** Generated Applications not written because of their problems. */
  readonly skipped: readonly DesiredApplication[];
}

const ALLOWS_UPDATE: Record<ApplicationsSyncPolicy, boolean> = {
  sync: true,
  'create-update': true,
  'create-delete': false,
  'create-only': false,
};

const ALLOWS_DELETE: Record<ApplicationsSyncPolicy, boolean> = {
  sync: true,
  'create-delete': true,
  'create-update': false,
  'create-only': false,
};

/** Plans creates, updates and deletes (pure function); output lists are in name order. */
export function planApplications(input: PlanInput): ApplicationPlan {
  const existingByName = new Map(input.existing.map((app) => [app.name, app]));
  const generatedNames = new Set(input.desired.map((d) => d.application.metadata.name));
  const create: DesiredApplication[] = [];
  const update: { id: string; desired: DesiredApplication }[] = [];
  const skipped: DesiredApplication[] = [];
  let unchanged = 0;

  for (const desired of [...input.desired].sort(byName)) {
    if (desired.problems.length > 0) {
      skipped.push(desired);
      continue;
    }
    const current = existingByName.get(desired.application.metadata.name);
    if (!current) create.push(desired);
    else if (current.hash === desired.hash || !ALLOWS_UPDATE[input.policy]) unchanged++;
    else update.push({ id: current.id, desired });
  }

  const gone = input.existing
    .filter((app) => !generatedNames.has(app.name))
    .sort((a, b) => compare(a.name, b.name));
  const toDelete = ALLOWS_DELETE[input.policy] ? gone : [];
  const keep = ALLOWS_DELETE[input.policy] ? [] : gone;
  const limit = deletionLimit(input.existing.length, input.budget);
  const fingerprint = deletionFingerprint(toDelete.map((app) => app.name));
  const blocked = toDelete.length > limit && input.approvedDeletions !== fingerprint;
  return {
    create,
    update,
    delete: toDelete,
    keep,
    unchanged,
    skipped,
    blockedDeletions: blocked
      ? { names: toDelete.map((app) => app.name), limit, fingerprint }
      : null,
  };
}

/** How many of `owned` Applications one reconcile may delete without approval. */
export function deletionLimit(owned: number, budget: DeletionBudget): number {
  return Math.max(budget.minCount, Math.floor(owned * budget.maxShare));
}

/** Identifies one exact set of deletions, so an approval cannot release a different one. */
export function deletionFingerprint(names: readonly string[]): string {
  return createHash('sha256')
    .update([...names].sort(compare).join('\n'))
    .digest('hex');
}

/** True when the plan writes nothing. */
export function isEmptyPlan(plan: ApplicationPlan): boolean {
  return plan.create.length === 0 && plan.update.length === 0 && plan.delete.length === 0;
}

function byName(a: DesiredApplication, b: DesiredApplication): number {
  return compare(a.application.metadata.name, b.application.metadata.name);
}

/** Byte-wise order, like the `C` collation of the name columns. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
