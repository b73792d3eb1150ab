/**
 * Writes one reconcile's plan: Applications created, updated (orphans of the
 * same name adopted, as Argo CD adopts unowned Applications), deleted or
 * released, inside the caller's transaction. Only manifest columns are
 * written: the `status` column and everything else the sync engine owns are
 * never touched here.
 */
import { applicationWrites } from '../../applications/application.repository';
import { ApplicationRow } from '../../applications/application.model';
import { SqlRunner } from '../../applications/application.repository';
import { ApplicationChanges } from './applicationset-status';
import { ApplicationPlan, DesiredApplication } from './application-plan';

/** The writes a plan makes, ready for `applyPlan`. */
export interface PlannedWrites {
  readonly inserts: readonly ApplicationRow[];
  readonly updates: readonly { id: string; row: ApplicationRow }[];
  readonly deletes: readonly string[];
  readonly orphans: readonly string[];
}

/**
 * What `plan` writes (pure function). `orphanIds` maps names to unowned
 * Applications that are adopted instead of created; `releaseKept` orphans the
 * Applications the policy keeps (the ApplicationSet itself is going away).
 * A plan held back by the deletion budget writes nothing.
 */
export function plannedWrites(
  plan: ApplicationPlan,
  orphanIds: ReadonlyMap<string, string>,
  releaseKept: boolean,
  rowOf: (desired: DesiredApplication) => ApplicationRow,
): PlannedWrites {
  if (plan.blockedDeletions) return { inserts: [], updates: [], deletes: [], orphans: [] };
  const inserts: ApplicationRow[] = [];
  const updates: { id: string; row: ApplicationRow }[] = plan.update.map((u) => ({
    id: u.id,
    row: rowOf(u.desired),
  }));
  for (const desired of plan.create) {
    const adopt = orphanIds.get(desired.application.metadata.name);
    if (adopt) updates.push({ id: adopt, row: rowOf(desired) });
    else inserts.push(rowOf(desired));
  }
  return {
    inserts,
    updates,
    deletes: plan.delete.map((e) => e.id),
    orphans: releaseKept ? plan.keep.map((e) => e.id) : [],
  };
}

/** Counts for the status. */
export function changesOf(writes: PlannedWrites): ApplicationChanges {
  return {
    created: writes.inserts.length,
    updated: writes.updates.length,
    deleted: writes.deletes.length,
    orphaned: writes.orphans.length,
  };
}

/** Runs the writes in `tx`. Deletion goes through `applicationWrites.delete`, its only path. */
export async function applyPlan(
  tx: SqlRunner,
  applicationSetId: string,
  writes: PlannedWrites,
): Promise<void> {
  await applicationWrites.insert(tx, applicationSetId, writes.inserts);
  await applicationWrites.update(tx, applicationSetId, writes.updates);
  await applicationWrites.delete(tx, writes.deletes);
  await applicationWrites.orphan(tx, writes.orphans);
}
