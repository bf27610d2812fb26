import { getQueueToken } from '@nestjs/bull';
import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bull';
import { withTimeout } from '../async/with-timeout';
import { RedisService } from '../cache/redis.service';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { whenReady } from './bull-redis';
import { QUEUE_NAMES } from './queue.constants';
import { QueueUnavailableError } from './queue.errors';
import type { WorkerBeat } from './worker-heartbeat.service';
import { WorkerHeartbeat, workerKeys } from './worker-heartbeat.service';

export interface QueueFigures {
  liveWorkers: number;
  workers: string[];
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** How long a read of the figures for /metrics or the admin hub may take. */
export const QUEUE_FIGURES_TIMEOUT_MS = 1_000;

/** Live workers and backlog per queue, as health reports them. */
@Injectable()
export class QueueStatus {
  private reading: Promise<Record<string, QueueFigures>> | undefined;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly redis: RedisService,
    private readonly heartbeat: WorkerHeartbeat,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async figures(): Promise<Record<string, QueueFigures>> {
    const entries = await Promise.all(
      QUEUE_NAMES.map(async (name) => [name, await this.figuresOf(name, this.queue(name))]),
    );
    return Object.fromEntries(entries) as Record<string, QueueFigures>;
  }

  /**
   * figures(), bounded by ms and single-flight: callers at the same time (the
   * gauges of one scrape) share one read, and a Redis that hangs holds one read
   * at most. QueueUnavailableError when Redis is away or too slow.
   */
  async figuresWithin(ms = QUEUE_FIGURES_TIMEOUT_MS): Promise<Record<string, QueueFigures>> {
    this.reading ??= this.figures().finally(() => {
      this.reading = undefined;
    });
    try {
      return await withTimeout(this.reading, ms, 'Redis (queue figures)');
    } catch (e) {
      throw new QueueUnavailableError(e);
    }
  }

  /**
   * For start-up reporting: waits (at most ms) for the connections opened at
   * start, then makes sure this process's own heartbeat is written.
   */
  async settle(ms: number): Promise<void> {
    await Promise.allSettled([
      whenReady(this.redis.client, ms, 'Redis'),
      ...QUEUE_NAMES.map((name) => whenReady(this.queue(name).client, ms, `queue ${name}`)),
    ]);
    await this.heartbeat.beat();
  }

  /** Workers whose heartbeat for queue has not expired; forgets the others. */
  async liveWorkers(queue: string): Promise<WorkerBeat[]> {
    this.requireRedis();
    const keys = workerKeys(this.cfg.redis.keyPrefix, queue);
    const ids = await this.redis.client.smembers(keys.members);
    if (ids.length === 0) return [];
    const beats = await this.redis.client.mget(ids.map((id) => keys.beat(id)));
    const dead = ids.filter((_, i) => beats[i] === null);
    if (dead.length > 0) await this.redis.client.srem(keys.members, ...dead);
    return beats.filter((b): b is string => b !== null).map((b) => JSON.parse(b) as WorkerBeat);
  }

  private async figuresOf(name: string, queue: Queue): Promise<QueueFigures> {
    // Bull's connection waits for Redis instead of failing: never send it a command offline.
    if (queue.client.status !== 'ready') throw new Error(`queue ${name}: Redis is not connected`);
    const [workers, counts] = await Promise.all([this.liveWorkers(name), queue.getJobCounts()]);
    return {
      liveWorkers: workers.length,
      workers: workers.map((w) => `${w.host}:${w.pid}`),
      waiting: counts.waiting,
      active: counts.active,
      delayed: counts.delayed,
      failed: counts.failed,
    };
  }

  /** Looked up when needed: the queues may be built after this service. */
  private queue(name: string): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  private requireRedis(): void {
    if (!this.redis.isReady) throw new Error('Redis is not connected');
  }
}
