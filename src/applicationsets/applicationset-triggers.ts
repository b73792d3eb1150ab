/**
 * What makes an ApplicationSet be reconciled, besides its own edits: cluster
 * events (only the ApplicationSets whose cluster selectors match the
 * cluster's old or new labels, argo-cd#25630), a start-up resync (events
 * committed while no replica ran), and a periodic resync as a safety net.
 */
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { ClusterEventBus } from '../clusters/cluster-event-bus';
import { ClusterEvent } from '../clusters/cluster.model';
import { clusterChangeMayAffect } from '../generators';
import { WorkQueue } from '../work-queue/work-queue.service';
import { StoredApplicationSet } from './applicationset.model';
import { ApplicationSetRepository } from './applicationset.repository';
import { APPLICATIONSET_WORK } from './applicationset.service';

interface SelectorIndex {
  readonly version: string;
  readonly entries: readonly {
    id: string;
    clusterSelectors: StoredApplicationSet['clusterSelectors'];
  }[];
}

@Injectable()
export class ApplicationSetTriggers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ApplicationSetTriggers.name);
  private index: SelectorIndex | null = null;
  private unsubscribe: (() => void) | null = null;
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly bus: ClusterEventBus,
    private readonly appSets: ApplicationSetRepository,
    private readonly queue: WorkQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.unsubscribe = this.bus.subscribe((event) => this.onClusterEvent(event));
    await this.resyncAll('start-up resync');
    const seconds = this.config.reconcile.resyncSeconds;
    if (seconds > 0) {
      this.resyncTimer = setInterval(
        () => void this.resyncAll('periodic resync').catch(() => undefined),
        seconds * 1000,
      );
      this.resyncTimer.unref();
    }
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    clearInterval(this.resyncTimer);
  }

  /** Queues the ApplicationSets a cluster change can affect. */
  async onClusterEvent(event: ClusterEvent): Promise<void> {
    const index = await this.selectorIndex();
    const ids = new Set(
      index.entries
        .filter((e) => clusterChangeMayAffect(e.clusterSelectors, event.oldLabels, event.newLabels))
        .map((e) => e.id),
    );
    // Applications addressed to this cluster by name or server (list generators, fixed destinations).
    if (event.type === 'Deleted' || event.changes.includes('server')) {
      for (const id of await this.appSets.idsTargetingCluster(event.clusterName)) ids.add(id);
    }
    if (event.type === 'Registered') {
      for (const id of await this.appSets.idsWaitingForCluster()) ids.add(id);
    }
    if (ids.size === 0) return;
    const reason = `cluster "${event.clusterName}" ${event.type.toLowerCase()}${event.changes.length ? ` (${event.changes.join(', ')})` : ''}`;
    await this.queue.enqueue(
      [...ids].map((targetId) => ({ kind: APPLICATIONSET_WORK, targetId, reason })),
    );
  }

  private async resyncAll(reason: string): Promise<void> {
    const ids = await this.appSets.allIds();
    await this.queue.enqueue(
      ids.map((targetId) => ({ kind: APPLICATIONSET_WORK, targetId, reason })),
    );
    if (ids.length) this.logger.log(`${reason}: ${ids.length} ApplicationSets queued`);
  }

  /** The selectors of every ApplicationSet, reloaded only when an ApplicationSet changed. */
  private async selectorIndex(): Promise<SelectorIndex> {
    const version = await this.appSets.selectorsVersion();
    if (this.index?.version !== version)
      this.index = { version, entries: await this.appSets.listSelectors() };
    return this.index;
  }
}
