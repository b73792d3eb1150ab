/**
 * The reconciler's pure steps before planning: generated Applications with
 * their problems (validation, names another ApplicationSet owns, names whose
 * Application the sync engine is still deleting), and
 * whether an ApplicationSet asks for its own re-run timer.
 */
import { Application } from '../../argo/application.types';
import { FieldProblem } from '../../common/field-problem';
import { ClusterRecord } from '../../generators/ports';
import { manifestDigest } from '../../applications/application-row';
import { ApplicationOwnership } from '../../applications/application.repository';
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
  ownership: ReadonlyMap<string, OwnershipFacts>,
): DesiredApplication[] {
  const problems = validateGeneratedApplications(apps, clusters);
  return apps.map((application, i) => {
    const name = application.metadata.name;
    const existing = ownership.get(name);
    const conflict: FieldProblem[] = [];
    if (existing?.deleting) {
      conflict.push({
        field: 'metadata.name',
        rule: BEING_DELETED,
        message: `an Application named "${name}" is being deleted (its resources are being removed); it is created again once that is done`,
      });
    } else if (existing?.applicationSetId && existing.applicationSetId !== appSetId) {
      conflict.push({
        field: 'metadata.name',
        rule: 'already-owned',
        message: `an Application named "${name}" belongs to another ApplicationSet`,
      });
    }
    return {
      application,
      problems: [...problems[i], ...conflict],
      ...manifestDigest(application),
    };
  });
}

/** What `desiredApplications` needs to know of an existing Application (`deleting` defaults to false). */
export type OwnershipFacts = Pick<ApplicationOwnership, 'id' | 'applicationSetId'> &
  Partial<Pick<ApplicationOwnership, 'deleting'>>;

/** An Application of that name is being deleted; the ApplicationSet runs again soon. */
export const BEING_DELETED = 'being-deleted';
