/**
 * The execution half of the sync engine as a Nest module: one cluster
 * client pool for the process (per-cluster connections, discovery caches
 * and concurrency limits shared by rendering, syncing and watching), the
 * rendering tools located once at start-up, the live cache the drift watch
 * fills and the executor reads, and the three contract
 * implementations under their tokens:
 * - `MANIFEST_RENDERER` → `SourceRenderer`
 * - `SYNC_EXECUTOR` → `KubeSyncExecutor`
 * - `DRIFT_WATCHER` → `KubeDriftWatcher`
 * Imported by the control half's module (not by AppModule directly).
 */
import { Inject, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { GitMirrorCache } from '../../git/git-mirror-cache';
import { GitModule } from '../../git/git.module';
import { ClusterClientPool } from '../../kube/cluster-client-pool';
import { SourceRenderer } from '../render/manifest-renderer';
import { RenderTools, locateRenderTools } from '../render/render-tools';
import { clusterScopeResolver } from './cluster-scopes';
import { KubeDriftWatcher } from './drift-watcher';
import { DRIFT_WATCHER, MANIFEST_RENDERER, SYNC_EXECUTOR } from './engine.types';
import { MetricsRegistry } from '../../observability/metrics.registry';
import { LiveCache } from './live-cache';
import { registerLiveCacheMetrics } from './live-cache.metrics';
import { ManagedKinds } from './managed-kinds';
import { DEFAULT_EXECUTION_SETTINGS, ExecutionSettings } from './pass-context';
import { KubeSyncExecutor } from './sync-executor';

/** Injection token of the rendering tools found at start-up. */
export const RENDER_TOOLS = Symbol('RenderTools');

/** Largest output one `kubectl kustomize` / `helm template` run may produce. */
const MAX_RENDER_OUTPUT_BYTES = 64 * 1024 * 1024;

/** The executor's settings from the configuration. */
export function executionSettingsOf(config: AppConfig): ExecutionSettings {
  return {
    ...DEFAULT_EXECUTION_SETTINGS,
    healthTimeoutMs: config.syncExecution.healthTimeoutSeconds * 1000,
    waveDelayMs: config.syncExecution.waveDelaySeconds * 1000,
    settleMs: config.syncExecution.settleSeconds * 1000,
  };
}

@Module({
  imports: [GitModule],
  providers: [
    {
      provide: ClusterClientPool,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new ClusterClientPool({
          requestTimeoutMs: config.syncExecution.requestTimeoutSeconds * 1000,
          concurrency: config.syncExecution.clusterConcurrency,
        }),
    },
    {
      provide: RENDER_TOOLS,
      useFactory: async (): Promise<RenderTools> => {
        const tools = await locateRenderTools();
        const logger = new Logger('SyncExecution');
        logger.log(
          `rendering tools: kustomize ${tools.kustomize ? `via ${tools.kustomize.command} ${tools.kustomize.prefixArgs.join(' ')}` : 'not found (Kustomize sources will fail)'}, helm ${tools.helm ? tools.helm.command : 'not found (Helm sources will fail)'}`,
        );
        return tools;
      },
    },
    { provide: ManagedKinds, useFactory: () => new ManagedKinds() },
    {
      provide: LiveCache,
      inject: [APP_CONFIG, MetricsRegistry],
      useFactory: (config: AppConfig, registry: MetricsRegistry) => {
        const logger = new Logger('LiveCache');
        let warnedAtMs = -Infinity;
        const cache = new LiveCache({
          // Each Application reads its cluster itself at least once per comparison interval.
          authoritativeEveryMs: config.syncControl.compareIntervalSeconds * 1000,
          maxBytes: config.syncExecution.liveCacheMb * 1024 * 1024,
          onFull: (clusterName, kindKey) => {
            // Once per ten minutes: a full cache declines kinds by the thousand.
            if (Date.now() - warnedAtMs < 600_000) return;
            warnedAtMs = Date.now();
            logger.warn(
              `the live cache is full (FLEETPLANE_LIVE_CACHE_MB=${config.syncExecution.liveCacheMb}): ${kindKey} on ${clusterName} and others keep only which objects exist, and reads of them go to their clusters`,
            );
          },
        });
        registerLiveCacheMetrics(registry, cache);
        return cache;
      },
    },
    {
      provide: MANIFEST_RENDERER,
      inject: [GitMirrorCache, ClusterClientPool, RENDER_TOOLS, APP_CONFIG],
      useFactory: (
        git: GitMirrorCache,
        pool: ClusterClientPool,
        tools: RenderTools,
        config: AppConfig,
      ) =>
        new SourceRenderer(git, clusterScopeResolver(pool), {
          tools,
          cacheBytes: config.syncExecution.renderCacheMb * 1024 * 1024,
          timeoutMs: config.syncExecution.renderTimeoutSeconds * 1000,
          maxOutputBytes: MAX_RENDER_OUTPUT_BYTES,
        }),
    },
    {
      provide: SYNC_EXECUTOR,
      inject: [ClusterClientPool, ManagedKinds, LiveCache, APP_CONFIG],
      useFactory: (
        pool: ClusterClientPool,
        kinds: ManagedKinds,
        cache: LiveCache,
        config: AppConfig,
      ) => new KubeSyncExecutor(pool, executionSettingsOf(config), kinds, cache),
    },
    {
      provide: DRIFT_WATCHER,
      inject: [ClusterClientPool, ManagedKinds, LiveCache],
      useFactory: (pool: ClusterClientPool, kinds: ManagedKinds, cache: LiveCache) =>
        new KubeDriftWatcher(pool, kinds, {}, cache),
    },
  ],
  exports: [MANIFEST_RENDERER, SYNC_EXECUTOR, DRIFT_WATCHER, ClusterClientPool],
})
export class SyncExecutionModule implements OnModuleDestroy {
  constructor(@Inject(ClusterClientPool) private readonly pool: ClusterClientPool) {}

  onModuleDestroy(): void {
    this.pool.closeAll();
  }
}
