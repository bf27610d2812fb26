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
import { Tracing } from './tracing';

/**
 * The Prometheus registry every part registers its figures in (/metrics, HTTP
 * timings), tracing (OpenTelemetry, see Tracing), and request logging, performance monitoring and persisted request
 * metrics: of these only what the configuration switches on is even provided
 * (no timer, no buffer, no hook otherwise).
 */
@Module({})
export class ObservabilityModule {
  static forRoot(cfg: AppConfig): DynamicModule {
    // Always provided (the choke points ask it once whether it is on); off, it
    // holds no tracer provider, span processor or context manager.
    const tracing: Provider = {
      provide: Tracing,
      useFactory: () => new Tracing({ ...cfg.tracing, role: cfg.role }),
    };
    const providers: Provider[] = [Metrics, HttpMetrics, RequestObserver, tracing];
    const exports: Provider[] = [Metrics, RequestObserver, Tracing];
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
