import { RequestContext } from '../../src/core/context/request-context.service';
import { Concurrency } from '../../src/core/database/concurrency.service';
import { PoolExhaustedError } from '../../src/core/database/database.errors';
import type { Queryable } from '../../src/core/database/db.service';
import { Db } from '../../src/core/database/db.service';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

const pid = async (q: Queryable) =>
  (await q.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0].pid;

interface AppParts {
  t: TestApp;
  concurrency: Concurrency;
  ctx: RequestContext;
  db: Db;
}

/** An app started before the tests of the describe block that calls this, and closed after them. */
function appFor(env: Record<string, string>): AppParts {
  const h = {} as AppParts;
  beforeAll(async () => {
    h.t = await startTestApp(env);
    h.concurrency = h.t.app.get(Concurrency);
    h.ctx = h.t.app.get(RequestContext);
    h.db = h.t.app.get(Db);
  });
  afterAll(async () => h.t.close());
  return h;
}

describe('Concurrency', () => {
  describe('with a pool of 2 and three loaders per request', () => {
    const h = appFor({
      DB_POOL_MAX: '2',
      DB_CONCURRENCY_PER_REQUEST: '3',
      DB_POOL_ACQUIRE_TIMEOUT_MS: '30000',
    });

    it('completes 50 concurrent requests of nested parallel loads without deadlocking itself', async () => {
      let peak = 0;
      const observe = () => (peak = Math.max(peak, h.db.pool.totalCount));
      /** A loader that runs two more loaders; they must reuse its connection. */
      const nested = async (q: Queryable) => {
        observe();
        const own = await pid(q);
        const [a, b] = await h.concurrency.all([pid, (inner: Queryable) => pid(inner)] as const);
        const [c] = await h.concurrency.all([
          async () => (await h.concurrency.all([pid] as const))[0],
        ] as const);
        // db.query inside a loader also stays on the loader's connection.
        const viaDb = (await h.db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0].pid;
        return { own, inner: [a, b, c, viaDb] };
      };
      const requests = Array.from({ length: 50 }, () =>
        h.ctx.run(() => h.concurrency.all([nested, nested, nested] as const)),
      );
      const results = await Promise.all(requests);
      expect(results).toHaveLength(50);
      // Behind PgBouncer (transaction pooling) a backend pid does not identify the client connection.
      if (!h.t.db.viaPgbouncer) {
        for (const loaders of results) {
          for (const r of loaders) expect(r.inner).toEqual([r.own, r.own, r.own, r.own]);
        }
      }
      expect(peak).toBeLessThanOrEqual(2);
      expect(h.db.stats.timeouts).toBe(0);
      expect(h.db.pool.totalCount - h.db.pool.idleCount).toBe(0);
    });

    it('runs the loaders of a request on distinct connections', async () => {
      const [a, b] = await h.ctx.run(() =>
        h.concurrency.all([
          async (q: Queryable) => {
            // Held in a transaction so that the backend pid names the connection behind PgBouncer too.
            await q.query('BEGIN');
            const p = await pid(q);
            await q.query('SELECT pg_sleep(0.1)');
            await q.query('COMMIT');
            return p;
          },
          async (q: Queryable) => {
            await q.query('BEGIN');
            const p = await pid(q);
            await q.query('SELECT pg_sleep(0.1)');
            await q.query('COMMIT');
            return p;
          },
        ] as const),
      );
      expect(a).not.toBe(b);
    });

    it('inside a transaction, loads reuse the transaction and see its uncommitted rows', async () => {
      let seen: { value: string }[] = [];
      const run = h.ctx.run(() =>
        h.db.transaction(async (q) => {
          await q.query(
            "INSERT INTO app_meta (key, value, updated_on) VALUES ('concurrency-test', 'x', now())",
          );
          [seen] = await h.concurrency.all([
            (inner: Queryable) =>
              inner.query<{ value: string }>(
                "SELECT value FROM app_meta WHERE key = 'concurrency-test'",
              ),
          ] as const);
          throw new Error('roll back');
        }),
      );
      await expect(run).rejects.toThrow('roll back');
      expect(seen).toEqual([{ value: 'x' }]);
      expect(await h.db.query("SELECT 1 FROM app_meta WHERE key = 'concurrency-test'")).toEqual([]);
    });

    it('refuses a held connection used after its release, and falls back to the pool', async () => {
      let leaked: Queryable | undefined;
      await h.db.withClient(async (q) => {
        leaked = q;
        await q.query('SELECT 1');
      });
      await expect(leaked!.query('SELECT 1')).rejects.toThrow(/used after its release/);
      await expect(h.db.query<{ one: number }>('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    });
  });

  describe('bounded waits', () => {
    const h = appFor({
      DB_POOL_MAX: '2',
      DB_CONCURRENCY_PER_REQUEST: '2',
      // The acquire timeout also bounds opening a connection: on a loaded machine
      // a very short one fails the app's start-up instead of the waits under test.
      DB_POOL_ACQUIRE_TIMEOUT_MS: '1500',
    });

    it('fails a loader waiting for its own request past the acquire timeout, and counts it', async () => {
      const before = { ...h.db.stats };
      const run = h.ctx.run(() =>
        h.concurrency.all([
          (q: Queryable) => q.query('SELECT pg_sleep(4)'),
          (q: Queryable) => q.query('SELECT pg_sleep(4)'),
          (q: Queryable) => q.query('SELECT 1'),
        ] as const),
      );
      await expect(run).rejects.toBeInstanceOf(PoolExhaustedError);
      expect(h.db.stats.timeouts).toBe(before.timeouts + 1);
      expect(h.db.stats.slotTimeouts).toBe(before.slotTimeouts + 1);
      // The slow sibling was waited for: nothing of the request still holds a connection.
      expect(h.db.pool.totalCount - h.db.pool.idleCount).toBe(0);
    });

    it('fails a wait for the pool past the acquire timeout with PoolExhaustedError, and counts it', async () => {
      const held = [await h.db.acquire(), await h.db.acquire()];
      const before = h.db.stats.timeouts;
      try {
        await expect(h.db.query('SELECT 1')).rejects.toBeInstanceOf(PoolExhaustedError);
        await expect(h.ctx.run(() => h.concurrency.all([pid] as const))).rejects.toBeInstanceOf(
          PoolExhaustedError,
        );
        expect(h.db.stats.timeouts).toBe(before + 2);
      } finally {
        for (const c of held) h.db.release(c);
      }
      await expect(h.db.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
    });
  });

  describe('with DB_CONCURRENCY_PER_REQUEST=1', () => {
    const h = appFor({ DB_POOL_MAX: '4', DB_CONCURRENCY_PER_REQUEST: '1' });

    it("runs a request's loaders one after another on one checked-out connection", async () => {
      const events: string[] = [];
      const loader = (name: string) => async (q: Queryable) => {
        events.push(`${name} start`);
        await q.query('SELECT pg_sleep(0.05)');
        events.push(`${name} end`);
        return name;
      };
      const before = h.db.stats.acquisitions;
      const results = await h.ctx.run(() =>
        h.concurrency.all([loader('a'), loader('b'), loader('c')] as const),
      );
      expect(results).toEqual(['a', 'b', 'c']);
      expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
      expect(h.db.stats.acquisitions - before).toBe(1);
      expect(h.db.pool.totalCount - h.db.pool.idleCount).toBe(0);
    });
  });
});
