import type { OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';

/**
 * The shared Redis connection for caching and health. It never queues commands
 * while disconnected and fails them fast, so callers fall back to the database
 * instead of waiting; it reconnects by itself and says so once per state change.
 */
@Injectable()
export class RedisService implements OnModuleDestroy {
  readonly client: Redis;
  private readonly logger = new Logger('Redis');
  private up: boolean | undefined;
  private closing = false;
  private readonly reconnectListeners: (() => void)[] = [];

  constructor(@Inject(APP_CONFIG) cfg: AppConfig) {
    this.client = new Redis(cfg.redis.url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 1_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    this.client.on('ready', () => this.mark(true));
    this.client.on('error', (e: Error) => this.mark(false, e.message));
    this.client.on('end', () => this.mark(false, 'connection closed'));
  }

  get isReady(): boolean {
    return this.client.status === 'ready';
  }

  async ping(): Promise<number> {
    const started = performance.now();
    await this.client.ping();
    return performance.now() - started;
  }

  /** Called each time Redis is back after an outage. */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  private mark(up: boolean, reason?: string): void {
    if (this.up === up || this.closing) return;
    const first = this.up === undefined;
    this.up = up;
    if (up) {
      if (!first) {
        this.logger.log('Redis is reachable again');
        for (const l of this.reconnectListeners) l();
      }
    } else {
      this.logger.warn(
        `Redis is not reachable (${reason ?? 'unknown'}): caching is off and queued work waits until it returns. ` +
          'Start one with `redis-server` (or `docker run -p 6379:6379 redis:7`) or set REDIS_URL.',
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
