import { Global, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { MetricsRegistry } from './metrics.registry';

@Global()
@Module({
  controllers: [HealthController],
  providers: [MetricsRegistry],
  exports: [MetricsRegistry],
})
export class ObservabilityModule {}
