import type { DynamicModule, Provider } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema';
import { HttpMetrics } from './http-metrics';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { PerformanceMonitor } from './performance-monitor';
import { RequestMetricRepository } from './request-metric.repository';
import { RequestMetricsWriter } from './request-metrics.writer';
import { RequestObserver } from './request-observer';

/**
 * The Prometheus registry every part registers its figures in (/metrics, HTTP
 * timings), and request logging, performance monitoring and persisted request
 * metrics: of these only what the configuration switches on is even provided
 * (no timer, no buffer, no hook otherwise).
 */
@Module({})
export class ObservabilityModule {
  static forRoot(cfg: AppConfig): DynamicModule {
    const providers: Provider[] = [Metrics, HttpMetrics, RequestObserver];
    const exports: Provider[] = [Metrics, RequestObserver];
    if (cfg.monitoring.performance) {
      providers.push(PerformanceMonitor);
      exports.push(PerformanceMonitor);
    }
    if (cfg.monitoring.metricsMode !== 'off') {
      providers.push(RequestMetricRepository, RequestMetricsWriter);
      exports.push(RequestMetricsWriter);
    }
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [MetricsController],
      providers,
      exports,
    };
  }
}
