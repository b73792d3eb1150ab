/**
 * Checks that registered clusters answer `/version` with their stored
 * credentials, on demand and in the background. Checks run with bounded
 * concurrency and a per-call deadline, so one slow or dead cluster never
 * delays the others.
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
import { fetchServerVersion } from '../kube/server-version';
import { Cluster } from './cluster.model';
import { ClusterRepository, ConnectionResult } from './cluster.repository';
import { ClusterService } from './cluster.service';

@Injectable()
export class ClusterConnectivityService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClusterConnectivityService.name);
  private timer: NodeJS.Timeout | undefined;
  private sweep: Promise<void> | null = null;

  constructor(
    private readonly clusters: ClusterRepository,
    private readonly service: ClusterService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const { intervalSeconds } = this.config.connectivity;
    if (intervalSeconds <= 0) return;
    this.timer = setInterval(() => void this.checkAll(), intervalSeconds * 1000);
    this.timer.unref();
    setTimeout(() => void this.checkAll(), 1000).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweep;
  }

  /** Checks one cluster now and records the outcome. */
  async check(name: string): Promise<Cluster> {
    const cluster = await this.service.get(name);
    await this.clusters.recordConnection(cluster.id, await this.probe(cluster));
    return this.service.get(name);
  }

  /** One background sweep over every cluster; overlapping sweeps are skipped. */
  checkAll(): Promise<void> {
    if (this.sweep) return this.sweep;
    this.sweep = this.runSweep().finally(() => (this.sweep = null));
    return this.sweep;
  }

  private async runSweep(): Promise<void> {
    let ids: { id: string; name: string }[];
    try {
      ids = await this.clusters.listIds();
    } catch (error) {
      this.logger.warn(`connectivity sweep skipped: ${(error as Error).message}`);
      return;
    }
    const queue = [...ids];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        try {
          const cluster = await this.clusters.findById(next.id);
          if (cluster) await this.clusters.recordConnection(cluster.id, await this.probe(cluster));
        } catch (error) {
          this.logger.warn(
            `connectivity check of "${next.name}" failed to record: ${(error as Error).message}`,
          );
        }
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.config.connectivity.concurrency, queue.length) }, worker),
    );
  }

  private async probe(cluster: Cluster): Promise<ConnectionResult> {
    try {
      const access = await this.service.accessFor(cluster);
      const version = await fetchServerVersion(
        access,
        this.config.connectivity.timeoutSeconds * 1000,
      );
      return { status: 'Successful', message: null, serverVersion: version };
    } catch (error) {
      return { status: 'Failed', message: (error as Error).message, serverVersion: null };
    }
  }
}
