import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import type { Queue } from 'bull';
import type { AppConfig } from '../../core/config/config.schema';
import { APP_CONFIG } from '../../core/config/config.module';
import { Tracing, fail } from '../../core/observability/tracing';
import { enqueueUnique } from '../../core/queue/enqueue-unique';
import { BATCH_QUEUE, PROCESS_BATCH_JOB } from '../../core/queue/queue.constants';
import { BatchStateRepository } from './batch-state.repository';

export interface BatchJobData {
  batchId: number;
  /** W3C traceparent of the enqueue (tracing on): the job continues that trace. */
  traceparent?: string;
}

/** Bull ignores an add whose id exists: one job per batch at a time. */
export const batchJobId = (batchId: number) => `batch-${batchId}`;

/**
 * Enqueues the processing of a committed batch. Never throws and never waits
 * longer than QUEUE_ENQUEUE_TIMEOUT_MS: when Redis is away the batch simply
 * stays pending and the sweeper enqueues it once Redis is back.
 */
@Injectable()
export class BatchProducer {
  private readonly logger = new Logger('BatchProducer');

  constructor(
    @InjectQueue(BATCH_QUEUE) private readonly queue: Queue<BatchJobData>,
    private readonly state: BatchStateRepository,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    @Optional() private readonly tracing?: Tracing,
  ) {}

  /** True when the batch's job is in the queue (added now, or already there). */
  async enqueue(batchId: number): Promise<boolean> {
    if (!this.tracing?.on) return this.add(batchId, undefined);
    const span = this.tracing.child(
      'batch.enqueue',
      {
        'messaging.system': 'bull',
        'messaging.destination.name': BATCH_QUEUE,
        'batch.id': batchId,
      },
      undefined,
      SpanKind.PRODUCER,
    );
    try {
      const queued = await this.add(batchId, this.tracing.traceparent(span));
      if (span && !queued) fail(span, new Error('not queued; the sweeper enqueues it later'));
      return queued;
    } finally {
      span?.end();
    }
  }

  private async add(batchId: number, traceparent: string | undefined): Promise<boolean> {
    try {
      await enqueueUnique(
        this.queue,
        {
          name: PROCESS_BATCH_JOB,
          data: traceparent ? { batchId, traceparent } : { batchId },
          jobId: batchJobId(batchId),
          opts: {
            attempts: this.cfg.queue.jobAttempts,
            backoff: { type: 'exponential', delay: this.cfg.queue.retryDelayMs },
            removeOnComplete: true,
            removeOnFail: 100,
          },
        },
        this.cfg.queue.enqueueTimeoutMs,
      );
    } catch (e) {
      this.logger.warn(
        `batch ${batchId} stays pending until the sweeper enqueues it: ${e instanceof Error ? e.message : String(e)}`,
      );
      return false;
    }
    try {
      await this.state.markQueued(batchId);
    } catch (e) {
      // The job is queued all the same; the worker moves the batch on when it starts.
      this.logger.warn(`batch ${batchId}: queued, but not marked so: ${String(e)}`);
    }
    return true;
  }
}
