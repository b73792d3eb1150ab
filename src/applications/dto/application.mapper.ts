import { presentStatusRevisions } from '../../argo/application-sources';
import { StoredApplication } from '../application.model';
import { ApplicationResponse } from './application.dto';

/** An Application in Argo CD's shape; `metadata.applicationSet` names its owner. */
export function toApplicationResponse(app: StoredApplication): ApplicationResponse {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      ...app.manifest.metadata,
      uid: app.id,
      applicationSet: app.applicationSet,
      generation: app.generation,
      creationTimestamp: app.createdAt.toISOString(),
    },
    spec: app.manifest.spec as unknown as Record<string, unknown>,
    status: {
      ...presentStatusRevisions(app.manifest, app.status),
      destination: {
        cluster: app.clusterName,
        server: app.destServer,
        namespace: app.destNamespace,
      },
    },
  };
}
