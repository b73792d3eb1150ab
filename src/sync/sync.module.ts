/**
 * The sync engine: the execution half (`SyncExecutionModule`: render,
 * compare, apply, watch) and the control half (`src/sync/control`: cluster
 * leases and workers, scheduling, persistence of operations and status, the
 * sync API and metrics). See docs/sync.md.
 */
import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module';
import { WorkQueueModule } from '../work-queue/work-queue.module';
import { SyncController } from './control/api/sync.controller';
import { SyncControlService } from './control/api/sync-control.service';
import { ClusterLeaseRepository } from './control/persistence/cluster-lease.repository';
import { SyncStateRepository } from './control/persistence/sync-state.repository';
import { SyncClusterPorts } from './control/runtime/cluster-ports';
import { SyncRuntime } from './control/runtime/sync-runtime.service';
import { SyncMetrics } from './control/sync.metrics';
import { SyncExecutionModule } from './engine/sync-execution.module';

@Module({
  imports: [SyncExecutionModule, ClustersModule, WorkQueueModule],
  controllers: [SyncController],
  providers: [
    SyncStateRepository,
    ClusterLeaseRepository,
    SyncMetrics,
    SyncControlService,
    SyncClusterPorts,
    SyncRuntime,
  ],
  exports: [SyncRuntime],
})
export class SyncModule {}
