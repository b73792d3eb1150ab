import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus registry of one application instance (not prom-client's
 * global one, so several instances can live in one test process). Features
 * register their own metrics on it.
 */
export class MetricsRegistry extends Registry {
  constructor() {
    super();
    collectDefaultMetrics({ register: this });
  }
}
