/**
 * Writing one object by server-side apply, and what the phases share about
 * results: the descriptor of a failure and kubectl-style names.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { KubeApiError } from '../../kube/kube-failure';
import { KubeObject } from '../manifests/kube-object';
import { withoutOwnManagedFields } from '../diff/managed-fields';
import { SyncTask } from '../plan/sync-order';
import { FailureDescriptor } from '../retry/failure-classification';
import { PassContext } from './pass-context';

/** The result of writing one object. */
export interface WriteResult {
  readonly live?: KubeObject;
  readonly wrote: boolean;
  readonly failure?: FailureDescriptor;
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
      return withoutOwnManagedFields(answer);
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
