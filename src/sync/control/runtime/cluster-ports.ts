/**
 * What the sync runtime needs from the rest of the control plane, in one
 * place: a cluster's access (credentials decrypted, requests counted in the
 * metrics), recording the connection status the circuit breaker sees, and
 * asking an ApplicationSet to reconcile again after one of its Applications
 * finished deleting.
 */
import { Injectable, Logger } from '@nestjs/common';
import { APPLICATIONSET_WORK } from '../../../applicationsets/applicationset.service';
import { ClusterRepository } from '../../../clusters/cluster.repository';
import { ClusterService } from '../../../clusters/cluster.service';
import { WorkQueue } from '../../../work-queue/work-queue.service';
import { SyncCluster } from '../../engine/engine.types';
import { SyncMetrics } from '../sync.metrics';

@Injectable()
export class SyncClusterPorts {
  private readonly logger = new Logger(SyncClusterPorts.name);

  constructor(
    private readonly clusters: ClusterRepository,
    private readonly clusterService: ClusterService,
    private readonly queue: WorkQueue,
    private readonly metrics: SyncMetrics,
  ) {}

  /** The cluster as the execution half talks to it; throws when it is not registered. */
  async access(name: string): Promise<SyncCluster> {
    const cluster = await this.clusters.findByName(name);
    if (!cluster) throw new Error(`cluster "${name}" is not registered`);
    const access = await this.clusterService.accessFor(cluster);
    return {
      name,
      access,
      onApiRequest: (request) => this.metrics.apiRequest(name, request),
    };
  }

  /** Records the connection status (its server version kept); never throws. */
  async markConnection(name: string, ok: boolean, message: string): Promise<void> {
    try {
      const cluster = await this.clusters.findByName(name);
      if (!cluster) return;
      await this.clusters.recordConnection(cluster.id, {
        status: ok ? 'Successful' : 'Failed',
        message: ok ? null : message,
        serverVersion: cluster.connection.serverVersion,
      });
      if (!ok) this.logger.warn(`cluster "${name}": ${message}`);
    } catch (error) {
      this.logger.warn(`recording the connection of "${name}" failed: ${(error as Error).message}`);
    }
  }

  /** If the ApplicationSet still wants an Application of that name, it creates it again. */
  reconcileOwner(ownerId: string | null): void {
    if (!ownerId) return;
    void this.queue
      .enqueue([
        {
          kind: APPLICATIONSET_WORK,
          targetId: ownerId,
          reason: 'an Application finished deleting',
        },
      ])
      .catch(() => undefined);
  }
}
