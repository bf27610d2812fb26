import type { RedisService } from '../cache/redis.service';
import { loadConfig } from '../config/config.schema';
import { LoginThrottle } from './login-throttle.service';

const cfg = loadConfig({ LOGIN_MAX_FAILURES: '5', LOGIN_WINDOW_SECONDS: '60' });

/** Redis as the throttle sees it: away, or connected yet failing every command. */
function redis(state: 'away' | 'failing'): RedisService & { calls: number } {
  const fake = {
    calls: 0,
    isReady: state === 'failing',
    client: {
      eval: () => {
        fake.calls++;
        return Promise.reject(new Error('Command timed out'));
      },
      del: () => Promise.reject(new Error('Command timed out')),
    },
  };
  return fake as unknown as RedisService & { calls: number };
}

describe('LoginThrottle without Redis (the in-process count)', () => {
  afterEach(() => jest.useRealTimers());

  it.each(['away', 'failing'] as const)(
    'lets exactly LOGIN_MAX_FAILURES of 100 parallel attempts through (Redis %s)',
    async (state) => {
      const r = redis(state);
      const throttle = new LoginThrottle(r, cfg);
      const attempts = await Promise.all(
        Array.from({ length: 100 }, () => throttle.reserve('a@x.example', '10.0.0.1')),
      );
      expect(attempts.filter((a) => a.allowed)).toHaveLength(5);
      expect(attempts.every((a) => a.store === 'local')).toBe(true);
      const refused = attempts.filter((a) => !a.allowed);
      expect(refused).toHaveLength(95);
      expect(refused.every((a) => a.retryAfterSeconds >= 1 && a.retryAfterSeconds <= 60)).toBe(
        true,
      );
      // Failing Redis was asked every time (and fell back), away Redis never.
      expect(r.calls).toBe(state === 'failing' ? 100 : 0);
      // Another address, another email: counts of their own.
      expect((await throttle.reserve('a@x.example', '10.0.0.2')).allowed).toBe(true);
      expect((await throttle.reserve('b@x.example', '10.0.0.1')).allowed).toBe(true);
    },
  );

  it('caps this process at the limit when Redis answers some attempts and times out on others', async () => {
    // Redis counts what it is asked, but every other answer is lost to a timeout:
    // the attempts it answers plus those counted locally would pass the limit.
    let n = 0;
    let call = 0;
    const flaky = {
      isReady: true,
      client: {
        eval: () => {
          n++;
          call++;
          return call % 2 === 0
            ? Promise.reject(new Error('Command timed out'))
            : Promise.resolve([n <= 5 ? 1 : 0, 60]);
        },
        del: () => Promise.resolve(1),
      },
    } as unknown as RedisService;
    const throttle = new LoginThrottle(flaky, cfg);
    const attempts = await Promise.all(
      Array.from({ length: 60 }, () => throttle.reserve('a@x.example', 'ip')),
    );
    expect(attempts.filter((a) => a.allowed).length).toBeLessThanOrEqual(5);
  });

  it('gives back an attempt that never reached its password check, and clears on success', async () => {
    const throttle = new LoginThrottle(redis('away'), cfg);
    const first = await Promise.all(
      Array.from({ length: 5 }, () => throttle.reserve('a@x.example', 'ip')),
    );
    expect(first.every((a) => a.allowed)).toBe(true);
    const sixth = await throttle.reserve('a@x.example', 'ip');
    expect(sixth.allowed).toBe(false);
    // A refused attempt has nothing to give back; an allowed one frees exactly one place.
    await throttle.giveBack(sixth);
    expect((await throttle.reserve('a@x.example', 'ip')).allowed).toBe(false);
    await throttle.giveBack(first[0]);
    expect((await throttle.reserve('a@x.example', 'ip')).allowed).toBe(true);
    expect((await throttle.reserve('a@x.example', 'ip')).allowed).toBe(false);

    await throttle.succeed('a@x.example', 'ip');
    const again = await Promise.all(
      Array.from({ length: 6 }, () => throttle.reserve('a@x.example', 'ip')),
    );
    expect(again.map((a) => a.allowed)).toEqual([true, true, true, true, true, false]);
  });

  it('starts a new window once the old one is over', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    const throttle = new LoginThrottle(redis('away'), cfg);
    for (let i = 0; i < 5; i++) await throttle.reserve('a@x.example', 'ip');
    jest.setSystemTime(new Date('2026-01-01T00:00:20Z'));
    const blocked = await throttle.reserve('a@x.example', 'ip');
    expect(blocked).toMatchObject({ allowed: false, retryAfterSeconds: 40 });
    jest.setSystemTime(new Date('2026-01-01T00:01:00Z'));
    expect((await throttle.reserve('a@x.example', 'ip')).allowed).toBe(true);
  });
});
