/**
 * Every TypeORM entity of the application, listed explicitly (no globs) so the
 * Nest app, the migration check and the benchmarks all see the same schema.
 */
import { ApplicationEntity } from '../applications/application.entity';
import { ApplicationSetEntity } from '../applicationsets/applicationset.entity';
import { ClusterEventEntity } from '../clusters/cluster-event.entity';
import { ClusterEntity } from '../clusters/cluster.entity';
import { SourceEntity } from '../sources/source.entity';
import { WorkItemEntity } from '../work-queue/work-item.entity';
import {
  ApplicationSyncStateEntity,
  ClusterLeaseEntity,
  SyncReplicaEntity,
} from '../sync/control/persistence/sync-control.entities';

export const ENTITIES = [
  ClusterEntity,
  ClusterEventEntity,
  SourceEntity,
  ApplicationSetEntity,
  ApplicationEntity,
  WorkItemEntity,
  ClusterLeaseEntity,
  SyncReplicaEntity,
  ApplicationSyncStateEntity,
];
