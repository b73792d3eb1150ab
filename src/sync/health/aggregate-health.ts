/**
 * The health of a whole Application from the health of its resources, after
 * Argo CD's controller/health.go `setApplicationHealth` and semantics.md B2.
 */
import { ignoresHealthCheck, isHook, isSkipped } from '../manifests/annotations';
import { KubeObject } from '../manifests/kube-object';
import { assessHealth } from './assess-health';
import { HealthStatus, HealthStatusCode, health, isWorseHealth } from './health-status';

/** Why a resource does not count towards the Application's health. */
export type HealthExclusion = 'hook' | 'skipped' | 'ignore-healthcheck';

/** One resource's health and whether it counts for the Application. */
export interface ResourceHealth extends HealthStatus {
  readonly excluded?: HealthExclusion;
}

/**
 * The health of one managed resource from its desired and live objects
 * (pure function): Missing when there is no live object, else
 * `assessHealth(live)`. Hooks, `Skip` hooks and objects annotated
 * `argocd.argoproj.io/ignore-healthcheck: "true"` are marked excluded (the
 * live object's annotations win, then the desired one's).
 */
export function resourceHealth(
  desired: KubeObject | undefined,
  live: KubeObject | undefined,
): ResourceHealth {
  const verdict = live ? assessHealth(live) : health('Missing');
  const excluded = exclusionOf(live) ?? exclusionOf(desired);
  return excluded ? { ...verdict, excluded } : verdict;
}

/** Why an object's health does not count (its annotations say so), if it does not. */
export function exclusionOf(obj: KubeObject | undefined): HealthExclusion | undefined {
  if (!obj) return undefined;
  if (isSkipped(obj)) return 'skipped';
  if (isHook(obj)) return 'hook';
  if (ignoresHealthCheck(obj)) return 'ignore-healthcheck';
  return undefined;
}

/**
 * The Application's health (pure function): the worst of its counted
 * resources in the order Healthy < Suspended < Progressing < Missing <
 * Degraded < Unknown. Excluded resources do not count, nor do Missing ones
 * (the sync status already reports them as OutOfSync), except that when no
 * counted resource exists live at all the Application is Missing. An
 * Application with nothing to count is Healthy.
 */
export function aggregateHealth(resources: readonly ResourceHealth[]): HealthStatus {
  const counted = resources.filter((resource) => resource.excluded === undefined);
  const present = counted.filter((resource) => resource.status !== 'Missing');
  if (counted.length > 0 && present.length === 0) {
    return health('Missing', 'none of the resources exist in the cluster');
  }
  let worst: HealthStatusCode = 'Healthy';
  for (const resource of present) {
    if (isWorseHealth(worst, resource.status)) worst = resource.status;
  }
  return health(worst);
}
