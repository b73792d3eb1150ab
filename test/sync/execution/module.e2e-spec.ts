/**
 * The execution module boots with the application's configuration and
 * provides the three contract implementations under their tokens, sharing
 * one cluster client pool.
 */
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../../src/config/app-config';
import { ConfigModule } from '../../../src/config/config.module';
import { MetricsRegistry } from '../../../src/observability/metrics.registry';
import { KubeDriftWatcher } from '../../../src/sync/engine/drift-watcher';
import {
  DRIFT_WATCHER,
  MANIFEST_RENDERER,
  SYNC_EXECUTOR,
} from '../../../src/sync/engine/engine.types';
import { SyncExecutionModule } from '../../../src/sync/engine/sync-execution.module';
import { KubeSyncExecutor } from '../../../src/sync/engine/sync-executor';
import { SourceRenderer } from '../../../src/sync/render/manifest-renderer';

@Global()
@Module({ providers: [MetricsRegistry], exports: [MetricsRegistry] })
class MetricsModule {}

describe(SyncExecutionModule.name, () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'fleetplane-exec-module-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('provides the renderer, executor and drift watcher under their tokens', async () => {
    const config = loadConfig({
      FLEETPLANE_DATA_DIR: dataDir,
      FLEETPLANE_CLUSTER_CONCURRENCY: '3',
    });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(config), MetricsModule, SyncExecutionModule],
    }).compile();
    await moduleRef.init();
    try {
      expect(moduleRef.get(MANIFEST_RENDERER)).toBeInstanceOf(SourceRenderer);
      expect(moduleRef.get(SYNC_EXECUTOR)).toBeInstanceOf(KubeSyncExecutor);
      expect(moduleRef.get(DRIFT_WATCHER)).toBeInstanceOf(KubeDriftWatcher);
    } finally {
      await moduleRef.close();
    }
  });
});
