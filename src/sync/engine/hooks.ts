/**
 * Resource hooks (`argocd.argoproj.io/hook`, or Helm hooks mapped to
 * Argo's phases): applied in their phase and wave like any task but always
 * run, and cleaned up by their delete policy (`argocd.argoproj.io/hook-delete-policy`,
 * or Helm's `helm.sh/hook-delete-policy`): `BeforeHookCreation` (the
 * default) deletes the previous run's object before creating the new one;
 * `HookSucceeded` / `HookFailed` delete it after the step succeeded /
 * failed. Hooks take part in health waits until they complete.
 */
import { annotationList, refKey } from '../manifests/kube-object';
import { SyncTask } from '../plan/sync-order';
import { WriteResult, applyObject, describeKind, failureOf } from './apply-object';
import { PassContext } from './pass-context';
import { waitGone } from './prune';
import { keyOf } from '../../kube/cluster-client';

/** Argo's hook delete policies. */
export type HookDeletePolicy = 'BeforeHookCreation' | 'HookSucceeded' | 'HookFailed';

const HELM_POLICIES: Readonly<Record<string, HookDeletePolicy>> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};

/** The delete policies of a hook (pure function); `BeforeHookCreation` when none is set. */
export function hookDeletePolicies(task: SyncTask): Set<HookDeletePolicy> {
  const argo = annotationList(task.object, 'argocd.argoproj.io/hook-delete-policy').filter(
    (value): value is HookDeletePolicy =>
      value === 'BeforeHookCreation' || value === 'HookSucceeded' || value === 'HookFailed',
  );
  const helm = annotationList(task.object, 'helm.sh/hook-delete-policy')
    .map((value) => HELM_POLICIES[value])
    .filter((value): value is HookDeletePolicy => value !== undefined);
  const policies = new Set(argo.length > 0 ? argo : helm);
  if (policies.size === 0) policies.add('BeforeHookCreation');
  return policies;
}

/** Runs one hook: removes the previous run when its policy says so, then applies it. */
export async function applyHook(ctx: PassContext, task: SyncTask): Promise<WriteResult> {
  const key = refKey(task.ref);
  try {
    if (!ctx.dryRun && hookDeletePolicies(task).has('BeforeHookCreation') && ctx.live.has(key)) {
      await ctx.client.delete(keyOf(task.object), {
        propagationPolicy: 'Background',
        signal: ctx.signal,
      });
      const stuck = await waitGone(ctx, [task.ref]);
      if (stuck) throw Object.assign(new Error(stuck.message), { failure: stuck });
    }
    const answer = await applyObject(ctx, task.object);
    ctx.report(
      task.ref,
      'Synced',
      `${describeKind(task)} created${ctx.dryRun ? ' (dry run)' : ''}`,
      task.phase,
      task.phase,
    );
    if (!ctx.dryRun) ctx.answered(task.ref, answer);
    return { live: answer, wrote: !ctx.dryRun };
  } catch (error) {
    const carried = (error as { failure?: ReturnType<typeof failureOf> }).failure;
    const failure = carried ?? failureOf(error);
    ctx.report(task.ref, 'SyncFailed', failure.message, task.phase, task.phase);
    return { wrote: false, failure };
  }
}

/** Deletes the hooks of a finished step whose policy asks for it (best effort: a hook left behind is not a failure). */
export async function cleanUpHooks(
  ctx: PassContext,
  hooks: readonly SyncTask[],
  succeeded: boolean,
): Promise<void> {
  if (ctx.dryRun) return;
  const policy: HookDeletePolicy = succeeded ? 'HookSucceeded' : 'HookFailed';
  for (const task of hooks) {
    if (!hookDeletePolicies(task).has(policy)) continue;
    try {
      await ctx.client.delete(keyOf(task.object), {
        propagationPolicy: 'Background',
        signal: ctx.signal,
      });
      ctx.live.delete(refKey(task.ref));
    } catch {
      // The next run's BeforeHookCreation, or the user, removes it.
    }
  }
}
