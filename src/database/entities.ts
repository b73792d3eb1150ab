/**
 * Every TypeORM entity of the application, listed explicitly (no globs) so the
 * Nest app, the migration check and the benchmarks all see the same schema.
 */
import { ClusterEventEntity } from '../clusters/cluster-event.entity';
import { ClusterEntity } from '../clusters/cluster.entity';

export const ENTITIES = [ClusterEntity, ClusterEventEntity];
