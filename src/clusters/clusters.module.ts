import { Module } from '@nestjs/common';
import { CryptoModule } from '../crypto/crypto.module';
import { ClusterConnectivityService } from './cluster-connectivity.service';
import { ClusterController } from './cluster.controller';
import { ClusterEventBus } from './cluster-event-bus';
import { ClusterMetrics } from './cluster.metrics';
import { ClusterRepository } from './cluster.repository';
import { ClusterService } from './cluster.service';

/** The cluster registry: REST API, storage, change events and connectivity checks. */
@Module({
  imports: [CryptoModule],
  controllers: [ClusterController],
  providers: [
    ClusterRepository,
    ClusterService,
    ClusterEventBus,
    ClusterConnectivityService,
    ClusterMetrics,
  ],
  exports: [ClusterRepository, ClusterService, ClusterEventBus],
})
export class ClustersModule {}
