import type { OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { SpanKind } from '@opentelemetry/api';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { Tracing, fail } from '../observability/tracing';
import { RedisService } from './redis.service';

const RAISE = `
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0`;

/**
 * The cross-request cache in Redis. Keys always name everything the value
 * depends on; callers build them with `key()`. Every method swallows Redis
 * failures: a cache that is down means slower answers, never failed ones.
 */
@Injectable()
export class SharedCache implements OnModuleDestroy {
  private readonly logger = new Logger('SharedCache');
  private readonly prefix: string;
  readonly ttlSeconds: number;
  hits = 0;
  misses = 0;
  errors = 0;
  private readonly pendingRaises = new Map<string, { value: number; ttl: number }>();
  private retryTimer: NodeJS.Timeout | undefined;
  private retrying = false;
  /** Present only when tracing is on. */
  private readonly tracing: Tracing | undefined;

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) cfg: AppConfig,
    @Optional() tracing?: Tracing,
  ) {
    this.tracing = tracing?.on ? tracing : undefined;
    this.prefix = `${cfg.redis.keyPrefix}:c:`;
    this.ttlSeconds = cfg.cache.sharedTtlSeconds;
    // After an outage nobody knows which version bumps were missed: drop the
    // version stamps so every entry is re-validated against the database.
    redis.onReconnect(() => void this.deleteByPattern('ver:*'));
  }

  key(...parts: (string | number | null)[]): string {
    return parts.map((p) => (p === null ? '-' : String(p))).join(':');
  }

  get available(): boolean {
    return this.redis.isReady;
  }

  async mget(keys: string[]): Promise<(string | null)[] | undefined> {
    if (!this.redis.isReady) return undefined;
    try {
      return await this.traced('MGET', keys.length, () =>
        this.redis.client.mget(keys.map((k) => this.prefix + k)),
      );
    } catch (e) {
      this.fail(e);
      return undefined;
    }
  }

  async set(
    key: string,
    value: string,
    ttlSeconds = this.ttlSeconds,
    onlyIfAbsent = false,
  ): Promise<void> {
    if (!this.redis.isReady) return;
    try {
      await this.traced('SET', 1, () =>
        onlyIfAbsent
          ? this.redis.client.set(this.prefix + key, value, 'EX', ttlSeconds, 'NX')
          : this.redis.client.set(this.prefix + key, value, 'EX', ttlSeconds),
      );
    } catch (e) {
      this.fail(e);
    }
  }

  /**
   * Sets an integer key to `value` unless it already holds a larger one, in one
   * atomic step: version stamps only ever move forward, whatever order
   * concurrent writers reach Redis in. With `retry`, a raise Redis did not take
   * (down, or a command timed out) is tried again every second until it lands:
   * a version bump must not be lost to a hiccup. True when it landed now.
   */
  async raise(
    key: string,
    value: number,
    options: { retry?: boolean; ttlSeconds?: number } = {},
  ): Promise<boolean> {
    const ttl = options.ttlSeconds ?? this.ttlSeconds;
    if (await this.tryRaise(key, value, ttl)) return true;
    if (options.retry) {
      const pending = this.pendingRaises.get(key);
      if (!pending || pending.value < value) this.pendingRaises.set(key, { value, ttl });
      this.retryTimer ??= setInterval(() => void this.retryRaises(), 1_000).unref();
    }
    return false;
  }

  /** Raises still waiting for Redis (tests and health read it). */
  get pendingRaiseCount(): number {
    return this.pendingRaises.size;
  }

  /** Whether this process knows the key is behind (a raise has not landed yet). */
  isBehind(key: string): boolean {
    return this.pendingRaises.has(key);
  }

  private async tryRaise(key: string, value: number, ttl: number): Promise<boolean> {
    if (!this.redis.isReady) return false;
    try {
      await this.traced('EVAL', 1, () =>
        this.redis.client.eval(RAISE, 1, this.prefix + key, String(value), String(ttl)),
      );
      return true;
    } catch (e) {
      this.fail(e);
      return false;
    }
  }

  private async retryRaises(): Promise<void> {
    if (this.retrying) return;
    this.retrying = true;
    try {
      for (const [key, { value, ttl }] of [...this.pendingRaises]) {
        if (!(await this.tryRaise(key, value, ttl))) break;
        if (this.pendingRaises.get(key)?.value === value) this.pendingRaises.delete(key);
      }
    } finally {
      this.retrying = false;
      if (this.pendingRaises.size === 0 && this.retryTimer) {
        clearInterval(this.retryTimer);
        this.retryTimer = undefined;
      }
    }
  }

  onModuleDestroy(): void {
    if (this.retryTimer) clearInterval(this.retryTimer);
  }

  async del(...keys: string[]): Promise<void> {
    if (!this.redis.isReady || keys.length === 0) return;
    try {
      await this.traced('DEL', keys.length, () =>
        this.redis.client.del(...keys.map((k) => this.prefix + k)),
      );
    } catch (e) {
      this.fail(e);
    }
  }

  async deleteByPattern(pattern: string): Promise<void> {
    if (!this.redis.isReady) return;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.client.scan(
          cursor,
          'MATCH',
          this.prefix + pattern,
          'COUNT',
          500,
        );
        cursor = next;
        if (keys.length > 0) await this.redis.client.del(...keys);
      } while (cursor !== '0');
    } catch (e) {
      this.fail(e);
    }
  }

  /** A Redis call in a CLIENT span under the active one (tracing on and recording); as is otherwise. */
  private traced<T>(operation: string, keys: number, call: () => Promise<T>): Promise<T> {
    const span = this.tracing?.child(
      `cache ${operation}`,
      { 'db.system.name': 'redis', 'db.operation.name': operation, 'postroom.cache.keys': keys },
      undefined,
      SpanKind.CLIENT,
    );
    if (!span) return call();
    return call().then(
      (v) => {
        span.end();
        return v;
      },
      (e: unknown) => {
        fail(span, e);
        span.end();
        throw e;
      },
    );
  }

  private fail(e: unknown): void {
    this.errors++;
    this.logger.debug(`cache operation failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
