/**
 * Deleting an Application that carries the resources finalizer: its
 * ApplicationSet no longer wants it, so every object its inventory records
 * is pruned from the cluster (a pass with nothing desired, prune and
 * allowEmpty on; objects now tracked by another Application or annotated
 * to be kept are left alone by the prune plan), and only then is the row
 * removed. A failure keeps the row and retries with backoff: resources are
 * never orphaned silently, and a transient error never deletes anything
 * that was not asked for.
 */
import { buildStatus, sameStatus } from '../decide/build-status';
import { classifyError, failureOf, isClusterFailure } from '../decide/failure';
import { SyncedApplication } from '../sync-control.types';
import { PassContext, PassDeps } from './pass-deps';
import { PassOutcome } from './pass-outcome';

export async function runDeletion(
  deps: PassDeps,
  app: SyncedApplication,
  context: PassContext,
): Promise<PassOutcome> {
  let failure;
  let message: string | undefined;
  if (app.state.inventory.length > 0) {
    try {
      const result = await deps.executor.sync({
        app: app.manifest,
        cluster: context.cluster,
        desired: {
          revision: app.status.sync?.revision ?? '',
          objects: [],
          hash: `deletion:${app.id}`,
        },
        inventory: app.state.inventory,
        prune: true,
        dryRun: false,
        allowEmpty: true,
        signal: context.lifetime,
      });
      if (context.lifetime.aborted)
        return { app, stopped: true, cluster: 'untouched', transient: false };
      if (result.phase !== 'Succeeded') {
        failure = result.failure ?? { kind: 'unknown' as const, message: result.message };
        message = result.message;
      }
    } catch (error) {
      failure = failureOf(error);
      message = failure.message;
    }
  }
  if (!failure) {
    const removed = await deps.removeDeleted(app.id);
    if (!removed) return { app, stopped: true, cluster: 'untouched', transient: false };
    deps.onRemoved(removed.ownerId);
    return {
      app,
      removed: true,
      cluster: app.state.inventory.length > 0 ? 'ok' : 'untouched',
      transient: false,
    };
  }
  const status = buildStatus({
    app: app.manifest,
    previous: app.status,
    conditions: [
      {
        type: 'DeletionError',
        message: `pruning the resources before deletion failed: ${message}`,
      },
    ],
    deletionRequestedAt: app.state.deletionRequestedAt,
    now: new Date(deps.now()),
  });
  const written = sameStatus(status, app.status) || (await deps.write({ id: app.id, status }));
  const classified = classifyError({ failure }, deps.now());
  return {
    app: { ...app, status },
    stopped: !written,
    cluster: isClusterFailure(failure) ? 'failed' : 'ok',
    failure,
    // A refusal (403, ...) needs a person; keep trying, but slowly.
    transient: true,
    ...(classified.retryAfterMs !== undefined ? { retryAfterMs: classified.retryAfterMs } : {}),
  };
}
