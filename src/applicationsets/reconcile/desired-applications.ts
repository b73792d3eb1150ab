/**
 * The reconciler's pure steps before planning: generated Applications with
 * their problems (validation, and names another ApplicationSet owns), and
 * whether an ApplicationSet asks for its own re-run timer.
 */
import { Application } from '../../argo/application.types';
import { FieldProblem } from '../../common/field-problem';
import { ClusterRecord } from '../../generators/ports';
import { manifestHash } from '../../applications/application-row';
import { validateGeneratedApplications } from '../validation';
import { DesiredApplication } from './application-plan';

/**
 * Generated Applications with their validation problems, plus a conflict
 * when another ApplicationSet already owns the name (Argo: AlreadyOwned).
 */
export function desiredApplications(
  appSetId: string,
  apps: readonly Application[],
  clusters: readonly ClusterRecord[],
  ownership: ReadonlyMap<string, { id: string; applicationSetId: string | null }>,
): DesiredApplication[] {
  const problems = validateGeneratedApplications(apps, clusters);
  return apps.map((application, i) => {
    const owner = ownership.get(application.metadata.name)?.applicationSetId;
    const conflict: FieldProblem[] =
      owner && owner !== appSetId
        ? [
            {
              field: 'metadata.name',
              rule: 'already-owned',
              message: `an Application named "${application.metadata.name}" belongs to another ApplicationSet`,
            },
          ]
        : [];
    return {
      application,
      problems: [...problems[i], ...conflict],
      hash: manifestHash(application),
    };
  });
}

/** True when any generator, at any depth, sets `requeueAfterSeconds` itself. */
export function setsRequeue(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(setsRequeue);
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (typeof record.requeueAfterSeconds === 'number') return true;
  return Object.entries(record).some(
    ([key, child]) => key !== 'template' && key !== 'values' && setsRequeue(child),
  );
}
