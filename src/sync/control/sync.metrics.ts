/**
 * The sync engine's Prometheus metrics, named after Argo CD's
 * (semantics.md B7) with the `fleetplane_` prefix:
 * - `fleetplane_app_info{name,project,dest_server,dest_namespace,sync_status,health_status} 1`,
 *   read from Postgres at scrape time (every replica reports every Application,
 *   as `fleetplane_cluster_info` does);
 * - `fleetplane_app_sync_total{name,dest_server,phase}`: finished sync operations;
 * - `fleetplane_app_reconcile{dest_server}`: duration of one pass (compare, and sync if any);
 * - `fleetplane_cluster_api_requests_total{cluster,verb,code}`: requests to cluster API servers;
 * - `fleetplane_sync_passes{state}`: this replica's passes now, `working` (holding a slot),
 *   `waiting` (following a rollout with their slots lent) and `queued` (due, waiting for a slot),
 *   to size `FLEETPLANE_SYNC_CONCURRENCY` by (Argo CD's work queue depth plays that part).
 */
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from '../../observability/metrics.registry';
import { ClusterApiRequest } from '../engine/engine.types';

/** This replica's passes by state (see `fleetplane_sync_passes`). */
export interface PassCounts {
  readonly working: number;
  readonly waiting: number;
  readonly queued: number;
}

@Injectable()
export class SyncMetrics implements OnModuleInit {
  private syncs!: Counter<'name' | 'dest_server' | 'phase'>;
  private reconcile!: Histogram<'dest_server'>;
  private apiRequests!: Counter<'cluster' | 'verb' | 'code'>;
  /** The counter of each (cluster, verb, code): labelling one per request showed in profiles. */
  private readonly apiRequestCounters = new Map<string, { inc(): void }>();
  /** Where the pass counts come from (none in an API-only replica: all zero). */
  private passes: (() => PassCounts) | undefined;

  constructor(
    private readonly registry: MetricsRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const dataSource = this.dataSource;
    new Gauge({
      name: 'fleetplane_app_info',
      help: 'Applications (value 1) with their sync and health status',
      labelNames: [
        'name',
        'project',
        'dest_server',
        'dest_namespace',
        'sync_status',
        'health_status',
      ],
      registers: [this.registry],
      async collect() {
        const rows: {
          name: string;
          project: string;
          dest_server: string | null;
          dest_namespace: string;
          sync: string | null;
          health: string | null;
        }[] = await dataSource.query(
          `SELECT name, project, dest_server, dest_namespace,
                  status->'sync'->>'status' AS sync, status->'health'->>'status' AS health
             FROM applications ORDER BY name`,
        );
        this.reset();
        for (const row of rows) {
          this.set(
            {
              name: row.name,
              project: row.project,
              dest_server: row.dest_server ?? '',
              dest_namespace: row.dest_namespace,
              sync_status: row.sync ?? 'Unknown',
              health_status: row.health ?? 'Unknown',
            },
            1,
          );
        }
      },
    });
    this.syncs = new Counter({
      name: 'fleetplane_app_sync_total',
      help: 'Sync operations finished, by Application, destination and phase',
      labelNames: ['name', 'dest_server', 'phase'],
      registers: [this.registry],
    });
    this.reconcile = new Histogram({
      name: 'fleetplane_app_reconcile',
      help: 'Duration in seconds of one Application pass (compare, and sync when one runs)',
      labelNames: ['dest_server'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 60],
      registers: [this.registry],
    });
    const passes = () => this.passes?.() ?? { working: 0, waiting: 0, queued: 0 };
    new Gauge({
      name: 'fleetplane_sync_passes',
      help: "This replica's Application passes: working (holding a slot), waiting (for a rollout, slots lent), queued (due, waiting for a slot)",
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        for (const [state, count] of Object.entries(passes())) this.set({ state }, count);
      },
    });
    this.apiRequests = new Counter({
      name: 'fleetplane_cluster_api_requests_total',
      help: 'Requests made to cluster API servers, by cluster, verb and HTTP status (0: no answer)',
      labelNames: ['cluster', 'verb', 'code'],
      registers: [this.registry],
    });
  }

  /** Reports the runtime's pass counts at every scrape. */
  countPasses(read: () => PassCounts): void {
    this.passes = read;
  }

  operationFinished(name: string, destServer: string, phase: string): void {
    this.syncs.inc({ name, dest_server: destServer, phase });
  }

  passFinished(destServer: string, ms: number): void {
    this.reconcile.observe({ dest_server: destServer }, ms / 1000);
  }

  apiRequest(cluster: string, request: ClusterApiRequest): void {
    const key = `${cluster}\t${request.verb}\t${request.statusCode}`;
    let counter = this.apiRequestCounters.get(key);
    if (!counter) {
      counter = this.apiRequests.labels(cluster, request.verb, String(request.statusCode));
      this.apiRequestCounters.set(key, counter);
    }
    counter.inc();
  }
}
