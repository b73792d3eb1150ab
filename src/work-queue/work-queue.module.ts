import { Module } from '@nestjs/common';
import { WorkQueueRepository } from './work-queue.repository';
import { WorkQueue } from './work-queue.service';

/** The durable work queue shared by the reconciler and the sync engine. */
@Module({
  providers: [WorkQueueRepository, WorkQueue],
  exports: [WorkQueue],
})
export class WorkQueueModule {}
