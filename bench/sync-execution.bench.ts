/**
 * The sync engine's execution half at fleet scale, without the control
 * half or Postgres: one Application (a Deployment, a Service and a
 * ConfigMap from a real Git repository) synced to 1,000 kube-sim clusters
 * over HTTPS, 64 passes in flight: the first sync (create and wait for
 * health), a commit changing the image, an unchanged sync (which must write
 * nothing), and a comparison of every cluster; then the process RSS. The
 * client and kube-sim share one event loop, so the times are an upper
 * bound of the engine's own cost. Context for the issue's target: one
 * changed Application on 1,000 clusters in < 5 s.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Application } from '../src/argo/application.types';
import { GitMirrorCache } from '../src/git';
import { ClusterClientPool } from '../src/kube/cluster-client-pool';
import { clusterScopeResolver } from '../src/sync/engine/cluster-scopes';
import { SyncPassResult } from '../src/sync/engine/engine.types';
import { DEFAULT_EXECUTION_SETTINGS } from '../src/sync/engine/pass-context';
import { KubeSyncExecutor } from '../src/sync/engine/sync-executor';
import { Inventory } from '../src/sync/plan/inventory';
import { SourceRenderer } from '../src/sync/render/manifest-renderer';
import { locateRenderTools } from '../src/sync/render/render-tools';
import { KubeSim, SimCluster } from '../test/kube-sim';
import { TestGitRepo } from '../test/support/git-repo';
import { Benchmark, elapsedMs, mib, percentile } from './benchmark';
import { inParallel } from './support/bench-app';

const CLUSTERS = Number(process.env.BENCH_SYNC_CLUSTERS ?? 1_000);
const IN_FLIGHT = 64;

function manifests(image: string): Record<string, string> {
  return {
    'web/deploy.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: ${image}\n          ports: [{containerPort: 80}]\n`,
    'web/service.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 80}]\n`,
    'web/config.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-settings\ndata:\n  greeting: hello\n`,
  };
}

export const benchmark: Benchmark = {
  name: 'sync-execution',
  description: `render, sync, re-sync unchanged and compare one Application on ${CLUSTERS} kube-sim clusters (${IN_FLIGHT} passes in flight)`,
  async run(print) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'fleetplane-bench-exec-'));
    const sim = await KubeSim.start({ clusters: CLUSTERS, readinessDelayMs: 50 });
    const repo = await TestGitRepo.create();
    const pool = new ClusterClientPool({ requestTimeoutMs: 30_000, concurrency: 8 });
    try {
      const git = new GitMirrorCache({ rootDir: dataDir, allowFileRepos: true });
      const renderer = new SourceRenderer(git, clusterScopeResolver(pool), {
        tools: await locateRenderTools(),
        cacheBytes: 64 * 1024 * 1024,
        timeoutMs: 90_000,
        maxOutputBytes: 64 * 1024 * 1024,
      });
      const executor = new KubeSyncExecutor(pool, {
        ...DEFAULT_EXECUTION_SETTINGS,
        healthTimeoutMs: 120_000,
      });
      const app = (cluster: SimCluster): Application => ({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'web' },
        spec: {
          project: 'default',
          source: { repoURL: repo.url, targetRevision: 'main', path: 'web' },
          destination: { name: cluster.name, namespace: 'default' },
        },
      });
      const access = (cluster: SimCluster) => ({
        name: cluster.name,
        access: {
          server: cluster.server,
          bearerToken: cluster.token,
          caData: Buffer.from(cluster.caData ?? '', 'base64').toString('utf8'),
          insecureSkipTLSVerify: false,
        },
      });
      const inventories = new Map<string, Inventory>();

      const round = async (label: string) => {
        git.invalidate(repo.url);
        const started = process.hrtime.bigint();
        const passMs: number[] = [];
        const phases = new Map<string, number>();
        // The control half resolves a (repository, revision) once for every Application using it.
        const revision = await renderer.resolveRevision(app(sim.clusters[0]).spec.source!);
        await inParallel(sim.clusters, IN_FLIGHT, async (cluster) => {
          const passStarted = process.hrtime.bigint();
          const desired = await renderer.render(app(cluster), revision, access(cluster));
          const result: SyncPassResult = await executor.sync({
            app: app(cluster),
            cluster: access(cluster),
            desired,
            inventory: inventories.get(cluster.name) ?? [],
            prune: true,
            dryRun: false,
            signal: new AbortController().signal,
          });
          if (result.phase === 'Succeeded') inventories.set(cluster.name, result.inventory);
          phases.set(result.phase, (phases.get(result.phase) ?? 0) + 1);
          passMs.push(elapsedMs(passStarted));
        });
        const totalMs = elapsedMs(started);
        print(
          `${label}: ${(totalMs / 1000).toFixed(2)} s for ${CLUSTERS} clusters (${[...phases].map(([p, n]) => `${n} ${p}`).join(', ')}); pass p50 ${percentile(passMs, 50).toFixed(0)} ms, p99 ${percentile(passMs, 99).toFixed(0)} ms`,
        );
      };

      await repo.commitFiles(manifests('nginx:1.25'), 'first');
      await round('first sync (create, wait for Healthy)');
      await repo.commitFiles(
        { 'web/deploy.yaml': manifests('nginx:1.27')['web/deploy.yaml'] },
        'image',
      );
      for (const cluster of sim.clusters) cluster.log.reset();
      await round('commit changes the image');
      const patched = sim.clusters.reduce((sum, c) => sum + c.log.counters().patch, 0);
      print(`  PATCH requests for the change: ${patched} (one Deployment per cluster)`);
      for (const cluster of sim.clusters) cluster.log.reset();
      await round('unchanged sync');
      const writes = sim.clusters.reduce((sum, c) => {
        const counters = c.log.counters();
        return sum + counters.patch + counters.create + counters.update + counters.delete;
      }, 0);
      const requests = sim.clusters.reduce(
        (sum, c) => sum + Object.values(c.log.counters()).reduce((a, b) => a + b, 0),
        0,
      );
      print(`  writes for the unchanged sync: ${writes} (of ${requests} requests)`);

      const started = process.hrtime.bigint();
      let synced = 0;
      const revision = await renderer.resolveRevision(app(sim.clusters[0]).spec.source!);
      await inParallel(sim.clusters, IN_FLIGHT, async (cluster) => {
        const desired = await renderer.render(app(cluster), revision, access(cluster));
        const comparison = await executor.compare(
          app(cluster),
          access(cluster),
          desired,
          inventories.get(cluster.name) ?? [],
        );
        if (comparison.syncStatus === 'Synced' && comparison.health.status === 'Healthy') synced++;
      });
      print(
        `compare of every cluster: ${(elapsedMs(started) / 1000).toFixed(2)} s (${synced} Synced and Healthy)`,
      );
      global.gc?.();
      const memory = process.memoryUsage();
      print(
        `process RSS ${mib(memory.rss)}, heap used ${mib(memory.heapUsed)} (kube-sim with ${CLUSTERS} clusters included)`,
      );
    } finally {
      pool.closeAll();
      await sim.stop();
      await repo.cleanup();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
