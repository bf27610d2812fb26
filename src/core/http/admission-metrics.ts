import type { Registry } from 'prom-client';
import { METRIC_PREFIX, counterReading, gaugeReading } from '../observability/metrics';
import type { AdmissionGate } from './admission-gate';

/** How a gate's figures are named: postroom_<name>_in_flight, … */
export interface AdmissionMetricNames {
  name: string;
  /** What the gate admits, capitalized, for the help texts. */
  what: string;
}

export const MAIN_GATE_METRICS: AdmissionMetricNames = { name: 'http', what: 'Requests' };
export const LOGIN_LANE_METRICS: AdmissionMetricNames = {
  name: 'login',
  what: 'Sign-ins (POST /api/auth/login)',
};

/** An admission gate's figures in /metrics, read at scrape time. */
export function registerAdmissionMetrics(
  registry: Registry,
  gate: AdmissionGate,
  { name, what }: AdmissionMetricNames = MAIN_GATE_METRICS,
): void {
  const P = `${METRIC_PREFIX}${name}_`;
  const f = () => gate.figures();
  gaugeReading(
    registry,
    `${P}max_in_flight`,
    `${what} this process works on at once at most`,
    () => f().maxInFlight,
  );
  gaugeReading(registry, `${P}in_flight`, `${what} being worked on`, () => f().inFlight);
  gaugeReading(registry, `${P}queued`, `${what} waiting for admission`, () => f().queued);
  counterReading(
    registry,
    `${P}queued_requests_total`,
    `${what} that waited for admission`,
    () => f().queuedTotal,
  );
  counterReading(
    registry,
    `${P}shed_requests_total`,
    `${what} answered 503 after waiting too long for admission`,
    () => f().shedTotal,
  );
  counterReading(
    registry,
    `${P}abandoned_requests_total`,
    `${what} whose client left while they waited`,
    () => f().abandonedTotal,
  );
}
