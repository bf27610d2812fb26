import { randomBytes } from 'node:crypto';
import { RedisService } from '../../src/core/cache/redis.service';
import { loadConfig } from '../../src/core/config/config.schema';
import { LoginThrottle } from '../../src/core/auth/login-throttle.service';
import { dropRedisKeys, eventually } from '../support/redis-server';

describe('LoginThrottle on Redis: one atomic step per attempt', () => {
  const cfg = loadConfig({
    NODE_ENV: 'test',
    REDIS_KEY_PREFIX: `test-${randomBytes(4).toString('hex')}`,
    LOGIN_MAX_FAILURES: '5',
    LOGIN_WINDOW_SECONDS: '120',
  });
  const key = (email: string, ip: string) => `${cfg.redis.keyPrefix}:login-fail:${email}:${ip}`;
  let redis: RedisService;
  let throttle: LoginThrottle;

  beforeAll(async () => {
    redis = new RedisService(cfg);
    await eventually(() => redis.isReady, 'Redis ready');
    throttle = new LoginThrottle(redis, cfg);
  });
  afterAll(async () => {
    await dropRedisKeys(cfg.redis.url, cfg.redis.keyPrefix);
    await redis.onModuleDestroy();
  });

  it('lets exactly LOGIN_MAX_FAILURES of 200 parallel attempts through, in the window', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 200 }, () => throttle.reserve('p@x.example', '10.0.0.1')),
    );
    expect(attempts.every((a) => a.store === 'redis')).toBe(true);
    expect(attempts.filter((a) => a.allowed)).toHaveLength(5);
    const refused = attempts.filter((a) => !a.allowed);
    expect(refused).toHaveLength(195);
    expect(refused.every((a) => a.retryAfterSeconds >= 1 && a.retryAfterSeconds <= 120)).toBe(true);
    // Refused attempts are not counted; the window started with the first one.
    expect(await redis.client.get(key('p@x.example', '10.0.0.1'))).toBe('5');
    const ttl = await redis.client.ttl(key('p@x.example', '10.0.0.1'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(120);
  });

  it('gives back exactly one place, never below zero, and never makes a key of its own', async () => {
    const first = await throttle.reserve('g@x.example', 'ip');
    expect(first.allowed).toBe(true);
    await throttle.giveBack(first);
    await throttle.giveBack(first);
    expect(await redis.client.get(key('g@x.example', 'ip'))).toBe('0');
    await throttle.giveBack({ ...first, key: key('nobody@x.example', 'ip') });
    expect(await redis.client.exists(key('nobody@x.example', 'ip'))).toBe(0);

    const five = await Promise.all(
      Array.from({ length: 5 }, () => throttle.reserve('g@x.example', 'ip')),
    );
    expect(five.every((a) => a.allowed)).toBe(true);
    expect((await throttle.reserve('g@x.example', 'ip')).allowed).toBe(false);
    await throttle.giveBack(five[2]);
    expect((await throttle.reserve('g@x.example', 'ip')).allowed).toBe(true);
    expect((await throttle.reserve('g@x.example', 'ip')).allowed).toBe(false);
    await throttle.succeed('g@x.example', 'ip');
    expect(await redis.client.exists(key('g@x.example', 'ip'))).toBe(0);
    expect((await throttle.reserve('g@x.example', 'ip')).allowed).toBe(true);
  });

  it('puts a window on a count left without one', async () => {
    await redis.client.set(key('stuck@x.example', 'ip'), '5');
    const attempt = await throttle.reserve('stuck@x.example', 'ip');
    expect(attempt).toMatchObject({ allowed: false, retryAfterSeconds: 120, store: 'redis' });
    expect(await redis.client.ttl(key('stuck@x.example', 'ip'))).toBeGreaterThan(0);
  });
});
