/**
 * ApplicationSets over REST (create, replace, read, delete, approve held-back
 * deletions) and the dry-run preview. Writes only store the document and
 * queue a reconcile; the reconciler does the rest. ApplicationSets that a
 * Git source manages can only be changed in Git.
 */
import { Inject, Injectable } from '@nestjs/common';
import { Application } from '../argo/application.types';
import { ApplicationSet } from '../argo/applicationset.types';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { FieldProblem } from '../common/field-problem';
import { JsonChange, jsonDiff } from '../common/json-diff';
import { ClusterRepository } from '../clusters/cluster.repository';
import { GenerationError, expandApplicationSet } from '../generators';
import { GIT_READER, GitReader } from '../generators/ports';
import { ApplicationRepository } from '../applications/application.repository';
import { manifestHash } from '../applications/application-row';
import { WorkQueue } from '../work-queue/work-queue.service';
import { documentProblemsError, parseApplicationSets } from './document';
import { validateGeneratedApplications } from './validation';
import { StoredApplicationSet } from './applicationset.model';
import { ApplicationSetRepository } from './applicationset.repository';
import { toApplicationSetWrite } from './applicationset-write';
import { DEFAULT_DELETION_BUDGET, planApplications } from './reconcile/application-plan';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/** Work-queue kind of ApplicationSet reconciles. */
export const APPLICATIONSET_WORK = 'applicationset';

export interface PreviewApplication {
  readonly metadata: Application['metadata'];
  readonly spec: Application['spec'];
  readonly params: unknown;
  readonly problems: readonly FieldProblem[];
}

export interface Preview {
  readonly applications: readonly PreviewApplication[];
  readonly warnings: readonly { message: string; field?: string; generatorIndex?: number }[];
  /** What a reconcile would change, against the Applications the ApplicationSet of this name owns. */
  readonly plan: {
    readonly create: readonly string[];
    readonly update: readonly { name: string; changes: readonly JsonChange[] }[];
    readonly delete: readonly string[];
    readonly unchanged: number;
  };
}

