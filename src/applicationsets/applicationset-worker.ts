import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { WorkQueue } from '../work-queue/work-queue.service';
import { APPLICATIONSET_WORK } from './applicationset.service';
import { ApplicationSetReconciler } from './reconcile/applicationset-reconciler';

/** Runs ApplicationSet reconciles from the durable work queue. */
@Injectable()
export class ApplicationSetWorker implements OnModuleInit {
  constructor(
    private readonly queue: WorkQueue,
    private readonly reconciler: ApplicationSetReconciler,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.queue.register(
      APPLICATIONSET_WORK,
      async (item) => ({
        rerunAt: (await this.reconciler.reconcile(item.targetId, undefined, item.claimedAt))
          .rerunAt,
      }),
      { concurrency: this.config.reconcile.concurrency },
    );
  }
}
