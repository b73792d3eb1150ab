/**
 * Reconciles one ApplicationSet: generate (the expansion engine), validate
 * every Application, plan against what it owns, and write Applications and
 * status in one transaction. Any failure before the write changes no
 * Application (argo-cd#18480, #18212, #14318): it records ErrorOccurred and
 * the work queue retries with backoff. An unchanged result writes nothing:
 * no transaction is opened, no row is touched.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { DomainError } from '../../common/domain-error';
import { Expansion, expandApplicationSet } from '../../generators';
import { GIT_READER, GitReader } from '../../generators/ports';
import { ApplicationRepository } from '../../applications/application.repository';
import {
  indexClusters,
  resolveDestination,
  toApplicationRow,
} from '../../applications/application-row';
import { withJitter } from '../../work-queue/work-queue.backoff';
import { WorkQueue } from '../../work-queue/work-queue.service';
import { repoKeyOf } from '../../git/repo-url';
import { GIT_REPO_WORK, repoPollTargetId } from '../../sources/repo-watch';
import { StoredApplicationSet } from '../applicationset.model';
import { ApplicationSetRepository } from '../applicationset.repository';
import { ANY_REPO } from '../applicationset-write';
import { ApplicationPlan, DeletionBudget, planApplications } from './application-plan';
import { BEING_DELETED, desiredApplications } from './desired-applications';
import { nextRun } from './next-run';
import { applyPlan, changesOf, plannedWrites } from './apply-plan';
import { ClusterSnapshots } from './cluster-snapshots';
import { liveValueRules, withLiveValues } from './live-values';
import {
  ApplicationSetStatus,
  nextStatus,
  statusChanged,
  withChanges,
} from './applicationset-status';

export interface ReconcileResult {
  /** When to evaluate again without an event, or null (Git is watched by the repository poller). */
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
    private readonly clusters: ClusterSnapshots,
    private readonly queue: WorkQueue,
    @Inject(GIT_READER) private readonly git: GitReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * One reconcile of ApplicationSet `id`. `freshAfter` (ms since the epoch)
   * is when the run was claimed: cluster data read after it may be shared
   * with the reconciles claimed together (see ClusterSnapshots).
   */
  async reconcile(
    id: string,
    now: () => Date = () => new Date(),
    freshAfter: number = Date.now(),
  ): Promise<ReconcileResult> {
    const appSet = await this.appSets.findById(id);
    if (!appSet) return { rerunAt: null, plan: null };
    try {
      return await this.run(appSet, now, freshAfter);
    } catch (error) {
      // Whatever failed (generation, Git, the registry, a write), no Application changed.
      await this.recordFailure(appSet, error, now());
      throw error;
    }
  }

  private async run(
    appSet: StoredApplicationSet,
    now: () => Date,
    freshAfter: number,
  ): Promise<ReconcileResult> {
    const deleting = appSet.deletionRequestedAt !== null;
    const clusters = await this.clusters.list(freshAfter);
    const expansion: Expansion | null = deleting
      ? null
      : await expandApplicationSet(appSet.document, {
          clusters: { listClusters: async () => clusters },
          git: this.git,
        });

    const rules = liveValueRules(appSet.document.spec);
    const generated = (expansion?.applications ?? []).map((expanded) => expanded.application);
    const [ownership, existing] = await Promise.all([
      this.applications.findOwnership(generated.map((app) => app.metadata.name)),
      // Manifests are read only when some field must keep its live value.
      rules
        ? this.applications.listOwnedManifests(appSet.id)
        : this.applications.listOwned(appSet.id),
    ]);
    const apps = rules ? withLiveValues(generated, existing, rules) : generated;
    const desired = desiredApplications(appSet.id, apps, clusters, ownership);
    const approval = appSet.approvedDeletions;
    const plan = planApplications({
      desired,
      existing,
      policy: appSet.document.spec.syncPolicy?.applicationsSync ?? 'sync',
      budget: approval?.all ? UNLIMITED : this.budget(),
      approvedDeletions: approval?.fingerprint ?? null,
    });

    const index = indexClusters(clusters);
    const orphans = new Map<string, string>();
    for (const [name, owner] of ownership)
      if (owner.applicationSetId === null && !owner.deleting) orphans.set(name, owner.id);
    const writes = plannedWrites(plan, orphans, deleting, ({ application, hash, json }) =>
      toApplicationRow(application, resolveDestination(application, index.byName, index.byServer), {
        hash,
        json,
      }),
    );
    const changes = changesOf(writes);
    const status = withChanges(
      nextStatus(
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
      ),
      changes,
      now(),
    );
    const removeAppSet = deleting && !plan.blockedDeletions;
    const writesApplications =
      changes.created + changes.updated + changes.deleted + changes.orphaned > 0;

    if (writesApplications || removeAppSet || statusChanged(appSet.status, status)) {
      await this.appSets.transaction(async (tx) => {
        const locked = await tx.lock(appSet.id);
        // Edited or deleted meanwhile: that change queued another run, which will write.
        if (!locked || locked.generation !== appSet.generation) return;
        await applyPlan(tx, appSet.id, writes);
        if (removeAppSet) await tx.remove(appSet.id);
        else if (statusChanged(appSet.status, status)) await tx.saveStatus(appSet.id, status);
      });
      if (!removeAppSet) await this.keepPolled(appSet, status, now());
    }
    this.logPlan(appSet, plan);
    const rerunAt = nextRun({
      gitRepos: appSet.gitRepos,
      generators: appSet.document.spec.generators,
      requeueAfterSeconds: expansion?.requeueAfterSeconds ?? null,
      waitingForDeletion: plan.skipped.some((d) =>
        d.problems.some((p) => p.rule === BEING_DELETED),
      ),
      now: now(),
    });
    return { rerunAt, plan };
  }

  /** Puts the repositories the ApplicationSet reads on the poll schedule (existing polls keep their time). */
  private async keepPolled(
    appSet: StoredApplicationSet,
    status: ApplicationSetStatus,
    now: Date,
  ): Promise<void> {
    const keys = new Set<string>();
    for (const key of appSet.gitRepos) {
      const pollable = key === ANY_REPO ? null : repoKeyOf(key);
      if (pollable) keys.add(pollable);
    }
    for (const read of status.revisions ?? []) {
      const pollable = repoKeyOf(read.repoURL);
      if (pollable) keys.add(pollable);
    }
    if (keys.size === 0) return;
    const notBefore = new Date(now.getTime() + withJitter(this.config.git.pollSeconds * 1000));
    await this.queue.schedule(
      [...keys].map((key) => ({
        kind: GIT_REPO_WORK,
        targetId: repoPollTargetId(key),
        reason: 'polling',
        notBefore,
      })),
    );
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
      await this.keepPolled(appSet, status, now);
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
