import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { METRIC_PREFIX } from '../observability/metrics';
import type { AdmissionFigures, AdmissionGate } from './admission-gate';

const P = `${METRIC_PREFIX}http_`;

/** The admission gate's figures in /metrics, read at scrape time. */
export function registerAdmissionMetrics(registry: Registry, gate: AdmissionGate): void {
  const registers = [registry];
  const gauge = (name: string, help: string, read: (f: AdmissionFigures) => number) =>
    new Gauge({
      name: `${P}${name}`,
      help,
      registers,
      collect() {
        this.set(read(gate.figures()));
      },
    });
  gauge('max_in_flight', 'Requests this process works on at once at most', (f) => f.maxInFlight);
  gauge('in_flight', 'Requests being worked on', (f) => f.inFlight);
  gauge('queued', 'Requests waiting for admission', (f) => f.queued);
  const counter = (name: string, help: string, read: (f: AdmissionFigures) => number) =>
    new Counter({
      name: `${P}${name}_total`,
      help,
      registers,
      collect() {
        this.reset();
        this.inc(read(gate.figures()));
      },
    });
  counter('queued_requests', 'Requests that waited for admission', (f) => f.queuedTotal);
  counter('shed_requests', 'Requests answered 503 SERVER_BUSY after waiting', (f) => f.shedTotal);
  counter(
    'abandoned_requests',
    'Requests whose client left while they waited',
    (f) => f.abandonedTotal,
  );
}
