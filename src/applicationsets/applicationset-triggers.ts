/**
 * What makes an ApplicationSet be reconciled, besides its own edits and Git
 * (the repository poller): cluster events, in batches (only the
 * ApplicationSets whose cluster selectors match the cluster's old or new
 * labels, argo-cd#25630), a start-up resync (events committed while no
 * replica ran), and a periodic resync as a safety net.
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
    this.unsubscribe = this.bus.subscribeBatch((events) => this.onClusterEvents(events));
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

  /**
   * Queues the ApplicationSets a batch of cluster changes can affect, with
   * one read of the selector index and one write for the whole batch.
   */
  async onClusterEvents(events: readonly ClusterEvent[]): Promise<void> {
    const index = await this.selectorIndex();
    const requests = new Map<string, string>();
    const add = (id: string, event: ClusterEvent) => {
      if (!requests.has(id)) requests.set(id, describe(event));
    };
    let waiting: string[] | null = null;
    for (const event of events) {
      for (const entry of index.entries) {
        if (clusterChangeMayAffect(entry.clusterSelectors, event.oldLabels, event.newLabels))
          add(entry.id, event);
      }
      // Applications addressed to this cluster by name or server (list generators, fixed destinations).
      if (event.type === 'Deleted' || event.changes.includes('server')) {
        for (const id of await this.appSets.idsTargetingCluster(event.clusterName)) add(id, event);
      }
      if (event.type === 'Registered') {
        waiting ??= await this.appSets.idsWaitingForCluster();
        for (const id of waiting) add(id, event);
      }
    }
    if (requests.size === 0) return;
    await this.queue.enqueue(
      [...requests].map(([targetId, reason]) => ({ kind: APPLICATIONSET_WORK, targetId, reason })),
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

function describe(event: ClusterEvent): string {
  const changes = event.changes.length ? ` (${event.changes.join(', ')})` : '';
  return `cluster "${event.clusterName}" ${event.type.toLowerCase()}${changes}`;
}
