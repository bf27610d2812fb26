import type { PoolClient } from 'pg';
import { Db } from '../../src/core/database/db.service';
import { ADMIN, login, seedDemo } from '../support/fixtures';
import { get, listen } from '../support/load';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-db';

/** The value of one unlabelled Prometheus sample, undefined when absent. */
function sample(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

describe('admission: the in-flight cap of an api process', () => {
  describe('with HTTP_MAX_IN_FLIGHT=1 and a short queue timeout', () => {
    let t: TestApp;
    let base: string;
    let admin: Record<string, string>;
    beforeAll(async () => {
      t = await startTestApp({
        DB_POOL_MAX: '2',
        DB_POOL_ACQUIRE_TIMEOUT_MS: '20000',
        HTTP_MAX_IN_FLIGHT: '1',
        HTTP_QUEUE_TIMEOUT_MS: '300',
      });
      await seedDemo(t.db.url);
      base = await listen(t.app);
      admin = await login(t.server, ADMIN.email, ADMIN.password);
    });
    afterAll(async () => t.close());

    it('sheds what waits too long with 503 SERVER_BUSY, still answers probes, and then serves again', async () => {
      const db = t.app.get(Db);
      // Every pooled connection held: the one admitted request waits for the pool.
      const held: PoolClient[] = [await db.acquire(), await db.acquire()];
      let admitted: Promise<Awaited<ReturnType<typeof get>>> | undefined;
      try {
        admitted = get(`${base}/api/documents?limit=5`, admin);
        await waitFor(async () => (await metrics()).inFlight === 1);

        const shed = await get(`${base}/api/documents?limit=5`, admin);
        expect(shed).toEqual({ status: 503, retryAfter: '1', code: 'SERVER_BUSY' });
        expect((await fetch(`${base}/health/live`)).status).toBe(200);
        // The scrape itself never waits for the saturated pool: no server figures this time.
        expect(await metrics()).toEqual({ max: 1, inFlight: 1, queued: 0, shed: 1, serverUp: 0 });
      } finally {
        for (const c of held) db.release(c);
      }
      expect((await admitted)?.status).toBe(200);
      expect((await get(`${base}/api/documents?limit=5`, admin)).status).toBe(200);
      await waitFor(async () => (await metrics()).inFlight === 0);
      // Read again once the cached answer (at most 2 s old) expires.
      await waitFor(async () => (await metrics()).serverUp === 1);
    });

    async function metrics() {
      const text = await (await fetch(`${base}/metrics`)).text();
      return {
        max: sample(text, 'postroom_http_max_in_flight'),
        inFlight: sample(text, 'postroom_http_in_flight'),
        queued: sample(text, 'postroom_http_queued'),
        shed: sample(text, 'postroom_http_shed_requests_total'),
        serverUp: sample(text, 'postroom_db_server_up'),
      };
    }
  });

  it('defaults to four requests per pooled connection, and HTTP_MAX_IN_FLIGHT=0 turns it off', async () => {
    const db = await createTestDatabase();
    try {
      for (const [env, expected] of [
        [{}, 12],
        [{ HTTP_MAX_IN_FLIGHT: '0' }, undefined],
      ] as const) {
        const t = await startTestApp({ DB_POOL_MAX: '3', ...env }, db);
        try {
          const text = await fetch(`${await listen(t.app)}/metrics`).then((r) => r.text());
          expect(sample(text, 'postroom_db_pool_max')).toBe(3);
          expect(sample(text, 'postroom_http_max_in_flight')).toBe(expected);
        } finally {
          await t.close();
        }
      }
    } finally {
      await db.drop();
    }
  });
});

async function waitFor(ok: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
