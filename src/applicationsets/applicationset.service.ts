/**
 * ApplicationSets over REST (create, replace, read, delete, approve held-back
 * deletions) and the dry-run preview. Writes only store the document and
 * queue a reconcile; the reconciler does the rest. ApplicationSets that a
 * Git source manages can only be changed in Git.
 */
import { Inject, Injectable } from '@nestjs/common';
import { ApplicationSet } from '../argo/applicationset.types';
import { DomainError, DomainErrorCode } from '../common/domain-error';
import { ClusterRepository } from '../clusters/cluster.repository';
import { Expansion, GenerationError, expandApplicationSet } from '../generators';
import { GIT_READER, GitReader } from '../generators/ports';
import { ApplicationRepository } from '../applications/application.repository';
import { WorkQueue } from '../work-queue/work-queue.service';
import { DocumentProblem, documentProblemsError, parseApplicationSets } from './document';
import { StoredApplicationSet } from './applicationset.model';
import { ApplicationSetRepository } from './applicationset.repository';
import { toApplicationSetWrite } from './applicationset-write';
import { Preview, buildPreview, previewDesiredApplications } from './applicationset-preview';
import { liveValueRules, withLiveValues } from './reconcile/live-values';
import { DeletionBudget } from './reconcile/application-plan';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/** An explicit approval of every deletion (an API delete) lifts the budget, as in the reconciler. */
const NO_BUDGET: DeletionBudget = { maxShare: 1, minCount: Number.MAX_SAFE_INTEGER };

/** Work-queue kind of ApplicationSet reconciles. */
export const APPLICATIONSET_WORK = 'applicationset';

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

  /**
   * Expands, validates and plans without writing anything: the Applications a
   * reconcile of this document would generate, each with its problems, and
   * what it would create, update and delete against an ApplicationSet of the
   * same name. A generation or render error fails the whole preview (422,
   * naming the generator), as it would fail the reconcile.
   */
  async preview(text: string): Promise<Preview> {
    const { applicationSet: appSet, warnings } = parseOneWithWarnings(text);
    const clusters = await this.clusters.listRecords();
    let expansion: Expansion;
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
    const generated = expansion.applications.map((e) => e.application);
    const current = await this.appSets.findByName(appSet.metadata.name);
    const approval = current?.approvedDeletions ?? null;
    const ownership = await this.applications.findOwnership(generated.map((a) => a.metadata.name));
    const owned = current ? await this.applications.listOwnedManifests(current.id) : [];
    const ownedNames = new Set(owned.map((o) => o.name));
    // Fields the document tells a reconcile to leave as they are must not show as updates.
    const rules = liveValueRules(appSet.spec);
    const apps = rules ? withLiveValues(generated, owned, rules) : generated;
    return buildPreview({
      expansion,
      documentWarnings: warnings,
      desired: previewDesiredApplications(
        current?.id ?? null,
        apps,
        clusters,
        ownership,
        ownedNames,
      ),
      owned,
      policy: appSet.spec.syncPolicy?.applicationsSync ?? 'sync',
      budget: approval?.all ? NO_BUDGET : this.budget(),
      approvedDeletions: approval?.fingerprint ?? null,
    });
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

  /** The deletion budget a reconcile applies, from the configuration. */
  private budget(): DeletionBudget {
    return {
      maxShare: this.config.reconcile.deletionBudgetPercent / 100,
      minCount: this.config.reconcile.deletionBudgetMin,
    };
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
  return parseOneWithWarnings(text).applicationSet;
}

/** `parseOne`, with the document's warnings (ignored fields) for the preview to show. */
function parseOneWithWarnings(text: string): {
  applicationSet: ApplicationSet;
  warnings: readonly DocumentProblem[];
} {
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
  return { applicationSet: result.documents[0].applicationSet, warnings: result.warnings };
}
