import { Global, Module } from '@nestjs/common';
import { HttpMetrics } from './http-metrics';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

/** The Prometheus registry every part registers its figures in, /metrics and HTTP timings. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [Metrics, HttpMetrics],
  exports: [Metrics],
})
export class ObservabilityModule {}
