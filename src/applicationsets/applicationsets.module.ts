import { Module } from '@nestjs/common';
import { ApplicationsModule } from '../applications/applications.module';
import { ClustersModule } from '../clusters/clusters.module';
import { WorkQueueModule } from '../work-queue/work-queue.module';
import { ApplicationSetController } from './applicationset.controller';
import { ApplicationSetRepository } from './applicationset.repository';
import { ApplicationSetService } from './applicationset.service';
import { ApplicationSetTriggers } from './applicationset-triggers';
import { ApplicationSetWorker } from './applicationset-worker';
import { ApplicationSetReconciler } from './reconcile/applicationset-reconciler';
import { ClusterSnapshots } from './reconcile/cluster-snapshots';

/** ApplicationSets: REST API, preview, reconciler and its triggers. */
@Module({
  imports: [ClustersModule, ApplicationsModule, WorkQueueModule],
  controllers: [ApplicationSetController],
  providers: [
    ApplicationSetRepository,
    ApplicationSetService,
    ApplicationSetReconciler,
    ClusterSnapshots,
    ApplicationSetTriggers,
    ApplicationSetWorker,
  ],
  exports: [ApplicationSetRepository, ApplicationSetService],
})
export class ApplicationSetsModule {}
