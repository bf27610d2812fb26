import type { Registry } from 'prom-client';
import { METRIC_PREFIX, counterReading, gaugeReading } from '../observability/metrics';
import type { AdmissionGate } from './admission-gate';

const P = `${METRIC_PREFIX}http_`;

/** The admission gate's figures in /metrics, read at scrape time. */
export function registerAdmissionMetrics(registry: Registry, gate: AdmissionGate): void {
  const f = () => gate.figures();
  gaugeReading(
    registry,
    `${P}max_in_flight`,
    'Requests this process works on at once at most',
    () => f().maxInFlight,
  );
  gaugeReading(registry, `${P}in_flight`, 'Requests being worked on', () => f().inFlight);
  gaugeReading(registry, `${P}queued`, 'Requests waiting for admission', () => f().queued);
  counterReading(
    registry,
    `${P}queued_requests_total`,
    'Requests that waited for admission',
    () => f().queuedTotal,
  );
  counterReading(
    registry,
    `${P}shed_requests_total`,
    'Requests answered 503 SERVER_BUSY after waiting',
    () => f().shedTotal,
  );
  counterReading(
    registry,
    `${P}abandoned_requests_total`,
    'Requests whose client left while they waited',
    () => f().abandonedTotal,
  );
}
