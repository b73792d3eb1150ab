/**
 * The apply phase of one step: namespaces and CRDs first, one at a time,
 * then the other objects a few at a time, each by server-side apply. An
 * object whose live state already matches Git, and whose manifest is the
 * one the last successful sync applied, is not written again (self-heal and
 * retry passes write only what differs; an unchanged Application writes
 * nothing). Hooks always run (see hooks.ts).
 */
import { KubeObject, formatRef, refKey } from '../manifests/kube-object';
import { diffResource } from '../diff/diff-resources';
import { trackedAppOf } from '../manifests/tracking';
import { SyncTask } from '../plan/sync-order';
import { FailureDescriptor } from '../retry/failure-classification';
import { KubeApiError } from '../../kube/kube-failure';
import { PassContext, forEachLimited } from './pass-context';
import { digestOf } from './pass-plan';
import { applyHook } from './hooks';
import { setTimeout as delay } from 'node:timers/promises';

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

/** The result of writing one object. */
export interface WriteResult {
  readonly live?: KubeObject;
  readonly wrote: boolean;
  readonly failure?: FailureDescriptor;
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
    managedNamespace || ctx.previousDigests.get(key) === digestOf(task.object);
  if (live && unchangedSinceLastSync && diffResource(task.object, live).status === 'Synced') {
    ctx.report(task.ref, 'Synced', `${describeKind(task)} unchanged`, task.phase);
    return { live, wrote: false };
  }
  try {
    const answer = await applyObject(ctx, task.object);
    const verb = live ? 'configured' : 'created';
    ctx.report(
      task.ref,
      'Synced',
      `${describeKind(task)} ${verb}${ctx.dryRun ? ' (dry run)' : ''}`,
      task.phase,
    );
    if (!ctx.dryRun) ctx.live.set(key, answer);
    return { live: answer, wrote: !ctx.dryRun };
  } catch (error) {
    const failure = failureOf(error);
    ctx.report(task.ref, 'SyncFailed', failure.message, task.phase);
    return { wrote: false, failure };
  }
}

/**
 * Server-side apply of one object. The first object of a kind whose CRD
 * this pass applied may find the kind not served yet: discovery is
 * refreshed and the apply retried with backoff until the health deadline.
 */
export async function applyObject(ctx: PassContext, object: KubeObject): Promise<KubeObject> {
  const deadline = Date.now() + ctx.settings.healthTimeoutMs;
  const group = object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : '';
  let waitMs = ctx.settings.pollMinMs;
  for (;;) {
    try {
      const answer = await ctx.client.apply(object, { dryRun: ctx.dryRun, signal: ctx.signal });
      if (object.kind === 'CustomResourceDefinition') rememberCrd(ctx, object);
      return answer;
    } catch (error) {
      const waiting =
        error instanceof KubeApiError &&
        error.failure.unknownKind &&
        ctx.crdKinds.has(`${group}/${object.kind}`) &&
        !ctx.dryRun &&
        Date.now() + waitMs < deadline;
      if (!waiting) throw error;
      ctx.client.discovery.invalidate();
      await delay(waitMs, undefined, { signal: ctx.signal });
      waitMs = Math.min(waitMs * 2, ctx.settings.pollMaxMs);
    }
  }
}

function rememberCrd(ctx: PassContext, crd: KubeObject): void {
  const spec = crd.spec as { group?: unknown; names?: { kind?: unknown } } | undefined;
  if (typeof spec?.group === 'string' && typeof spec.names?.kind === 'string') {
    ctx.crdKinds.add(`${spec.group}/${spec.names.kind}`);
  }
}

function isDependencyKind(object: KubeObject): boolean {
  return (
    (object.kind === 'Namespace' && object.apiVersion === 'v1') ||
    object.kind === 'CustomResourceDefinition'
  );
}

/** `deployment.apps/web`, kubectl's way of naming what it applied. */
export function describeKind(task: SyncTask): string {
  const kind = task.ref.kind.toLowerCase();
  return `${task.ref.group ? `${kind}.${task.ref.group}` : kind}/${task.ref.name}`;
}

/** The descriptor of anything a cluster call threw. */
export function failureOf(error: unknown): FailureDescriptor {
  if (error instanceof KubeApiError) return error.failure;
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'unknown', message };
}
