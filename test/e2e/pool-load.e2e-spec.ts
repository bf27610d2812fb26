import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { PoolMonitor } from '../../src/core/database/pool-monitor.service';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';
import type { LoadResult } from '../support/load';
import {
  BackendSampler,
  burst,
  get,
  listen,
  tally,
  terminateBackends,
  waves,
} from '../support/load';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-db';
import { createTestDatabase } from '../support/test-db';

/**
 * The pool under load, over real HTTP. Counts are bounded; nothing is timed
 * except a generous "everything settled" deadline, so a hang fails the test
 * instead of stalling the run.
 */
jest.setTimeout(120_000);

const GRID = '/api/documents?limit=20&count=exact';
/** One loader per request: a stuck connection then holds up exactly one request. */
const ONE_LOADER_GRID = '/api/documents?limit=20';
const SETTLE_DEADLINE_MS = 45_000;
const report = (what: string, figures: unknown) => {
  if (process.env.POOL_LOAD_REPORT) process.stdout.write(`${what}: ${JSON.stringify(figures)}\n`);
};

async function retry<T>(fn: () => Promise<T>, attempts = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts) throw e;
    }
  }
}

function settleBy<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

describe('connection pool under load', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.url);
  });
  afterAll(async () => db.drop());

  /**
   * An app on the shared seeded database with a distinct application_name,
   * listening, its permission cache warm and its pool filled (with a tiny acquire
   * timeout a new connection may not be made in time: the warm-up just retries).
   */
  async function start(env: Record<string, string>) {
    const name = `prl-${randomBytes(4).toString('hex')}`;
    // Behind PgBouncer the first login to a database waits for a server connection: make one.
    await sql(db.pooledUrl, 'SELECT 1');
    const t = await startTestApp({ DB_APPLICATION_NAME: name, ...env }, db);
    const base = await listen(t.app);
    const monitor = t.app.get(PoolMonitor);
    const admin = await retry(() => login(t.server, ADMIN.email, ADMIN.password));
    const clerk = await retry(() => login(t.server, 'clerk@acme.example'));
    const users = [admin, clerk];
    for (let i = 0; i < 50; i++) {
      const warm = await burst(8, (j) => get(base + GRID, users[j % 2]));
      if (warm.every((w) => w.status === 200) && monitor.pool().total === monitor.pool().max) break;
    }
    expect(monitor.pool().total).toBe(monitor.pool().max);
    return { t, name, base, users, monitor };
  }

  it('serves 300 concurrent grid requests on a pool of 4 with no errors, never above 4 backends', async () => {
    const { t, name, base, users, monitor } = await start({
      DB_POOL_MAX: '4',
      DB_POOL_ACQUIRE_TIMEOUT_MS: '30000',
    });
    const sampler = new BackendSampler(db.url, name, db.viaPgbouncer, () => monitor.pool().total);
    try {
      await sampler.start();
      const results = await settleBy(
        burst(300, (i) => get(base + GRID, users[i % 2])),
        SETTLE_DEADLINE_MS,
        '300 requests',
      );
      await sampler.stop();
      const r = await monitor.report();
      report('pool of 4, generous timeout', {
        statuses: tally(results, (x) => x.status),
        backendPeak: sampler.peak,
        appPoolPeak: sampler.localPeak,
        samples: sampler.samples,
        acquireWaitMs: r.acquire.waitMs,
        acquisitions: r.acquire.count,
      });
      expect(tally(results, (x) => x.status)).toEqual({ 200: 300 });
      expect(sampler.samples).toBeGreaterThan(1);
      expect(sampler.peak).toBeLessThanOrEqual(4);
      expect(sampler.localPeak).toBeLessThanOrEqual(4);
      expect(r.pool.max).toBe(4);
      expect(r.acquire.timeouts).toBe(0);
      expect(r.acquire.count).toBeGreaterThanOrEqual(600); // rows and total per request
    } finally {
      await t.close();
    }
  });

  it('answers the overflow 503 + Retry-After + DB_POOL_EXHAUSTED with a tiny acquire timeout, and nothing hangs', async () => {
    const { t, base, users, monitor } = await start({
      DB_POOL_MAX: '4',
      // A tenth of the default; it also bounds making a connection (through PgBouncer
      // included), which a busy two-core CI machine must manage at start-up.
      DB_POOL_ACQUIRE_TIMEOUT_MS: '500',
      // The pool's own bound under test: no admission queue in front of it.
      HTTP_MAX_IN_FLIGHT: '0',
    });
    // Slow queries hold every pooled connection: a lock on documents stalls the
    // first four grid queries, so the pool is full and everything else overflows.
    const locker = new Client({ connectionString: db.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE documents IN ACCESS EXCLUSIVE MODE');
      let rejectedWhileLocked = 0;
      let unlocked = false;
      const unlock = async () => {
        if (unlocked) return;
        unlocked = true;
        await locker.query('COMMIT');
      };
      const results = await settleBy(
        burst(300, async (i) => {
          const r = await get(base + ONE_LOADER_GRID, users[i % 2]);
          if (r.status !== 200 && !unlocked && ++rejectedWhileLocked >= 250) await unlock();
          return r;
        }),
        SETTLE_DEADLINE_MS,
        '300 requests',
      ).finally(unlock);
      const r = await monitor.report();
      const statuses = tally(results, (x) => x.status);
      report('pool of 4 held by slow queries, 500 ms timeout', {
        statuses,
        rejectedWhileLocked,
        timeouts: r.acquire.timeouts,
      });
      // 250 answers came while every connection was still stuck: they did not wait for it.
      expect(rejectedWhileLocked).toBeGreaterThanOrEqual(250);
      expect(Object.keys(statuses).sort()).toEqual(['200', '503']);
      for (const x of results.filter((y) => y.status !== 200))
        expect(x).toEqual<LoadResult>({ status: 503, retryAfter: '1', code: 'DB_POOL_EXHAUSTED' });
      expect(r.acquire.timeouts).toBeGreaterThanOrEqual(statuses[503]);
      // Afterwards the pool is whole again: nothing leaked, nobody left waiting.
      expect(monitor.pool()).toMatchObject({ inUse: 0, waiting: 0 });
      expect((await get(base + GRID, users[0])).status).toBe(200);
    } finally {
      await locker.end();
      await t.close();
    }
  });

  it('recovers when every app connection is terminated mid-load and again while idle', async () => {
    const { t, name, base, users, monitor } = await start({
      DB_POOL_MAX: '4',
      DB_POOL_ACQUIRE_TIMEOUT_MS: '10000',
    });
    try {
      let terminatedMidLoad = -1;
      const during = await settleBy(
        waves(
          200,
          16,
          (i) => get(base + GRID, users[i % 2]),
          async (done) => {
            if (done === 60) terminatedMidLoad = await terminateBackends(db.url, name);
          },
        ),
        SETTLE_DEADLINE_MS,
        'load with terminations',
      );
      expect(terminatedMidLoad).toBeGreaterThan(0);
      // Requests caught by the termination may answer 503 (retry); never 500, never a hang.
      for (const x of during.filter((d) => d.status !== 200))
        expect(x).toMatchObject({ status: 503, code: 'DB_UNAVAILABLE', retryAfter: '5' });

      const after = await burst(20, (i) => get(base + GRID, users[i % 2]));
      expect(tally(after, (x) => x.status)).toEqual({ 200: 20 });

      // Every connection dead while idle in the pool: the next requests still succeed.
      expect(await terminateBackends(db.url, name)).toBeGreaterThan(0);
      const afterIdle = await waves(20, 2, (i) => get(base + GRID, users[i % 2]));
      expect(tally(afterIdle, (x) => x.status)).toEqual({ 200: 20 });
      const r = await monitor.report();
      report('terminate mid-load', {
        terminatedMidLoad,
        during: tally(during, (x) => x.status),
        connections: r.connections,
      });
      if (!db.viaPgbouncer) expect(r.connections.dropped).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });

  it('keeps three processes sharing a budget within DB_MAX_CONNECTIONS − DB_RESERVED_CONNECTIONS', async () => {
    const budget = {
      DB_MAX_CONNECTIONS: '14',
      DB_RESERVED_CONNECTIONS: '2',
      DB_POOL_PROCESSES: '3',
    };
    const prefix = `pr3-${randomBytes(3).toString('hex')}`;
    // One after the other: nestjs-cls keeps a process-wide hooks singleton that an
    // application still initializing would hand, half-made, to another's requests.
    const apps: {
      base: string;
      auth: { Authorization: string };
      t: TestApp;
      monitor: PoolMonitor;
    }[] = [];
    try {
      for (const n of [1, 2, 3]) {
        const t = await startTestApp(
          {
            ...budget,
            DB_APPLICATION_NAME: `${prefix}-p${n}`,
            DB_POOL_ACQUIRE_TIMEOUT_MS: '30000',
          },
          db,
        );
        apps.push({
          t,
          base: await listen(t.app),
          auth: { Authorization: '' },
          monitor: t.app.get(PoolMonitor),
        });
      }
      for (const a of apps) a.auth = await login(a.t.server, ADMIN.email, ADMIN.password);
    } catch (e) {
      await Promise.all(apps.map((a) => a.t.close()));
      throw e;
    }
    const sampler = new BackendSampler(db.url, prefix, db.viaPgbouncer, () =>
      apps.reduce((n, a) => n + a.monitor.pool().total, 0),
    );
    try {
      await sampler.start();
      const results = await settleBy(
        burst(360, (i) => {
          const a = apps[i % 3];
          return get(a.base + GRID, a.auth);
        }),
        SETTLE_DEADLINE_MS,
        '360 requests over three processes',
      );
      await sampler.stop();
      report('three processes, budget 14 − 2 over 3', {
        statuses: tally(results, (x) => x.status),
        backendPeak: sampler.peak,
        appPoolsPeak: sampler.localPeak,
        perProcessPeak: Object.fromEntries(sampler.peakByName),
        samples: sampler.samples,
      });
      expect(tally(results, (x) => x.status)).toEqual({ 200: 360 });
      for (const a of apps) expect(a.monitor.pool().max).toBe(4);
      expect(sampler.samples).toBeGreaterThan(1);
      expect(sampler.peak).toBeLessThanOrEqual(14 - 2);
      expect(sampler.localPeak).toBeLessThanOrEqual(14 - 2);
      for (const peak of sampler.peakByName.values()) expect(peak).toBeLessThanOrEqual(4);
    } finally {
      await Promise.all(apps.map((a) => a.t.close()));
    }
  });
});
