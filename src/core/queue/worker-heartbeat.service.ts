import type { OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { withTimeout } from '../async/with-timeout';
import { RedisService } from '../cache/redis.service';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';

/** What a live worker says about itself. */
export interface WorkerBeat {
  id: string;
  host: string;
  pid: number;
  role: string;
  since: string;
}

/** Redis keys of the worker registry (one set of worker ids per queue, one expiring key per worker). */
export function workerKeys(prefix: string, queue: string) {
  return {
    members: `${prefix}:workers:${queue}`,
    beat: (workerId: string) => `${prefix}:worker:${queue}:${workerId}`,
  };
}

/**
 * Worker liveness: every process that works a queue writes, per queue, a key
 * that expires after WORKER_HEARTBEAT_TTL_SECONDS and refreshes it every third
 * of that. A worker that dies (or whose event loop stalls) simply stops
 * refreshing, and health stops counting it within the TTL. A worker that shuts
 * down cleanly removes its keys at once.
 */
@Injectable()
export class WorkerHeartbeat implements OnModuleDestroy {
  readonly workerId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger('WorkerHeartbeat');
  private readonly queues = new Set<string>();
  private readonly since = new Date().toISOString();
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private stopped = false;

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {
    // At once when Redis (re)connects: after a restart that lost its data, too.
    redis.client.on('ready', () => void this.beat());
  }

  /** Starts heartbeating for queue (this process processes its jobs). */
  serve(queue: string): void {
    this.queues.add(queue);
    void this.beat();
    this.timer ??= setInterval(
      () => void this.beat(),
      Math.max(500, (this.cfg.queue.heartbeatTtlSeconds * 1000) / 3),
    ).unref();
  }

  get served(): string[] {
    return [...this.queues];
  }

  async beat(): Promise<void> {
    if (this.stopped || this.queues.size === 0 || !this.redis.isReady) return;
    const ttl = this.cfg.queue.heartbeatTtlSeconds;
    const value: WorkerBeat = {
      id: this.workerId,
      host: hostname(),
      pid: process.pid,
      role: this.cfg.role,
      since: this.since,
    };
    const multi = this.redis.client.multi();
    for (const q of this.queues) {
      const keys = workerKeys(this.cfg.redis.keyPrefix, q);
      multi.set(keys.beat(this.workerId), JSON.stringify(value), 'EX', ttl);
      multi.sadd(keys.members, this.workerId);
    }
    try {
      await multi.exec();
      if (this.failing) this.logger.log('heartbeats are written again');
      this.failing = false;
    } catch (e) {
      if (!this.failing) this.logger.warn(`heartbeat not written: ${String(e)}`);
      this.failing = true;
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.queues.size === 0 || !this.redis.isReady) return;
    const multi = this.redis.client.multi();
    for (const q of this.queues) {
      const keys = workerKeys(this.cfg.redis.keyPrefix, q);
      multi.del(keys.beat(this.workerId));
      multi.srem(keys.members, this.workerId);
    }
    await withTimeout(multi.exec(), 1_000, 'Redis').catch(() => undefined);
  }
}
