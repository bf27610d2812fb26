import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { BULL_REDIS_OPTIONS } from './bull-redis';
import { QUEUE_NAMES } from './queue.constants';
import { QueuePrometheus } from './queue-prometheus';
import { QueueStatus } from './queue-status.service';
import { WorkerHeartbeat } from './worker-heartbeat.service';

const queues = BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name })));

/**
 * Bull on Redis: the queues (every role may enqueue; only processes that
 * register a processor work them), worker heartbeats, and the queue figures
 * that health and the admin hub report and /metrics exposes. Not global on
 * purpose: importers are shut down before Redis, so a worker can still remove
 * its heartbeat on the way out.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (cfg: AppConfig) => {
        // A job whose worker stops renewing its lock is handed to another worker
        // after this long; renewed every half of it.
        const lockMs = Math.max(5_000, cfg.queue.heartbeatTtlSeconds * 1000);
        return {
          url: cfg.redis.url,
          redis: BULL_REDIS_OPTIONS,
          prefix: `${cfg.redis.keyPrefix}:q`,
          settings: { lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: 1 },
        };
      },
    }),
    queues,
  ],
  providers: [WorkerHeartbeat, QueueStatus, QueuePrometheus],
  exports: [queues, WorkerHeartbeat, QueueStatus],
})
export class QueueModule {}
