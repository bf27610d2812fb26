import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { METRIC_PREFIX, Metrics, counterReading } from '../observability/metrics';
import { HealthState } from './health-state';

/**
 * The last readiness answer in /metrics, read at scrape time: the scrape runs
 * no check of its own (no statement, no Redis call). NaN until the first probe
 * has asked (a gauge without labels always has a sample; NaN matches no alert).
 */
@Injectable()
export class HealthPrometheus {
  constructor(state: HealthState, metrics: Metrics) {
    new Gauge({
      name: `${METRIC_PREFIX}health_ready`,
      help: 'Last /health/ready answer of this process: 1 ready, 0 not ready (503), NaN before the first',
      registers: [metrics.registry],
      collect() {
        const ready = state.ready;
        this.set(ready === undefined ? NaN : ready ? 1 : 0);
      },
    });
    counterReading(
      metrics.registry,
      `${METRIC_PREFIX}health_not_ready_total`,
      '/health/ready answers that were 503 (not ready or shutting down)',
      () => state.notReadyAnswers,
    );
  }
}
