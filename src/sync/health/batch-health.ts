/**
 * Health of run-to-completion work: Job (gitops-engine
 * pkg/health/health_job.go) and CronJob (Argo CD's built-in Lua check,
 * resource_customizations/batch/CronJob/health.lua, with the suspend rule of
 * semantics.md B2).
 */
import { KubeObject } from '../manifests/kube-object';
import { HealthStatus, health } from './health-status';
import { readBool, readConditions, readObjects, readString } from './object-fields';

/**
 * Job: a Failed condition → Degraded; a Suspended condition with status
 * True → Suspended; a Complete condition → Healthy; no terminal condition
 * yet → Progressing. As in gitops-engine, Failed and Complete count whatever
 * their status, and a Suspended condition (even False) ends "Progressing".
 */
export function jobHealth(obj: KubeObject): HealthStatus {
  let failed: string | undefined;
  let finished = false;
  let suspended = false;
  let message = '';
  for (const condition of readConditions(obj)) {
    if (condition.type === 'Failed') {
      failed = condition.message;
      finished = true;
    } else if (condition.type === 'Complete' || condition.type === 'Suspended') {
      finished = true;
      message = condition.message;
      if (condition.type === 'Suspended' && condition.status === 'True') suspended = true;
    }
  }
  if (!finished) return health('Progressing', message);
  if (failed !== undefined) return health('Degraded', failed);
  return health(suspended ? 'Suspended' : 'Healthy', message);
}

/**
 * CronJob: `spec.suspend` → Suspended; active jobs → Progressing; never
 * scheduled → Healthy; last successful run after the last schedule →
 * Healthy; otherwise (the last scheduled run has not succeeded) → Degraded.
 */
export function cronJobHealth(obj: KubeObject): HealthStatus {
  if (readBool(obj, ['spec', 'suspend'])) return health('Suspended', 'CronJob is Suspended');
  if (readObjects(obj, ['status', 'active']).length > 0) {
    return health('Progressing', 'CronJob has active jobs');
  }
  const lastSchedule = readTime(obj, 'lastScheduleTime');
  if (lastSchedule === undefined) return health('Healthy', 'CronJob has never run');
  const lastSuccess = readTime(obj, 'lastSuccessfulTime');
  if (lastSuccess !== undefined && lastSchedule < lastSuccess) {
    return health('Healthy', 'CronJob has run successfully');
  }
  return health('Degraded', 'CronJob has not run successfully');
}

function readTime(obj: KubeObject, field: string): number | undefined {
  const text = readString(obj, ['status', field]);
  if (text === undefined) return undefined;
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new Error(`status.${field} must be an RFC 3339 time`);
  return time;
}
