import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Prefix of every metric name Postroom exposes. */
export const METRIC_PREFIX = 'postroom_';

let processRegistry: Registry | undefined;

/**
 * Process-wide figures (CPU, memory, event loop, GC): one set per process, made
 * once however many application instances the process holds (tests hold many).
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: METRIC_PREFIX });
  }
  return processRegistry;
}

/**
 * The application's Prometheus registry, one per application instance. Parts
 * register their own figures into `registry` (pool, HTTP, queues): create a
 * prom-client metric with `registers: [metrics.registry]`, preferably with a
 * `collect()` that reads the live value at scrape time so nothing runs on the
 * request path. `GET /metrics` renders it with the process figures.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of everything registered. */
  async render(): Promise<string> {
    const [own, proc] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${proc}`;
  }
}

/** A gauge whose value is read at scrape time. */
export function gaugeReading(
  registry: Registry,
  name: string,
  help: string,
  read: () => number,
): Gauge {
  return new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

/** A counter whose total is kept elsewhere (a plain number) and read at scrape time. */
export function counterReading(
  registry: Registry,
  name: string,
  help: string,
  read: () => number,
): Counter {
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}
