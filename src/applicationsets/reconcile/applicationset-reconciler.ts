/**
 * Reconciles one ApplicationSet: generate (the expansion engine), validate
 * every Application, plan against what it owns, and write Applications and
 * status in one transaction. Any failure before the write changes no
 * Application (argo-cd#18480, #18212, #14318): it records ErrorOccurred and
 * the work queue retries with backoff. An unchanged result writes nothing.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Application } from '../../argo/application.types';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainError } from '../../common/domain-error';
import { FieldProblem } from '../../common/field-problem';
import { ClusterRepository } from '../../clusters/cluster.repository';
import { Expansion, expandApplicationSet } from '../../generators';
import { ClusterRecord, GIT_READER, GitReader } from '../../generators/ports';
import {
  ApplicationRepository,
  applicationWrites,
} from '../../applications/application.repository';
import {
  indexClusters,
  manifestHash,
  resolveDestination,
  toApplicationRow,
} from '../../applications/application-row';
import { withJitter } from '../../work-queue/work-queue.backoff';
import { validateGeneratedApplications } from '../validation';
import { StoredApplicationSet } from '../applicationset.model';
import { ApplicationSetRepository } from '../applicationset.repository';
import {
  ApplicationPlan,
  DeletionBudget,
  DesiredApplication,
  planApplications,
} from './application-plan';
import { nextStatus, statusChanged } from './applicationset-status';

export interface ReconcileResult {
  /** When to evaluate again without an event (Git polling), or null. */
  readonly rerunAt: Date | null;
  readonly plan: ApplicationPlan | null;
}

const UNLIMITED: DeletionBudget = { maxShare: 1, minCount: Number.MAX_SAFE_INTEGER };

@Injectable()
export class ApplicationSetReconciler {
  private readonly logger = new Logger(ApplicationSetReconciler.name);

