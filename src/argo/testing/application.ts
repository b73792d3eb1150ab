/** An Application named `web` for unit specs, with the spec fields a spec cares about. */
import { Application, ApplicationSpec } from '../application.types';

export function applicationWith(spec: Partial<ApplicationSpec>, name = 'web'): Application {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name },
    spec: { project: 'default', destination: { name: 'c1', namespace: 'web' }, ...spec },
  };
}
