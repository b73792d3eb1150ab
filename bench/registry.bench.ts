/**
 * Cluster registry at fleet scale: register 10,000 clusters over HTTP, then
 * time label-selector queries (p50/p99) and relabel round trips (request to
 * the change event delivered to a subscriber). Target: selector query < 50 ms p99.
 */
import { ClusterEventBus } from '../src/clusters/cluster-event-bus';
import { Benchmark, elapsedMs, percentile } from './benchmark';
import { inParallel, startBenchApp } from './support/bench-app';

const CLUSTERS = 10_000;
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-south-1'];
const ENVS = ['prod', 'staging', 'dev'];

/** Deterministic, realistic labels for cluster `i`. */
export function fleetLabels(i: number): Record<string, string> {
  return {
    env: ENVS[i % ENVS.length],
    'topology.kubernetes.io/region': REGIONS[i % REGIONS.length],
    tier: i % 10 === 0 ? 'critical' : 'standard',
    ...(i % 7 === 0 ? { gpu: 'true' } : {}),
    ...(i % 50 === 0 ? { legacy: 'yes' } : {}),
    team: `team-${i % 40}`,
  };
}

export const benchmark: Benchmark = {
  name: 'registry',
  description: `register ${CLUSTERS} clusters, selector queries p50/p99 (target < 50 ms p99), relabel round trip`,
  async run(print) {
    const bench = await startBenchApp();
    try {
      const post = (body: object) =>
        fetch(`${bench.baseUrl}/api/v1/clusters`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const started = process.hrtime.bigint();
      await inParallel([...Array(CLUSTERS).keys()], 16, async (i) => {
        const res = await post({
          name: `cluster-${String(i).padStart(5, '0')}`,
          server: `https://10.${(i >> 8) & 255}.${i & 255}.1:6443`,
          labels: fleetLabels(i),
          credentials: { bearerToken: `token-${i}` },
        });
        if (res.status !== 201)
          throw new Error(`registration ${i} failed: ${res.status} ${await res.text()}`);
      });
      const registerMs = elapsedMs(started);
      print(
        `registered ${CLUSTERS} clusters over HTTP (16 in flight) in ${(registerMs / 1000).toFixed(1)} s (${Math.round(CLUSTERS / (registerMs / 1000))}/s)`,
      );

      const selectors = [
        'env=prod',
        'env!=dev',
        'topology.kubernetes.io/region in (eu-west-1,eu-central-1)',
        'tier notin (critical)',
        'gpu',
        '!legacy',
        'env=prod,topology.kubernetes.io/region=eu-west-1,tier=critical',
        'team=team-7',
      ];
      print(
        'selector (HTTP GET /api/v1/clusters, page of up to 500, 30 runs each): matches, p50, p99',
      );
      const all: number[] = [];
      for (const selector of selectors) {
        const samples: number[] = [];
        let matched = 0;
        for (let run = 0; run < 30; run++) {
          const t0 = process.hrtime.bigint();
          const res = await fetch(
            `${bench.baseUrl}/api/v1/clusters?selector=${encodeURIComponent(selector)}&limit=500`,
          );
          const body = (await res.json()) as { items: unknown[] };
          samples.push(elapsedMs(t0));
          matched = body.items.length;
        }
        all.push(...samples);
        print(
          `  ${selector.padEnd(66)} ${String(matched).padStart(4)}  p50 ${percentile(samples, 50).toFixed(1)} ms  p99 ${percentile(samples, 99).toFixed(1)} ms`,
        );
      }
      print(
        `all selector queries: p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms (target < 50 ms p99)`,
      );

      const bus = bench.app.get(ClusterEventBus);
      const roundTrips: number[] = [];
      for (let i = 0; i < 50; i++) {
        const name = `cluster-${String(i * 97).padStart(5, '0')}`;
        const delivered = new Promise<void>((resolve) => {
          const off = bus.subscribe((event) => {
            if (event.clusterName === name && event.type === 'Updated') {
              off();
              resolve();
            }
          });
        });
        const t0 = process.hrtime.bigint();
        const res = await fetch(`${bench.baseUrl}/api/v1/clusters/${name}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ labels: { wave: String(i) } }),
        });
        if (res.status !== 200) throw new Error(`relabel failed: ${res.status}`);
        await delivered;
        roundTrips.push(elapsedMs(t0));
      }
      print(
        `relabel round trip (PATCH to event delivered to a subscriber), 50 relabels: p50 ${percentile(roundTrips, 50).toFixed(1)} ms, p99 ${percentile(roundTrips, 99).toFixed(1)} ms`,
      );
    } finally {
      await bench.close();
    }
  },
};