  constructor(
    private readonly appSets: ApplicationSetRepository,
    private readonly applications: ApplicationRepository,
    private readonly clusters: ClusterRepository,
    @Inject(GIT_READER) private readonly git: GitReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async reconcile(id: string, now: () => Date = () => new Date()): Promise<ReconcileResult> {
    const appSet = await this.appSets.findById(id);
    if (!appSet) return { rerunAt: null, plan: null };
    const deleting = appSet.deletionRequestedAt !== null;

    let clusters: readonly ClusterRecord[];
    let expansion: Expansion | null = null;
    try {
      clusters = await this.clusters.listRecords();
      if (!deleting) {
        expansion = await expandApplicationSet(appSet.document, {
          clusters: { listClusters: async () => clusters },
          git: this.git,
        });
      }
    } catch (error) {
      await this.recordFailure(appSet, error, now());
      throw error;
    }

    const desired = await this.desiredApplications(appSet, expansion, clusters);
    const existing = await this.applications.listOwned(appSet.id);
    const approval = appSet.approvedDeletions;
    const plan = planApplications({
      desired,
      existing,
      policy: appSet.document.spec.syncPolicy?.applicationsSync ?? 'sync',
      budget: approval?.all ? UNLIMITED : this.budget(),
      approvedDeletions: approval?.fingerprint ?? null,
    });
    const status = nextStatus(
      appSet.status,
      {
        kind: 'generated',
        generation: appSet.generation,
        revisions: expansion?.gitRevisions ?? [],
        applications: desired.length,
        skipped: plan.skipped.map((d) => ({
          name: d.application.metadata.name,
          problems: d.problems,
        })),
        warnings: (expansion?.warnings ?? []).map((w) =>
          w.field ? `${w.field}: ${w.message}` : w.message,
        ),
        blockedDeletions: plan.blockedDeletions && {
          ...plan.blockedDeletions,
          count: plan.blockedDeletions.names.length,
        },
      },
      now(),
    );

    const index = indexClusters(clusters);
    const rowOf = (app: Application) =>
      toApplicationRow(app, resolveDestination(app, index.byName, index.byServer));
    const adoptable = await this.adoptableOrphans(plan);
    await this.appSets.transaction(async (tx) => {
      const locked = await tx.lock(appSet.id);
      // Edited or deleted meanwhile: that change queued another run, which will write.
      if (!locked || locked.generation !== appSet.generation) return;
      if (!plan.blockedDeletions) {
        const creates = plan.create.filter((d) => !adoptable.has(d.application.metadata.name));
        const adopted = plan.create.filter((d) => adoptable.has(d.application.metadata.name));
        await applicationWrites.insert(
          tx,
          appSet.id,
          creates.map((d) => rowOf(d.application)),
        );
        await applicationWrites.update(tx, appSet.id, [
          ...plan.update.map((u) => ({ id: u.id, row: rowOf(u.desired.application) })),
          ...adopted.map((d) => ({
            id: adoptable.get(d.application.metadata.name)!,
            row: rowOf(d.application),
          })),
        ]);
        await applicationWrites.delete(
          tx,
          plan.delete.map((e) => e.id),
        );
        if (deleting)
          await applicationWrites.orphan(
            tx,
            plan.keep.map((e) => e.id),
          );
      }
      if (deleting && !plan.blockedDeletions) await tx.remove(appSet.id);
      else if (statusChanged(appSet.status, status)) await tx.saveStatus(appSet.id, status);
    });
    this.logPlan(appSet, plan);
    const requeue = expansion?.requeueAfterSeconds;
    return {
      rerunAt: requeue ? new Date(now().getTime() + withJitter(requeue * 1000)) : null,
      plan,
    };
  }

  /** Generated Applications with their validation and ownership problems. */
  private async desiredApplications(
    appSet: StoredApplicationSet,
    expansion: Expansion | null,
    clusters: readonly ClusterRecord[],
  ): Promise<DesiredApplication[]> {
    const apps = (expansion?.applications ?? []).map((expanded) => expanded.application);
    const problems = validateGeneratedApplications(apps, clusters);
    const owners = await this.applications.ownersOf(apps.map((app) => app.metadata.name));
    return apps.map((application, i) => {
      const owner = owners.get(application.metadata.name);
      const conflict: FieldProblem[] =
        owner && owner !== appSet.id
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

  /** Names the plan creates that exist as orphans: they are adopted (updated), as Argo CD does. */
  private async adoptableOrphans(plan: ApplicationPlan): Promise<Map<string, string>> {
    const names = plan.create.map((d) => d.application.metadata.name);
    return this.applications.orphanIdsByName(names);
  }

  private async recordFailure(
    appSet: StoredApplicationSet,
    error: unknown,
    now: Date,
  ): Promise<void> {
    const message = (error as Error)?.message ?? String(error);
    const reason = error instanceof DomainError ? `${error.code}Error` : 'ReconcileError';
    const status = nextStatus(
      appSet.status,
      { kind: 'error', generation: appSet.generation, reason, message },
      now,
    );
    this.logger.warn(`ApplicationSet "${appSet.name}": ${message}`);
    if (!statusChanged(appSet.status, status)) return;
    try {
      await this.appSets.transaction((tx) => tx.saveStatus(appSet.id, status));
    } catch (writeError) {
      this.logger.error(
        `recording the failure of "${appSet.name}" failed: ${(writeError as Error).message}`,
      );
    }
  }

  private budget(): DeletionBudget {
    return {
      maxShare: this.config.reconcile.deletionBudgetPercent / 100,
      minCount: this.config.reconcile.deletionBudgetMin,
    };
  }

  private logPlan(appSet: StoredApplicationSet, plan: ApplicationPlan): void {
    const { create, update, delete: del, skipped, blockedDeletions } = plan;
    if (create.length + update.length + del.length + skipped.length === 0 && !blockedDeletions)
      return;
    this.logger.log(
      `ApplicationSet "${appSet.name}": ${create.length} created, ${update.length} updated, ${del.length} deleted, ${skipped.length} skipped` +
        (blockedDeletions
          ? `, ${blockedDeletions.names.length} deletions held back by the budget`
          : ''),
    );
  }
}
