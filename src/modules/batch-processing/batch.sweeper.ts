import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { RedisService } from '../../core/cache/redis.service';
import type { AppConfig } from '../../core/config/config.schema';
import { APP_CONFIG } from '../../core/config/config.module';
import { WorkerHeartbeat } from '../../core/queue/worker-heartbeat.service';
import { BatchProducer } from './batch.producer';
import { BatchStateRepository } from './batch-state.repository';

const PER_ROUND = 500;

/**
 * Nothing is lost: every BATCH_SWEEP_INTERVAL_MS (and as soon as Redis is back
 * after an outage) one replica re-enqueues batches that are pending (their
 * enqueue failed), queued for longer than a round (their job may have been lost
 * with Redis' data) or processing with a heartbeat older than the worker TTL
 * (their worker died). Re-enqueuing is idempotent, so the Redis lock only keeps
 * replicas from repeating each other's work.
 */
@Injectable()
export class BatchSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('BatchSweeper');
  private timer: NodeJS.Timeout | undefined;
  private sweeping = false;
  private stopped = false;

  constructor(
    private readonly state: BatchStateRepository,
    private readonly producer: BatchProducer,
    private readonly redis: RedisService,
    private readonly heartbeat: WorkerHeartbeat,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.cfg.queue.sweepIntervalMs).unref();
    this.redis.onReconnect(() => void this.sweep());
    void this.sweep();
  }

  onModuleDestroy(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Re-enqueues stranded batches; how many (0 when another replica holds this round). */
  async sweep(): Promise<number> {
    if (this.sweeping || this.stopped) return 0;
    this.sweeping = true;
    try {
      if (!(await this.takeRound())) return 0;
      const ids = await this.state.findStranded({
        pendingAfterMs: this.cfg.queue.enqueueTimeoutMs,
        queuedAfterMs: this.cfg.queue.sweepIntervalMs,
        staleAfterMs: this.cfg.queue.heartbeatTtlSeconds * 1000,
        limit: PER_ROUND,
      });
      let enqueued = 0;
      for (const id of ids) {
        if (this.stopped) break;
        // Redis went away again: the next round continues.
        if (!(await this.producer.enqueue(id))) break;
        enqueued++;
      }
      if (enqueued > 0) this.logger.log(`re-enqueued ${enqueued} stranded batch(es)`);
      return enqueued;
    } catch (e) {
      this.logger.warn(`sweep skipped: ${e instanceof Error ? e.message : String(e)}`);
      return 0;
    } finally {
      this.sweeping = false;
    }
  }

  private async takeRound(): Promise<boolean> {
    if (!this.redis.isReady) return false;
    const ok = await this.redis.client.set(
      `${this.cfg.redis.keyPrefix}:lock:batch-sweep`,
      this.heartbeat.workerId,
      'PX',
      // Shorter than the interval, so the next round finds the lock gone.
      Math.max(50, Math.floor(this.cfg.queue.sweepIntervalMs * 0.8)),
      'NX',
    );
    return ok === 'OK';
  }
}
