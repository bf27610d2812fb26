import { getQueueToken } from '@nestjs/bull';
import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { Counter, Gauge } from 'prom-client';
import { METRIC_PREFIX, Metrics } from '../observability/metrics';
import { QUEUE_NAMES } from './queue.constants';
import type { QueueFigures } from './queue-status.service';
import { QUEUE_FIGURES_TIMEOUT_MS, QueueStatus } from './queue-status.service';
import { WorkerHeartbeat } from './worker-heartbeat.service';

const P = `${METRIC_PREFIX}queue_`;
const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
const OUTCOMES = ['completed', 'failed'] as const;

/**
 * The queues' figures in the Prometheus registry, for every role. Backlog and
 * live workers are read from Redis in collect() at scrape time, at most
 * QUEUE_FIGURES_TIMEOUT_MS: with Redis away a scrape still answers at once,
 * with up 0 and without the figures it could not read. The processed counter
 * counts the jobs this process ran (Bull's local events fire only where a job
 * ran), so it has series only in processes that work a queue.
 */
@Injectable()
export class QueuePrometheus implements OnModuleInit {
  private readonly processed: Counter<'queue' | 'outcome'>;

  constructor(
    private readonly moduleRef: ModuleRef,
    status: QueueStatus,
    heartbeat: WorkerHeartbeat,
    metrics: Metrics,
  ) {
    const registers = [metrics.registry];
    // Every gauge of a scrape asks at once; figuresWithin shares the one read.
    const read = (): Promise<Record<string, QueueFigures> | undefined> =>
      status.figuresWithin().catch(() => undefined);

    new Gauge({
      name: `${P}up`,
      help: `1 when the queue's figures could be read from Redis within ${QUEUE_FIGURES_TIMEOUT_MS} ms`,
      labelNames: ['queue'],
      registers,
      async collect() {
        const figures = await read();
        for (const queue of QUEUE_NAMES) this.set({ queue }, figures?.[queue] ? 1 : 0);
      },
    });
    new Gauge({
      name: `${P}jobs`,
      help: 'Jobs in the queue by state (absent while Redis cannot be read)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        const figures = await read();
        for (const [queue, f] of Object.entries(figures ?? {}))
          for (const state of STATES) this.set({ queue, state }, f[state]);
      },
    });
    new Gauge({
      name: `${P}live_workers`,
      help: 'Workers whose heartbeat for the queue has not expired (absent while Redis cannot be read)',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset();
        const figures = await read();
        for (const [queue, f] of Object.entries(figures ?? {})) this.set({ queue }, f.liveWorkers);
      },
    });
    this.processed = new Counter({
      name: `${P}jobs_processed_total`,
      help: 'Job attempts this process finished, by outcome (a failed attempt may be retried)',
      labelNames: ['queue', 'outcome'],
      registers,
      collect() {
        // Zero series from the start for the queues this process works.
        for (const queue of heartbeat.served)
          for (const outcome of OUTCOMES) this.inc({ queue, outcome }, 0);
      },
    });
  }

  /** Once the queues exist. Local events: nothing is subscribed in Redis. */
  onModuleInit(): void {
    for (const name of QUEUE_NAMES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      queue.on('completed', () => this.processed.inc({ queue: name, outcome: 'completed' }));
      queue.on('failed', () => this.processed.inc({ queue: name, outcome: 'failed' }));
    }
  }
}
