import { StoredApplicationSet } from '../applicationset.model';
import { ApplicationSetResponse } from './applicationset.dto';

/** An ApplicationSet in Argo CD's shape, with Fleetplane's status and origin. */
export function toApplicationSetResponse(
  appSet: StoredApplicationSet,
  ownedApplications: number,
): ApplicationSetResponse {
  const { metadata, spec } = appSet.document;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: {
      ...metadata,
      uid: appSet.id,
      generation: appSet.generation,
      creationTimestamp: appSet.createdAt.toISOString(),
    },
    spec: spec as unknown as Record<string, unknown>,
    status: {
      ...appSet.status,
      applications: ownedApplications,
      ...(appSet.deletionRequestedAt && {
        deletionRequestedAt: appSet.deletionRequestedAt.toISOString(),
      }),
    },
    source: appSet.sourceName
      ? { name: appSet.sourceName, path: appSet.sourcePath ?? '', revision: appSet.sourceRevision }
      : null,
  };
}
