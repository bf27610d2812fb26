import type { DynamicModule, Provider } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema';
import { PerformanceMonitor } from './performance-monitor';
import { RequestMetricRepository } from './request-metric.repository';
import { RequestMetricsWriter } from './request-metrics.writer';
import { RequestObserver } from './request-observer';

/**
 * Request logging, performance monitoring and persisted request metrics. Only
 * what the configuration switches on is even provided (no timer, no buffer,
 * no hook otherwise).
 */
@Module({})
export class ObservabilityModule {
  static forRoot(cfg: AppConfig): DynamicModule {
    const providers: Provider[] = [RequestObserver];
    const exports: Provider[] = [RequestObserver];
    if (cfg.monitoring.performance) {
      providers.push(PerformanceMonitor);
      exports.push(PerformanceMonitor);
    }
    if (cfg.monitoring.metricsMode !== 'off') {
      providers.push(RequestMetricRepository, RequestMetricsWriter);
      exports.push(RequestMetricsWriter);
    }
    return { module: ObservabilityModule, global: true, providers, exports };
  }
}
