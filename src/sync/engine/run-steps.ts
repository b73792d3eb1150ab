/**
 * Runs a planned pass step by step (gitops-engine's `runTasks`, one
 * (phase, wave) at a time): prune, apply, wait until healthy, pause, next.
 * The last step waits for its hooks only; once it is done the pass has
 * succeeded, and follows the rollout for the settle time (see `settle`).
 * The first step that fails stops the pass (later waves must not run
 * against a broken earlier one), then the `SyncFail` hooks run. The abort
 * signal is honoured between and during steps.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { SyncPlan, SyncStep } from '../plan/sync-plan';
import { SyncTask } from '../plan/sync-order';
import { FailureDescriptor, classifyFailure } from '../retry/failure-classification';
import { KubeObject } from '../manifests/kube-object';
import { applyTasks } from './apply';
import { cleanUpHooks } from './hooks';
import { PassContext } from './pass-context';
import { pruneObjects, reportSkippedPrunes, waitGone } from './prune';
import { waitHealthySafely } from './wait-healthy';

/** How the steps ended. */
export type StepsOutcome =
  | { readonly kind: 'succeeded' }
  | { readonly kind: 'terminated' }
  | { readonly kind: 'failed'; readonly message: string; readonly failure: FailureDescriptor };

/** Runs every step of `plan` (the SyncFail hooks only when a step failed). */
export async function runSteps(
  ctx: PassContext,
  plan: SyncPlan,
  managedNamespace: KubeObject | undefined,
): Promise<StepsOutcome> {
  reportSkippedPrunes(ctx, plan.prune.skipped);
  ctx.progress();
  const steps = plan.steps.filter((step) => step.phase !== 'SyncFail');
  let applied: Applied = [];
  for (let index = 0; index < steps.length; index++) {
    if (ctx.signal.aborted) return { kind: 'terminated' };
    const step = await runStep(ctx, steps[index], managedNamespace, index < steps.length - 1);
    if (ctx.signal.aborted) return { kind: 'terminated' };
    if ('kind' in step) {
      await runSyncFailHooks(
        ctx,
        plan.steps.filter((step) => step.phase === 'SyncFail'),
      );
      return step;
    }
    applied = step;
  }
  // Done: an abort from here on only ends the settle wait early.
  if (!ctx.dryRun) await settle(ctx, applied);
  return { kind: 'succeeded' };
}

type StepFailure = Extract<StepsOutcome, { kind: 'failed' }>;

/** Objects a step applied, with the live object the server answered. */
type Applied = readonly { readonly task: SyncTask; readonly live: KubeObject }[];

async function runStep(
  ctx: PassContext,
  step: SyncStep,
  managedNamespace: KubeObject | undefined,
  laterSteps: boolean,
): Promise<StepFailure | Applied> {
  const where = `${step.phase} wave ${step.wave}`;
  if (step.prune.length > 0) {
    const pruned = await pruneObjects(ctx, step.prune);
    if (pruned.failures.length > 0) return failed(`pruning failed in ${where}`, pruned.failures);
    if (laterSteps && pruned.deleted.length > 0) {
      const stuck = await waitGone(ctx, pruned.deleted).catch(() => undefined);
      if (stuck) return failed(`pruning did not finish in ${where}`, [stuck]);
    }
  }
  const applied = await applyTasks(ctx, step.apply, managedNamespace);
  const hooks = step.apply.filter((task) => task.hook);
  if (applied.failures.length > 0) {
    await cleanUpHooks(ctx, hooks, false);
    return failed(`one or more objects failed to apply in ${where}`, applied.failures);
  }
  if (!ctx.dryRun) {
    // The last step succeeds once applied, even if its objects turn Degraded later (gitops-engine:
    // a sync without hooks or waves is an asynchronous apply); its hooks still run to completion.
    const awaited = laterSteps ? applied.applied : applied.applied.filter(({ task }) => task.hook);
    const health = await waitHealthySafely(ctx, awaited);
    if (ctx.signal.aborted) return applied.applied;
    await cleanUpHooks(ctx, hooks, health.ok);
    if (!health.ok) {
      return { kind: 'failed', message: `${where}: ${health.message}`, failure: health.failure };
    }
    if (laterSteps && applied.wrote && ctx.settings.waveDelayMs > 0) {
      await delay(ctx.settings.waveDelayMs, undefined, { signal: ctx.signal }).catch(
        () => undefined,
      );
    }
  }
  return applied.applied;
}

/**
 * Follows the rollout of the last step for up to `settleMs`, whatever it turns out to be: the
 * status the pass writes then shows the health reached (a quick rollout costs no second look),
 * while a long one frees the pass's slot and is followed by the watch.
 */
async function settle(ctx: PassContext, applied: Applied): Promise<void> {
  const objects = applied.filter(({ task }) => !task.hook);
  if (objects.length === 0 || ctx.settings.settleMs <= 0) return;
  await waitHealthySafely(ctx, objects, { timeoutMs: ctx.settings.settleMs, tolerant: true });
}

async function runSyncFailHooks(ctx: PassContext, steps: readonly SyncStep[]): Promise<void> {
  for (const step of steps) {
    if (ctx.signal.aborted) return;
    const applied = await applyTasks(ctx, step.apply, undefined);
    if (!ctx.dryRun && applied.failures.length === 0) {
      const health = await waitHealthySafely(ctx, applied.applied);
      await cleanUpHooks(ctx, step.apply, health.ok);
    }
  }
}

/**
 * A failed step. Of several failures the terminal one is reported (retrying
 * cannot fix it, so the pass must not look retryable), else the first.
 */
function failed(summary: string, failures: readonly FailureDescriptor[]): StepFailure {
  const now = Date.now();
  const failure = failures.find((f) => classifyFailure(f, now).class === 'terminal') ?? failures[0];
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
  return { kind: 'failed', message: `${summary}: ${failure.message}${more}`, failure };
}
