import { Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MetricsRegistry } from '../observability/metrics.registry';
import { ClusterRepository } from './cluster.repository';

/** `fleetplane_cluster_info{name,server,connection_status} 1`, read from the registry at scrape time. */
@Injectable()
export class ClusterMetrics implements OnModuleInit {
  constructor(
    private readonly registry: MetricsRegistry,
    private readonly clusters: ClusterRepository,
  ) {}

  onModuleInit(): void {
    const clusters = this.clusters;
    new Gauge({
      name: 'fleetplane_cluster_info',
      help: 'Registered clusters (value 1) with their last connectivity result',
      labelNames: ['name', 'server', 'connection_status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const row of await clusters.connectionSummary()) {
          this.set(
            { name: row.name, server: row.server, connection_status: row.connection_status },
            1,
          );
        }
      },
    });
  }
}
