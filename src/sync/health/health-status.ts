/**
 * Health words and their order, as gitops-engine defines them
 * (pkg/health/health.go; semantics.md B2, B3).
 */

/** Health of one resource or of a whole Application. */
export type HealthStatusCode =
  'Healthy' | 'Suspended' | 'Progressing' | 'Missing' | 'Degraded' | 'Unknown';

/** A health verdict with the reason people read in the UI (`''` when there is nothing to add). */
export interface HealthStatus {
  readonly status: HealthStatusCode;
  readonly message: string;
}

/** Best to worst; the Application takes the worst of its resources. */
export const HEALTH_ORDER: readonly HealthStatusCode[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Missing',
  'Degraded',
  'Unknown',
];

/** True when `candidate` is strictly worse than `current` (gitops-engine `IsWorse`). */
export function isWorseHealth(current: HealthStatusCode, candidate: HealthStatusCode): boolean {
  return HEALTH_ORDER.indexOf(candidate) > HEALTH_ORDER.indexOf(current);
}

/** Shorthand for building a verdict. */
export function health(status: HealthStatusCode, message = ''): HealthStatus {
  return { status, message };
}
