import { Inject, Injectable } from '@nestjs/common';
import { RedisService } from '../cache/redis.service';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';

/**
 * Counts failed logins per email and client address in a fixed window (Redis,
 * so every replica sees the same count; a process-local map while Redis is down).
 */
@Injectable()
export class LoginThrottle {
  private readonly local = new Map<string, { n: number; until: number }>();

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  private key(email: string, ip: string): string {
    return `${this.cfg.redis.keyPrefix}:login-fail:${email}:${ip}`;
  }

  /** Seconds to wait when blocked, else 0. */
  async blockedFor(email: string, ip: string): Promise<number> {
    const key = this.key(email, ip);
    if (this.redis.isReady) {
      try {
        const [n, ttl] = await Promise.all([
          this.redis.client.get(key),
          this.redis.client.ttl(key),
        ]);
        return Number(n ?? 0) >= this.cfg.auth.loginMaxFailures ? Math.max(ttl, 1) : 0;
      } catch {
        // fall through to the local count
      }
    }
    const local = this.local.get(key);
    if (!local || local.until < Date.now()) return 0;
    return local.n >= this.cfg.auth.loginMaxFailures
      ? Math.ceil((local.until - Date.now()) / 1000)
      : 0;
  }

  async fail(email: string, ip: string): Promise<void> {
    const key = this.key(email, ip);
    const window = this.cfg.auth.loginWindowSeconds;
    if (this.redis.isReady) {
      try {
        const n = await this.redis.client.incr(key);
        if (n === 1) await this.redis.client.expire(key, window);
        return;
      } catch {
        // fall through
      }
    }
    const now = Date.now();
    const local = this.local.get(key);
    if (!local || local.until < now) this.local.set(key, { n: 1, until: now + window * 1000 });
    else local.n++;
  }

  async succeed(email: string, ip: string): Promise<void> {
    const key = this.key(email, ip);
    this.local.delete(key);
    if (this.redis.isReady) await this.redis.client.del(key).catch(() => undefined);
  }
}
