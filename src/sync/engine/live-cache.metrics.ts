/**
 * The live cache's size as Prometheus gauges, read at scrape time, so an
 * operator can see how much of `FLEETPLANE_LIVE_CACHE_MB` a fleet uses:
 * - `fleetplane_live_cache_objects`: objects known (tracked ones kept whole);
 * - `fleetplane_live_cache_bytes`: their estimated memory.
 */
import { Gauge } from 'prom-client';
import { MetricsRegistry } from '../../observability/metrics.registry';
import { LiveCache } from './live-cache';

export function registerLiveCacheMetrics(registry: MetricsRegistry, cache: LiveCache): void {
  new Gauge({
    name: 'fleetplane_live_cache_objects',
    help: 'Cluster objects the live cache knows (those Applications track are kept whole)',
    registers: [registry],
    collect() {
      this.set(cache.stats.objects);
    },
  });
  new Gauge({
    name: 'fleetplane_live_cache_bytes',
    help: 'Estimated memory of the live cache (bounded by FLEETPLANE_LIVE_CACHE_MB)',
    registers: [registry],
    collect() {
      this.set(cache.stats.bytes);
    },
  });
}
