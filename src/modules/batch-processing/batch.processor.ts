import { InjectQueue } from '@nestjs/bull';
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { withTimeout } from '../../core/async/with-timeout';
import type { AppConfig } from '../../core/config/config.schema';
import { APP_CONFIG } from '../../core/config/config.module';
import { RequestContext } from '../../core/context/request-context.service';
import { Tracing } from '../../core/observability/tracing';
import { BATCH_QUEUE, PROCESS_BATCH_JOB } from '../../core/queue/queue.constants';
import { WorkerHeartbeat } from '../../core/queue/worker-heartbeat.service';
import type { BatchJobData } from './batch.producer';
import { BatchStateRepository } from './batch-state.repository';
import type { RunOutcome } from './batch-runner';
import { BatchRunner, WorkerStoppingError } from './batch-runner';

/**
 * The batch queue's processor (worker and all roles). Registered by hand rather
 * than with @Process: the concurrency comes from configuration, and the promise
 * Bull's process() returns is handled here instead of left unhandled. Each job
 * runs in a request context of its own, named after the job. A transient
 * failure throws, so Bull retries it with backoff; the last failed attempt
 * fails the batch. On shutdown the running jobs stop after their current chunk
 * and go back to the queue for another worker.
 */
@Injectable()
export class BatchProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('BatchProcessor');
  private readonly running = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(
    @InjectQueue(BATCH_QUEUE) private readonly queue: Queue<BatchJobData>,
    private readonly runner: BatchRunner,
    private readonly state: BatchStateRepository,
    private readonly heartbeat: WorkerHeartbeat,
    private readonly ctx: RequestContext,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    @Optional() private readonly tracing?: Tracing,
  ) {}

  onApplicationBootstrap(): void {
    this.queue
      .process(PROCESS_BATCH_JOB, this.cfg.queue.batchConcurrency, (job: Job<BatchJobData>) =>
        this.handle(job),
      )
      .catch((e: unknown) => {
        if (!this.stopping) this.logger.error(`the batch queue stopped processing: ${String(e)}`);
      });
    this.heartbeat.serve(BATCH_QUEUE);
  }

  handle(job: Job<BatchJobData>): Promise<RunOutcome> {
    const id = `job:${BATCH_QUEUE}:${String(job.id)}#${job.attemptsMade + 1}`;
    const tracing = this.tracing;
    const run = this.ctx.run(
      () =>
        tracing?.on
          ? tracing.job(
              'batch.job',
              job.data.traceparent,
              {
                'messaging.system': 'bull',
                'messaging.destination.name': BATCH_QUEUE,
                'messaging.message.id': String(job.id),
                'batch.id': job.data.batchId,
                'postroom.job.attempt': job.attemptsMade + 1,
              },
              () => this.process(job),
            )
          : this.process(job),
      id,
    );
    this.running.add(run);
    return run.finally(() => this.running.delete(run));
  }

  private async process(job: Job<BatchJobData>): Promise<RunOutcome> {
    const { batchId } = job.data;
    if (this.stopping) throw new WorkerStoppingError();
    try {
      const outcome = await this.runner.run(batchId, () => this.stopping);
      this.logger.log(`batch ${batchId}: ${outcome}`);
      return outcome;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof WorkerStoppingError) {
        this.logger.log(`batch ${batchId}: handed back to the queue (${message})`);
        throw e;
      }
      const attempt = job.attemptsMade + 1;
      const attempts = job.opts.attempts ?? 1;
      const final = attempt >= attempts;
      this.logger.warn(
        `batch ${batchId}: attempt ${attempt} of ${attempts} failed${final ? '; the batch failed' : ', retrying'}: ${message}`,
      );
      await this.state
        .recordJobFailure(batchId, `attempt ${attempt} of ${attempts} failed: ${message}`, final)
        .catch((err: unknown) =>
          this.logger.warn(`batch ${batchId}: failure not recorded: ${String(err)}`),
        );
      throw e;
    }
  }

  /** Before the pool and the queue close: running jobs finish their chunk and hand the batch back. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.running.size === 0) return;
    await withTimeout(
      Promise.allSettled([...this.running]),
      this.cfg.http.shutdownTimeoutMs,
      'running batch jobs',
    ).catch((e: unknown) => this.logger.warn(String(e)));
  }
}
