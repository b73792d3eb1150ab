import { Injectable, OnModuleInit } from '@nestjs/common';
import { WorkQueue } from '../work-queue/work-queue.service';
import { SOURCE_WORK } from './source.model';
import { SourceSync } from './source-sync';

/** Runs Git source syncs from the durable work queue. */
@Injectable()
export class SourceWorker implements OnModuleInit {
  constructor(
    private readonly queue: WorkQueue,
    private readonly sync: SourceSync,
  ) {}

  onModuleInit(): void {
    this.queue.register(SOURCE_WORK, (item) => this.sync.sync(item.targetId), { concurrency: 2 });
  }
}
