import { Inject, Injectable } from '@nestjs/common';
import { RedisService } from '../cache/redis.service';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';

/**
 * One step: within the limit, count the attempt in; a new key (or one left
 * without expiry) starts the window. Refused attempts are not counted, so a
 * given-back attempt always frees a place. Returns { allowed 1|0, seconds left }.
 */
const RESERVE = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
local allowed = 0
if n < tonumber(ARGV[2]) then
  redis.call('INCR', KEYS[1])
  allowed = 1
end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {allowed, ttl}`;

/** Gives one reserved attempt back, never below zero and never on a key that has expired. */
const GIVE_BACK = `
local n = tonumber(redis.call('GET', KEYS[1]))
if n ~= nil and n > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

/** Local counts kept at most while Redis is away; expired ones are dropped first. */
const LOCAL_MAX_KEYS = 100_000;

/** An attempt counted in before the password is checked. */
export interface LoginAttempt {
  /** Within the limit: the password may be checked. */
  allowed: boolean;
  /** Refused: seconds until the window ends (at least 1). */
  retryAfterSeconds: number;
  /** Where it was counted, so that giving it back goes to the same count. */
  store: 'redis' | 'local';
  key: string;
}

/**
 * Counts sign-in attempts per email and client address in a fixed window (Redis,
 * so every replica sees the same count; a process-local map while Redis is down
 * or failing). An attempt is counted *before* its password is checked, in one
 * atomic step, so parallel attempts can never get more than LOGIN_MAX_FAILURES
 * password checks within a window; a failed attempt simply stays counted, a
 * successful sign-in clears the count.
 *
 * No per-email count across addresses: anyone could then lock any user out by
 * guessing wrong from anywhere; many addresses are bounded by the login lane instead.
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

  /**
   * Counts one attempt in; `allowed` false once the window's limit is reached.
   * The attempt is always counted in this process too: a Redis call that fails
   * or times out half-way (it may have counted, or not) then falls back on a
   * count that already holds this process's attempts, so a slow Redis never
   * lets one process check more than the limit.
   */
  async reserve(email: string, ip: string): Promise<LoginAttempt> {
    const key = this.key(email, ip);
    const { loginMaxFailures: max, loginWindowSeconds: window } = this.cfg.auth;
    const local = this.reserveLocally(key, max, window);
    if (this.redis.isReady) {
      try {
        const [allowed, ttl] = (await this.redis.client.eval(
          RESERVE,
          1,
          key,
          String(window),
          String(max),
        )) as [number, number];
        return {
          // Every replica's attempts (Redis), and never more than the limit here.
          allowed: allowed === 1 && local.allowed,
          retryAfterSeconds: Math.max(Number(ttl), local.retryAfterSeconds, 1),
          store: 'redis',
          key,
        };
      } catch {
        // counted locally already
      }
    }
    return local;
  }

  /**
   * Synchronous from check to increment: nothing else runs in between, so this
   * is as atomic as the Redis script.
   */
  private reserveLocally(key: string, max: number, window: number): LoginAttempt {
    const now = Date.now();
    let entry = this.local.get(key);
    if (!entry || entry.until <= now) {
      if (!entry) this.makeRoom(now);
      entry = { n: 0, until: now + window * 1000 };
      this.local.set(key, entry);
    }
    const allowed = entry.n < max;
    if (allowed) entry.n++;
    return {
      allowed,
      retryAfterSeconds: Math.max(Math.ceil((entry.until - now) / 1000), 1),
      store: 'local',
      key,
    };
  }

  /** A flood of unknown emails while Redis is away must not grow the map without bound. */
  private makeRoom(now: number): void {
    if (this.local.size < LOCAL_MAX_KEYS) return;
    for (const [k, v] of this.local) if (v.until <= now) this.local.delete(k);
    // Still full: the oldest go first (a Map keeps insertion order).
    for (const k of this.local.keys()) {
      if (this.local.size < LOCAL_MAX_KEYS) break;
      this.local.delete(k);
    }
  }

  /** An attempt that never got to its password check (an error on the way) is not counted. */
  async giveBack(attempt: LoginAttempt): Promise<void> {
    if (!attempt.allowed) return;
    const entry = this.local.get(attempt.key);
    if (entry && entry.n > 0 && entry.until > Date.now()) entry.n--;
    if (attempt.store === 'redis' && this.redis.isReady) {
      await this.redis.client.eval(GIVE_BACK, 1, attempt.key).catch(() => undefined);
    }
  }

  /** The right password: the count starts again. */
  async succeed(email: string, ip: string): Promise<void> {
    const key = this.key(email, ip);
    this.local.delete(key);
    if (this.redis.isReady) await this.redis.client.del(key).catch(() => undefined);
  }
}
