import { Module } from '@nestjs/common';
import { PoolMetricsController } from './pool-metrics.controller';
import { PoolPrometheus } from './pool-prometheus';

/**
 * The pool monitor's outputs: GET /api/admin/pool-metrics (admin hub) and the
 * pool figures in /metrics. Apart from DatabaseModule because it needs the
 * permission and metrics modules, which a process without HTTP may not load.
 */
@Module({
  controllers: [PoolMetricsController],
  providers: [PoolPrometheus],
})
export class PoolMonitorModule {}
