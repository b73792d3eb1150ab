/**
 * The status of an Application whose destination cluster is not registered
 * (any more), as Argo CD shows one whose cluster was removed: sync and
 * health `Unknown`, an `InvalidSpecError` naming the cluster, history and
 * the last operation kept (pure function). No worker holds such an
 * Application, so without this its last status (often Synced and Healthy)
 * would stand as if the cluster were still there. One being deleted also
 * gets a `DeletionError`: its resources cannot be pruned until the cluster
 * is registered again.
 */
import { Application } from '../../../argo/application.types';
import { ApplicationSyncStatus } from '../sync-control.types';
import { buildStatus } from './build-status';

/** What the status says about the destination. */
export function unregisteredDestinationMessage(
  app: Application,
  clusterName: string | null,
): string {
  if (clusterName) return `destination cluster "${clusterName}" is not registered`;
  const { name, server } = app.spec.destination ?? {};
  const named = name ? `name "${name}"` : server ? `server "${server}"` : 'destination';
  return `no registered cluster matches the destination ${named}`;
}

export function unregisteredDestinationStatus(
  app: Application,
  previous: Partial<ApplicationSyncStatus>,
  clusterName: string | null,
  now: Date,
  deletionRequestedAt: string | null = null,
): ApplicationSyncStatus {
  const message = unregisteredDestinationMessage(app, clusterName);
  return buildStatus({
    app,
    previous,
    comparisonError: message,
    clusterUnreachable: true,
    conditions: [
      { type: 'InvalidSpecError', message },
      ...(deletionRequestedAt
        ? [
            {
              type: 'DeletionError' as const,
              message: `${message}: its resources are pruned once it is registered again (DELETE with cascade=false removes the Application and leaves them)`,
            },
          ]
        : []),
    ],
    deletionRequestedAt,
    now,
  });
}
