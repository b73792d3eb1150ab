/**
 * The prune phase of one step: deletes the objects the plan prunes in that
 * step with the Application's propagation policy (Argo's
 * `PrunePropagationPolicy`, foreground by default), then, when a later step
 * follows, waits until they are gone so that what depends on the order
 * (reverse waves) really happens in order. A dry run asks the server to
 * validate the deletions without doing them.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ObjectKey, PropagationPolicy } from '../../kube/cluster-client';
import { KubeObject, ObjectRef, formatRef, refKey } from '../manifests/kube-object';
import { PruneSkipReason } from '../plan/prune';
import { FailureDescriptor } from '../retry/failure-classification';
import { failureOf } from './apply-object';
import { PassContext, forEachLimited } from './pass-context';

const POLICIES: Readonly<Record<string, PropagationPolicy>> = {
  foreground: 'Foreground',
  background: 'Background',
  orphan: 'Orphan',
};

/** Deletes `refs`; returns the failures (each also reported as a resource result). */
export async function pruneObjects(
  ctx: PassContext,
  refs: readonly ObjectRef[],
): Promise<{ deleted: ObjectRef[]; failures: FailureDescriptor[] }> {
  const propagationPolicy = POLICIES[ctx.appOptions.prunePropagationPolicy ?? 'foreground'];
  const deleted: ObjectRef[] = [];
  const failures: FailureDescriptor[] = [];
  await forEachLimited(refs, ctx.settings.applyConcurrency, async (ref) => {
    if (ctx.signal.aborted) return;
    try {
      const outcome = await ctx.client.delete(keyFor(ref, ctx.live.get(refKey(ref))), {
        propagationPolicy,
        dryRun: ctx.dryRun,
        signal: ctx.signal,
      });
      ctx.report(
        ref,
        'Pruned',
        outcome === 'absent' ? 'already gone' : ctx.dryRun ? 'pruned (dry run)' : 'pruned',
        'Sync',
      );
      if (!ctx.dryRun) ctx.pruned.add(refKey(ref));
      if (outcome === 'absent' && !ctx.dryRun) ctx.gone(ref);
      if (outcome === 'deleted' && !ctx.dryRun) deleted.push(ref);
    } catch (error) {
      const failure = failureOf(error);
      ctx.report(ref, 'SyncFailed', failure.message, 'Sync');
      failures.push(failure);
    }
    ctx.progress();
  });
  return { deleted, failures };
}

/** Waits until the deleted objects are gone (finalizers done); a failure when the deadline passes. */
export async function waitGone(
  ctx: PassContext,
  refs: readonly ObjectRef[],
): Promise<FailureDescriptor | undefined> {
  let pending = [...refs];
  const deadline = Date.now() + ctx.settings.healthTimeoutMs;
  let waitMs = ctx.settings.pollMinMs;
  while (pending.length > 0) {
    const still: ObjectRef[] = [];
    for (const ref of pending) {
      const live = await ctx.client.get(keyFor(ref, ctx.live.get(refKey(ref))), ctx.signal);
      if (live) still.push(ref);
      else ctx.gone(ref);
    }
    pending = still;
    if (pending.length === 0) return undefined;
    if (Date.now() + waitMs > deadline) {
      return {
        kind: 'timeout',
        message: `still being deleted after ${Math.round(ctx.settings.healthTimeoutMs / 1000)} s: ${pending.map(formatRef).join(', ')}`,
      };
    }
    await delay(waitMs, undefined, { signal: ctx.signal });
    waitMs = Math.min(Math.round(waitMs * 1.5), ctx.settings.pollMaxMs);
  }
  return undefined;
}

/** Reports the stale objects a pass leaves in place, as Argo's sync result does. */
export function reportSkippedPrunes(
  ctx: PassContext,
  skipped: readonly { readonly ref: ObjectRef; readonly reason: PruneSkipReason }[],
): void {
  const messages: Partial<Record<PruneSkipReason, string>> = {
    'prune-disabled': 'ignored (requires pruning)',
    'prune-false': 'ignored (Prune=false)',
    'awaiting-confirmation': 'waiting for pruning confirmation (Prune=confirm)',
  };
  for (const { ref, reason } of skipped) {
    const message = messages[reason];
    if (message) ctx.report(ref, 'PruneSkipped', message, 'Sync');
  }
}

/** The key to delete or read: the live object's apiVersion (a served one) when known. */
function keyFor(ref: ObjectRef, live: KubeObject | undefined): ObjectKey {
  const apiVersion = live?.apiVersion ?? (ref.group ? `${ref.group}/${ref.version}` : ref.version);
  return { apiVersion, kind: ref.kind, namespace: ref.namespace || undefined, name: ref.name };
}
