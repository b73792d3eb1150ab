/**
 * What the sync API does: leaves manual syncs, rollbacks and terminations
 * for the worker holding the Application's cluster (whichever replica that
 * is: the request is a row plus a NOTIFY), and serves history, resources
 * and a fresh diff. Argo CD's refusals apply: 404 for an unknown
 * Application, 409 while an operation runs or when rollback meets automated
 * sync, 422 for a bad revision or history id.
 */
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  hasMultipleSources,
  joinRevisions,
  presentRevision,
  presentStatusRevisions,
  sourcesOf,
  withRevisions,
} from '../../../argo/application-sources';
import { ApplicationSource } from '../../../argo/application.types';
import { ClusterRepository } from '../../../clusters/cluster.repository';
import { ClusterService } from '../../../clusters/cluster.service';
import { DomainError, DomainErrorCode } from '../../../common/domain-error';
import {
  MANIFEST_RENDERER,
  ManifestRenderer,
  SYNC_EXECUTOR,
  SyncCluster,
  SyncExecutor,
} from '../../engine/engine.types';
import { rollbackTarget } from '../../status';
import { HistoryEntry, ResourceStatus } from '../../status/status.types';
import { SyncStateRepository } from '../persistence/sync-state.repository';
import { SyncClusterPorts } from '../runtime/cluster-ports';
import { RequestedOperation, SyncedApplication } from '../sync-control.types';
import { maskSecretDiffs } from './mask-diffs';
import {
  parseDeleteRequest,
  parseDiffQuery,
  parseRollbackRequest,
  parseSyncRequest,
} from './operation-requests';
import { SourceResolver, requestedRevision } from './requested-revision';
import { ApplicationDiff, DeletionAccepted } from './sync.dto';

const API_USER = { username: 'api', automated: false } as const;

@Injectable()
export class SyncControlService {
  constructor(
    private readonly state: SyncStateRepository,
    private readonly clusters: ClusterRepository,
    private readonly clusterService: ClusterService,
    @Inject(MANIFEST_RENDERER) private readonly renderer: ManifestRenderer,
    @Inject(SYNC_EXECUTOR) private readonly executor: SyncExecutor,
    private readonly ports: SyncClusterPorts,
  ) {}

  /** `POST .../sync`: a manual sync, run by the cluster's worker. */
  async sync(name: string, body: unknown): Promise<Record<string, unknown>> {
    const app = await this.find(name);
    const request = parseSyncRequest(body);
    this.assertIdle(app);
    const revision = await requestedRevision(app.manifest, request, this.resolveSource);
    return this.leave(app, {
      id: randomUUID(),
      kind: 'sync',
      ...(revision ? { revision } : {}),
      prune: request.prune,
      dryRun: request.dryRun,
      allowEmpty: request.allowEmpty,
      initiatedBy: API_USER,
      requestedAt: new Date().toISOString(),
    });
  }

  /** `POST .../rollback`: deploys a history entry again (refused while automated sync is on). */
  async rollback(name: string, body: unknown): Promise<Record<string, unknown>> {
    const app = await this.find(name);
    const request = parseRollbackRequest(body);
    let entry: HistoryEntry;
    try {
      entry = rollbackTarget(app.manifest.spec.syncPolicy, app.status.history ?? [], request.id);
    } catch (error) {
      if (error instanceof DomainError && error.code === DomainErrorCode.NotFound) {
        const known = (app.status.history ?? []).map((e) => e.id).join(', ') || 'none';
        throw DomainError.invalid([
          {
            field: 'id',
            rule: 'history-id',
            message: `no history entry ${request.id} (known ids: ${known})`,
          },
        ]);
      }
      throw error;
    }
    this.assertIdle(app);
    return this.leave(app, {
      id: randomUUID(),
      kind: 'rollback',
      revision: entry.revision,
      ...(entry.sources
        ? { sources: entry.sources }
        : entry.source
          ? { source: entry.source }
          : {}),
      rollbackId: entry.id,
      prune: request.prune,
      dryRun: request.dryRun,
      allowEmpty: false,
      initiatedBy: API_USER,
      requestedAt: new Date().toISOString(),
    });
  }

  /** `POST .../terminate`: stops the running (or pending) operation. */
  async terminate(name: string): Promise<void> {
    const app = await this.find(name);
    const phase = app.status.operationState?.phase;
    const running = phase === 'Running' || phase === 'Terminating';
    if (!running && !app.state.requestedOperation) {
      throw new DomainError(
        DomainErrorCode.Conflict,
        `Application "${name}" has no operation in progress to terminate`,
      );
    }
    await this.state.requestTermination(app.id);
  }

  /**
   * `DELETE /api/v1/applications/{name}`. With cascade (the default) its
   * resources are pruned by the cluster's worker before it goes; without,
   * it goes now and its resources stay on the cluster (also the way out of
   * a deletion waiting for a cluster that will not come back). Either way,
   * an ApplicationSet that still generates it creates it again, as Argo
   * CD's does.
   */
  async delete(name: string, query: Record<string, unknown>): Promise<DeletionAccepted> {
    const request = parseDeleteRequest(query);
    const app = await this.find(name);
    if (!request.cascade) {
      const removed = await this.state.removeKeepingResources(app.id);
      if (!removed) throw DomainError.notFound('Application', name);
      this.ports.reconcileOwner(removed.ownerId);
      return {
        application: name,
        deleting: false,
        message: 'deleted; its resources were left on the cluster',
      };
    }
    const requested = await this.state.requestDeletion(app.id);
    if (!requested) throw DomainError.notFound('Application', name);
    if (requested.outcome === 'removed') {
      this.ports.reconcileOwner(requested.ownerId);
      return {
        application: name,
        deleting: false,
        message: 'deleted; nothing had been applied to the cluster',
      };
    }
    const registered = app.clusterName && (await this.clusters.findByName(app.clusterName));
    return {
      application: name,
      deleting: true,
      message: registered
        ? 'deletion requested: its resources are pruned, then it is removed'
        : 'deletion requested: its destination is not a registered cluster, so it waits for the cluster to prune its resources (DELETE with cascade=false leaves them)',
    };
  }

