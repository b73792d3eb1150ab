import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { MetricsRegistry } from './metrics.registry';

/** Liveness, readiness and Prometheus metrics, outside the versioned API. */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: MetricsRegistry,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  /** The database answers; load balancers should route traffic here only then. */
  @Get('readyz')
  async readyz(@Res() response: Response): Promise<void> {
    try {
      await this.dataSource.query('SELECT 1');
      response.status(200).json({ status: 'ready' });
    } catch (error) {
      response
        .status(503)
        .json({ status: 'unavailable', reason: `database: ${(error as Error).message}` });
    }
  }

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() response: Response): Promise<void> {
    response.type(this.metrics.contentType).send(await this.metrics.metrics());
  }
}
