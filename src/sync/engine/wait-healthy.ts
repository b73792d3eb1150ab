/**
 * Waits, after a step was applied, until every object of the step is
 * healthy before the next step starts (semantics.md B4: each wave healthy
 * before the next). Health is gitops-engine's (`assessHealth`): Healthy,
 * Suspended and Unknown (a check that cannot be judged, retrying will not
 * change it) end the wait for an object; Progressing and Missing keep
 * polling, with backoff; Degraded fails the step at once. With a live cache
 * the wait reads the cache and wakes on the watch event that changes one of
 * its objects (the poll interval is then only the longest wait); after
 * `CACHED_HEALTH_MS` it reads the cluster itself, so a watch that went
 * silent cannot hold a step until the health timeout. A CRD also waits
 * for its `Established` condition, so its kind is served before objects of
 * it are applied. Objects that opt out of health checks are not waited for;
 * hooks are, since a hook runs until it completes. The settle wait after
 * the last step (`tolerant`) uses the same loop with its own time limit, and
 * treats Degraded as an end rather than a failure. Once a wait has lasted
 * `restAfterMs`, each pause between looks goes through `ctx.rest`, so the
 * caller may lend the pass's slots to others for the rest of the rollout;
 * shorter waits keep them (a pass waiting in memory costs the heap more than
 * a quick wait saves).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { keyOf } from '../../kube/cluster-client';
import { assessHealth } from '../health/assess-health';
import { exclusionOf } from '../health/aggregate-health';
import { HealthStatus } from '../health/health-status';
import { KubeObject, formatRef, refKey } from '../manifests/kube-object';
import { withoutOwnManagedFields } from '../diff/managed-fields';
import { SyncTask } from '../plan/sync-order';
import { FailureDescriptor } from '../retry/failure-classification';
import { PassContext } from './pass-context';
import { failureOf } from './apply-object';

/** The outcome of waiting for one step. */
export type HealthWait =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly task?: SyncTask;
      readonly message: string;
      readonly failure: FailureDescriptor;
    };

/** How long to wait, and whether a Degraded object ends the wait as a failure. */
export interface WaitLimits {
  readonly timeoutMs: number;
  /** Degraded ends the wait for that object like Healthy does, instead of failing it. */
  readonly tolerant: boolean;
}

/** Waits for the applied objects of a step (`live` is what the apply answered). */
export async function waitHealthy(
  ctx: PassContext,
  applied: readonly { readonly task: SyncTask; readonly live: KubeObject }[],
  limits: WaitLimits = { timeoutMs: ctx.settings.healthTimeoutMs, tolerant: false },
): Promise<HealthWait> {
  let pending = applied.filter(({ task }) => !optedOut(task));
  const started = Date.now();
  const deadline = started + limits.timeoutMs;
  let waitMs = ctx.settings.pollMinMs;
  let first = true;
  const last = new Map<SyncTask, HealthStatus>();
  while (pending.length > 0) {
    const still: typeof pending = [];
    for (const entry of pending) {
      // The apply answer is as fresh as a GET; later rounds read again.
      const live = first
        ? entry.live
        : await readLive(ctx, entry.task, Date.now() - started < CACHED_HEALTH_MS);
      const verdict = healthOf(entry.task, live ?? undefined);
      last.set(entry.task, verdict);
      if (verdict.status === 'Degraded' && !limits.tolerant) {
        const message = `${formatRef(entry.task.ref)} is Degraded${verdict.message ? `: ${verdict.message}` : ''}`;
        return { ok: false, task: entry.task, message, failure: { kind: 'unknown', message } };
      }
      if (verdict.status === 'Progressing' || verdict.status === 'Missing') {
        still.push(live ? { task: entry.task, live } : entry);
      } else if (live) {
        ctx.live.set(refKey(entry.task.ref), live);
      }
    }
    pending = still;
    first = false;
    if (pending.length === 0) break;
    if (Date.now() + waitMs > deadline) {
      const names = pending.map(({ task }) => {
        const verdict = last.get(task);
        return `${formatRef(task.ref)} (${verdict?.status}${verdict?.message ? `: ${verdict.message}` : ''})`;
      });
      const message = `not healthy within ${Math.round(limits.timeoutMs / 1000)} s: ${names.join(', ')}`;
      return { ok: false, message, failure: { kind: 'timeout', message } };
    }
    const refs = pending.map(({ task }) => task.ref);
    const pause = (): Promise<void> =>
      ctx.view
        ? ctx.view.changed(refs, waitMs, ctx.signal)
        : delay(waitMs, undefined, { signal: ctx.signal });
    await (Date.now() - started >= ctx.settings.restAfterMs ? ctx.rest(pause) : pause());
    ctx.signal.throwIfAborted();
    waitMs = Math.min(Math.round(waitMs * 1.5), ctx.settings.pollMaxMs);
  }
  return { ok: true };
}

/** Runs `waitHealthy`, turning an abort or a cluster failure into a failed wait. */
export async function waitHealthySafely(
  ctx: PassContext,
  applied: readonly { readonly task: SyncTask; readonly live: KubeObject }[],
  limits?: WaitLimits,
): Promise<HealthWait> {
  try {
    return await waitHealthy(ctx, applied, limits);
  } catch (error) {
    const failure = failureOf(error);
    return { ok: false, message: failure.message, failure };
  }
}

/** How long health is read from the live cache before the cluster is asked directly. */
export const CACHED_HEALTH_MS = 10_000;

/** The object as the cache has it (when allowed and known), else as the cluster answers. */
async function readLive(
  ctx: PassContext,
  task: SyncTask,
  cacheAllowed: boolean,
): Promise<KubeObject | null> {
  const cached = cacheAllowed ? ctx.view?.lookup(task.ref) : undefined;
  if (cached !== undefined) return cached;
  const answer = await ctx.client.get(keyOf(task.object), ctx.signal);
  const live = answer && withoutOwnManagedFields(answer);
  if (live) ctx.view?.observe(live);
  return live;
}

function optedOut(task: SyncTask): boolean {
  return !task.hook && exclusionOf(task.object) !== undefined;
}

function healthOf(task: SyncTask, live: KubeObject | undefined): HealthStatus {
  if (!live) return { status: 'Missing', message: 'not found on the cluster' };
  const verdict = assessHealth(live);
  if (
    verdict.status === 'Healthy' &&
    live.kind === 'CustomResourceDefinition' &&
    !established(live)
  ) {
    return { status: 'Progressing', message: 'waiting for the CRD to be established' };
  }
  return verdict;
}

/** True once the CRD is Established; a CRD whose status has no conditions yet counts (no controller reports them). */
function established(crd: KubeObject): boolean {
  const status = crd.status as { conditions?: { type?: string; status?: string }[] } | undefined;
  const conditions = status?.conditions ?? [];
  return (
    conditions.length === 0 ||
    conditions.some((condition) => condition.type === 'Established' && condition.status === 'True')
  );
}