@Injectable()
export class ApplicationSetService {
  constructor(
    private readonly appSets: ApplicationSetRepository,
    private readonly applications: ApplicationRepository,
    private readonly clusters: ClusterRepository,
    private readonly queue: WorkQueue,
    @Inject(GIT_READER) private readonly git: GitReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(text: string): Promise<StoredApplicationSet> {
    const appSet = parseOne(text);
    const existing = await this.appSets.findByName(appSet.metadata.name);
    if (existing) this.refuseIfManagedByGit(existing);
    const stored = await this.appSets.insert(
      toApplicationSetWrite(appSet, { sourceId: null, sourcePath: null }),
    );
    await this.enqueue(stored.id, 'created over the API');
    return stored;
  }

  /** Creates or replaces `name`; the document's name must match. */
  async replace(
    name: string,
    text: string,
  ): Promise<{ appSet: StoredApplicationSet; created: boolean }> {
    const appSet = parseOne(text);
    if (appSet.metadata.name !== name) {
      throw DomainError.invalid([
        {
          field: 'metadata.name',
          rule: 'match-path',
          message: `must equal the name in the path ("${name}")`,
        },
      ]);
    }
    const current = await this.appSets.findByName(name);
    if (!current) return { appSet: await this.create(text), created: true };
    this.refuseIfManagedByGit(current);
    if (
      await this.appSets.replace(
        current.id,
        toApplicationSetWrite(appSet, { sourceId: null, sourcePath: null }),
      )
    ) {
      await this.enqueue(current.id, 'replaced over the API');
    }
    return { appSet: (await this.appSets.findById(current.id))!, created: false };
  }

  async get(name: string): Promise<StoredApplicationSet> {
    const appSet = await this.appSets.findByName(name);
    if (!appSet) throw DomainError.notFound('ApplicationSet', name);
    return appSet;
  }

  /** A page of ApplicationSets with their owned Application counts. */
  async list(
    limit: number,
    afterName: string | null,
  ): Promise<{ appSet: StoredApplicationSet; owned: number }[]> {
    const appSets = await this.appSets.list(limit, afterName);
    const counts = await this.applications.countOwnedBy(appSets.map((a) => a.id));
    return appSets.map((appSet) => ({ appSet, owned: counts.get(appSet.id) ?? 0 }));
  }

  ownedCount(appSet: StoredApplicationSet): Promise<number> {
    return this.applications.countOwned(appSet.id);
  }

  /**
   * Deletes an ApplicationSet: its Applications are deleted or released as
   * its policy says, then the ApplicationSet itself. An explicit API delete
   * is not held back by the deletion budget.
   */
  async delete(name: string): Promise<StoredApplicationSet> {
    const appSet = await this.get(name);
    this.refuseIfManagedByGit(appSet);
    await this.appSets.requestDeletion(appSet.id, {
      all: true,
      approvedAt: new Date().toISOString(),
    });
    await this.enqueue(appSet.id, 'deleted over the API');
    return (await this.appSets.findById(appSet.id)) ?? appSet;
  }

  /** Releases the deletions the budget held back: exactly the set reported in the status. */
  async approveDeletions(name: string): Promise<StoredApplicationSet> {
    const appSet = await this.get(name);
    const blocked = appSet.status.blockedDeletions;
    if (!blocked) {
      throw new DomainError(
        DomainErrorCode.Conflict,
        `ApplicationSet "${name}" has no deletions waiting for approval`,
      );
    }
    await this.appSets.approveDeletions(appSet.id, {
      fingerprint: blocked.fingerprint,
      approvedAt: new Date().toISOString(),
    });
    await this.enqueue(appSet.id, 'deletions approved');
    return (await this.appSets.findById(appSet.id))!;
  }

  /** Expands, validates and plans without writing anything. */
  async preview(text: string): Promise<Preview> {
    const appSet = parseOne(text);
    const clusters = await this.clusters.listRecords();
    let expansion;
    try {
      expansion = await expandApplicationSet(appSet, {
        clusters: { listClusters: async () => clusters },
        git: this.git,
      });
    } catch (error) {
      if (error instanceof GenerationError) {
        throw new DomainError(DomainErrorCode.Invalid, error.message, error.details, {
          generatorIndex: error.generatorIndex,
          generatorPath: error.generatorPath,
          cause: error.code,
          applications: [],
        });
      }
      throw error;
    }
    const apps = expansion.applications.map((e) => e.application);
    const problems = validateGeneratedApplications(apps, clusters);
    const current = await this.appSets.findByName(appSet.metadata.name);
    const owned = current ? await this.applications.listOwnedManifests(current.id) : [];
    const plan = planApplications({
      desired: apps.map((application, i) => ({
        application,
        problems: problems[i],
        hash: manifestHash(application),
      })),
      existing: owned,
      policy: appSet.spec.syncPolicy?.applicationsSync ?? 'sync',
      budget: DEFAULT_DELETION_BUDGET,
      approvedDeletions: null,
    });
    const manifests = new Map(owned.map((o) => [o.name, o.manifest]));
    return {
      applications: expansion.applications.map((expanded, i) => ({
        metadata: expanded.application.metadata,
        spec: expanded.application.spec,
        params: expanded.params,
        problems: problems[i],
      })),
      warnings: expansion.warnings,
      plan: {
        create: plan.create.map((d) => d.application.metadata.name),
        update: plan.update.map((u) => ({
          name: u.desired.application.metadata.name,
          changes: jsonDiff(
            manifests.get(u.desired.application.metadata.name),
            u.desired.application,
          ),
        })),
        delete: plan.delete.map((e) => e.name),
        unchanged: plan.unchanged,
      },
    };
  }

  private refuseIfManagedByGit(appSet: StoredApplicationSet): void {
    if (appSet.sourceId) {
      throw new DomainError(
        DomainErrorCode.Conflict,
        `ApplicationSet "${appSet.name}" is managed by the Git source "${appSet.sourceName}" (${appSet.sourcePath}); change it in Git`,
        [],
        { source: appSet.sourceName, path: appSet.sourcePath },
      );
    }
  }

  private enqueue(id: string, reason: string): Promise<void> {
    return this.queue.enqueue([{ kind: APPLICATIONSET_WORK, targetId: id, reason }]);
  }

  /** Exposed for the deletion budget settings in responses. */
  get deletionBudget(): { percent: number; min: number } {
    return {
      percent: this.config.reconcile.deletionBudgetPercent,
      min: this.config.reconcile.deletionBudgetMin,
    };
  }
}

/** Exactly one valid ApplicationSet from a request body; every problem otherwise. */
export function parseOne(text: string): ApplicationSet {
  const result = parseApplicationSets(text);
  if (result.problems.length > 0) throw documentProblemsError(result.problems);
  if (result.documents.length !== 1) {
    throw DomainError.invalid([
      {
        field: '',
        rule: 'one-document',
        message:
          result.documents.length === 0
            ? 'the body holds no ApplicationSet'
            : `the body holds ${result.documents.length} ApplicationSets; send one per request`,
      },
    ]);
  }
  return result.documents[0].applicationSet;
}