  /** Oldest first; entries of `spec.sources` show Argo's `revisions` list. */
  async history(name: string): Promise<readonly unknown[]> {
    const app = await this.find(name);
    const presented = presentStatusRevisions(app.manifest, { history: app.status.history ?? [] });
    return presented.history as unknown[];
  }

  async resources(name: string): Promise<readonly ResourceStatus[]> {
    return (await this.find(name)).status.resources ?? [];
  }

  /** `GET .../diff`: renders and compares now (Secret values masked). */
  async diff(name: string, query: Record<string, unknown>): Promise<ApplicationDiff> {
    const app = await this.find(name);
    const choice = parseDiffQuery(query);
    const cluster = await this.syncCluster(app);
    const sources = sourcesOf(app.manifest);
    if (sources.length === 0) {
      throw new DomainError(DomainErrorCode.Conflict, `Application "${name}" has no spec.source`);
    }
    const revision =
      (await requestedRevision(app.manifest, choice, this.resolveSource)) ??
      joinRevisions(await Promise.all(sources.map((source) => this.resolveTarget(source))));
    const desired = await this.upstream('rendering the manifests', () =>
      this.renderer.render(app.manifest, revision, cluster),
    );
    const comparison = await this.upstream('reading the cluster', () =>
      this.executor.compare(app.manifest, cluster, desired, app.state.inventory),
    );
    return {
      ...presentRevision(hasMultipleSources(app.manifest), comparison.revision),
      syncStatus: comparison.syncStatus,
      items: maskSecretDiffs(comparison.diffs).map((d) => ({
        ...d.ref,
        status: d.status,
        differences: d.differences,
      })),
    };
  }

  private async find(name: string): Promise<SyncedApplication> {
    const app = await this.state.findByName(name);
    if (!app) throw DomainError.notFound('Application', name);
    return app;
  }

  private assertIdle(app: SyncedApplication): void {
    const phase = app.status.operationState?.phase;
    if (phase === 'Running' || phase === 'Terminating' || app.state.requestedOperation) {
      throw new DomainError(
        DomainErrorCode.Conflict,
        `another operation is already in progress on Application "${app.name}"`,
      );
    }
    if (app.state.deletionRequestedAt) {
      throw new DomainError(DomainErrorCode.Conflict, `Application "${app.name}" is being deleted`);
    }
    if (!app.clusterName) {
      throw new DomainError(
        DomainErrorCode.Conflict,
        `the destination of Application "${app.name}" is not a registered cluster`,
      );
    }
  }

  /** Leaves the request for the worker; returns it as the API shows it. */
  private async leave(
    app: SyncedApplication,
    operation: RequestedOperation,
  ): Promise<Record<string, unknown>> {
    if (!(await this.state.requestOperation(app.id, operation))) {
      throw new DomainError(
        DomainErrorCode.Conflict,
        `another operation is already in progress on Application "${app.name}"`,
      );
    }
    return { ...withRevisions(operation, hasMultipleSources(app.manifest)) };
  }

  /** A revision the request gives (422 naming its field when unknown), else the target one. */
  private readonly resolveSource: SourceResolver = (source, given) =>
    given ? this.resolveAt(source, given.revision, given.field) : this.resolveTarget(source);

  /** The target revision of `source` as a commit SHA; Git down → 502. */
  private resolveTarget(source: ApplicationSource): Promise<string> {
    return this.upstream('resolving the target revision', () =>
      this.renderer.resolveRevision(source),
    );
  }

  /** A revision of `source`'s repository as a commit SHA; unknown → 422 naming `field`, Git down → 502. */
  private async resolveAt(
    source: ApplicationSource,
    revision: string,
    field: string,
  ): Promise<string> {
    try {
      return await this.renderer.resolveRevision({ ...source, targetRevision: revision });
    } catch (error) {
      if (
        error instanceof DomainError &&
        (error.code === DomainErrorCode.NotFound || error.code === DomainErrorCode.Invalid)
      ) {
        throw DomainError.invalid([{ field, rule: 'git-revision', message: error.message }]);
      }
      throw error;
    }
  }

  private async syncCluster(app: SyncedApplication): Promise<SyncCluster> {
    const cluster = app.clusterName ? await this.clusters.findByName(app.clusterName) : null;
    if (!cluster) {
      throw new DomainError(
        DomainErrorCode.Conflict,
        `the destination of Application "${app.name}" is not a registered cluster`,
      );
    }
    return { name: cluster.name, access: await this.clusterService.accessFor(cluster) };
  }

  /** Runs a read on Git or the cluster; a failure is an upstream error, never an empty diff. */
  private async upstream<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof DomainError && error.code !== DomainErrorCode.Upstream) {
        throw new DomainError(
          DomainErrorCode.Conflict,
          `${what} failed: ${error.message}`,
          error.details,
        );
      }
      throw new DomainError(
        DomainErrorCode.Upstream,
        `${what} failed: ${(error as Error)?.message ?? String(error)}`,
      );
    }
  }
}
