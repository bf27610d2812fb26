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

export const HEAVY_BODY_LANE_METRICS: AdmissionMetricNames = {
  name: 'heavy_body',
  what: 'Requests with a body above BODY_OFFLOAD_BYTES',
};

/** The JSON body parser's figures: bodies parsed on the event loop, on the threads, refused. */
export function registerBodyParseMetrics(
  registry: Registry,
  figures: () => { offloaded: number; inline: number; refused: number; threadQueue: number },
): void {
  const P = `${METRIC_PREFIX}json_bodies_`;
  counterReading(
    registry,
    `${P}offloaded_total`,
    'JSON bodies parsed on the body-parse threads',
    () => figures().offloaded,
  );
  counterReading(
    registry,
    `${P}inline_total`,
    'JSON bodies parsed on the event loop',
    () => figures().inline,
  );
  counterReading(
    registry,
    `${P}refused_total`,
    'JSON bodies refused (invalid, too deep, too many values, prototype keys)',
    () => figures().refused,
  );
  gaugeReading(
    registry,
    `${P}thread_queue`,
    'JSON bodies waiting for a body-parse thread',
    () => figures().threadQueue,
  );
}

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
