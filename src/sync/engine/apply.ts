/**
 * The apply phase of one step: namespaces and CRDs first, one at a time,
 * then the other objects a few at a time, each by server-side apply. An
 * object whose live state already matches Git, and whose manifest is the
 * one the last successful sync applied, is not written again (self-heal and
 * retry passes write only what differs; an unchanged Application writes
 * nothing). Hooks always run (see hooks.ts).
 */
import { objectDigest } from '../manifests/content-hash';
import { KubeObject, formatRef, refKey } from '../manifests/kube-object';
import { diffIgnoring, rulesFor, withIgnoredFromLive } from '../diff/ignore-differences';
import { trackedAppOf } from '../manifests/tracking';
import { SyncTask } from '../plan/sync-order';
import { FailureDescriptor } from '../retry/failure-classification';
import { PassContext, forEachLimited } from './pass-context';
import { WriteResult, applyObject, describeKind, failureOf } from './apply-object';
import { applyHook } from './hooks';

/** What the apply phase of a step did. */
export interface ApplyOutcome {
  /** Tasks whose object is (now) on the cluster, with the live object. */
  readonly applied: { readonly task: SyncTask; readonly live: KubeObject }[];
  /** Something was written (not a dry run, not all unchanged). */
  readonly wrote: boolean;
  readonly failures: FailureDescriptor[];
}

/** Applies the tasks of one step. `managedNamespace` is the `CreateNamespace=true` object, if any. */
export async function applyTasks(
  ctx: PassContext,
  tasks: readonly SyncTask[],
  managedNamespace: KubeObject | undefined,
): Promise<ApplyOutcome> {
  const outcome = {
    applied: [] as ApplyOutcome['applied'],
    wrote: false,
    failures: [] as FailureDescriptor[],
  };
  const run = async (task: SyncTask) => {
    if (ctx.signal.aborted) return;
    const result = task.hook
      ? await applyHook(ctx, task)
      : await applyResource(ctx, task, task.object === managedNamespace);
    if (result.live) outcome.applied.push({ task, live: result.live });
    if (result.wrote) outcome.wrote = true;
    if (result.failure) outcome.failures.push(result.failure);
    ctx.progress();
  };
  const first = tasks.filter((task) => isDependencyKind(task.object));
  for (const task of first) await run(task);
  await forEachLimited(
    tasks.filter((task) => !isDependencyKind(task.object)),
    ctx.settings.applyConcurrency,
    run,
  );
  return outcome;
}

async function applyResource(
  ctx: PassContext,
  task: SyncTask,
  managedNamespace: boolean,
): Promise<WriteResult> {
  const key = refKey(task.ref);
  const live = ctx.live.get(key);
  const owner = live ? trackedAppOf(live) : undefined;
  const appName = ctx.request.app.metadata.name;
  if (ctx.appOptions.failOnSharedResource && owner !== undefined && owner !== appName) {
    const message = `${formatRef(task.ref)} is already managed by Application ${owner} (FailOnSharedResource=true)`;
    ctx.report(task.ref, 'SyncFailed', message, task.phase);
    return {
      wrote: false,
      failure: { kind: 'http', statusCode: 409, reason: 'Conflict', message },
    };
  }
  const unchangedSinceLastSync =
    managedNamespace || ctx.previousDigests.get(key) === objectDigest(task.object);
  if (
    live &&
    unchangedSinceLastSync &&
    diffIgnoring(task.object, live, ctx.ignore).status === 'Synced'
  ) {
    ctx.report(task.ref, 'Synced', `${describeKind(task)} unchanged`, task.phase);
    return { live, wrote: false };
  }
  // RespectIgnoreDifferences=true: what the rules ignore keeps its live value (an HPA's replicas).
  const object =
    live && ctx.appOptions.respectIgnoreDifferences
      ? withIgnoredFromLive(task.object, live, rulesFor(ctx.ignore, task.ref))
      : task.object;
  try {
    const answer = await applyObject(ctx, object);
    const verb = live ? 'configured' : 'created';
    ctx.report(
      task.ref,
      'Synced',
      `${describeKind(task)} ${verb}${ctx.dryRun ? ' (dry run)' : ''}`,
      task.phase,
    );
    if (!ctx.dryRun) ctx.answered(task.ref, answer);
    return { live: answer, wrote: !ctx.dryRun };
  } catch (error) {
    const failure = failureOf(error);
    ctx.report(task.ref, 'SyncFailed', failure.message, task.phase);
    return { wrote: false, failure };
  }
}

function isDependencyKind(object: KubeObject): boolean {
  return (
    (object.kind === 'Namespace' && object.apiVersion === 'v1') ||
    object.kind === 'CustomResourceDefinition'
  );
}
