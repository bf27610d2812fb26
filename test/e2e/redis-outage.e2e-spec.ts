import { Logger } from '@nestjs/common';
import request from 'supertest';
import { RedisService } from '../../src/core/cache/redis.service';
import { SharedCache } from '../../src/core/cache/shared-cache.service';
import { login, seedDemo, sql } from '../support/fixtures';
import { eventually, OwnRedis } from '../support/redis-server';
import { StatementCounter } from '../support/statements';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { visibleDocumentIds } from '../support/visibility';

type Auth = { Authorization: string };

describe('Redis stopped and started again', () => {
  let redis: OwnRedis;
  let t: TestApp;
  let counter: StatementCounter;
  let cache: SharedCache;
  let redisService: RedisService;
  let clerk: Auth;
  let finance: Auth;
  let acmeAdmin: Auth;
  let seq = 0;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    t = await startTestApp({ REDIS_URL: redis.url });
    await seedDemo(t.db.url);
    counter = new StatementCounter(t);
    cache = t.app.get(SharedCache);
    redisService = t.app.get(RedisService);
    await eventually(() => redisService.isReady, 'the app is connected to its Redis');
    clerk = await login(t.server, 'clerk@acme.example');
    finance = await login(t.server, 'finance@acme.example');
    acmeAdmin = await login(t.server, 'admin@acme.example');
  });
  afterAll(async () => {
    counter.close();
    await t.close();
    await redis.stop();
  });

  /** The documents a user's grid shows, checked against the independent expectation; its statements. */
  async function documents(auth: Auth, email: string): Promise<number> {
    const id = `outage-${++seq}`;
    const res = await request(t.server)
      .get('/api/documents?limit=500&sort=id')
      .set(auth)
      .set('x-request-id', id)
      .expect(200);
    expect((res.body.data as { id: number }[]).map((d) => d.id)).toEqual(
      await visibleDocumentIds(t.db.url, email),
    );
    return counter.of(id);
  }

  async function financeRole(): Promise<{ id: number; version: number }> {
    const [r] = await sql<{ id: number }>(
      t.db.url,
      "SELECT id FROM roles WHERE name = 'Finance readers' AND organization_id = (SELECT id FROM organizations WHERE slug = 'acme')",
    );
    const res = await request(t.server).get(`/api/roles/${r.id}`).set(acmeAdmin).expect(200);
    return res.body as { id: number; version: number };
  }

  async function setFinanceFolders(names: string[]): Promise<void> {
    const role = await financeRole();
    const folders = await sql<{ id: number }>(
      t.db.url,
      "SELECT id FROM folders WHERE name = ANY($1) AND organization_id = (SELECT id FROM organizations WHERE slug = 'acme')",
      [names],
    );
    await request(t.server)
      .put(`/api/roles/${role.id}/grants`)
      .set(acmeAdmin)
      .send({
        version: role.version,
        folderGrants: folders.map((f) => ({ folderId: f.id, actions: ['view'] })),
      })
      .expect(200);
  }

  it('uses the shared cache while Redis is up', async () => {
    await documents(clerk, 'clerk@acme.example');
    const hits = cache.hits;
    expect(await documents(clerk, 'clerk@acme.example')).toBe(1);
    expect(cache.hits).toBe(hits + 1);
  });

  it('answers correctly from the database while Redis is down, without hanging or log spam', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    await redis.stop();
    await eventually(() => !redisService.isReady, 'the app notices Redis is gone');
    const hits = cache.hits;

    // A burst of mixed requests: every one answered, correctly, each evaluating from the database.
    const burst = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 2 ? documents(clerk, 'clerk@acme.example') : documents(finance, 'finance@acme.example'),
      ),
    );
    expect(burst).toEqual(Array(24).fill(2));
    expect(cache.hits).toBe(hits);
    await request(t.server).get('/api/me').set(finance).expect(200);
    await login(t.server, 'clerk@globex.example'); // sign-in throttling falls back to memory

    // A grant change while Redis is down holds on the next request; its publication waits.
    await setFinanceFolders(['Finance', 'Legal']);
    expect(cache.pendingRaiseCount).toBeGreaterThan(0);
    await documents(finance, 'finance@acme.example');

    const redisWarnings = warn.mock.contexts.filter(
      (c) => (c as Logger | undefined)?.['context'] === 'Redis',
    );
    expect(redisWarnings).toHaveLength(1); // said once, not once per request
    warn.mockRestore();
  });

  it('uses the cache again once Redis is back, with the changes made meanwhile', async () => {
    await redis.restart();
    await eventually(() => redisService.isReady, 'the app reconnects by itself');
    await eventually(() => cache.pendingRaiseCount === 0, 'the waiting publication lands');
    const hits = cache.hits;
    expect(await documents(finance, 'finance@acme.example')).toBe(2); // evaluated, stored
    expect(await documents(finance, 'finance@acme.example')).toBe(1); // from the cache
    expect(await documents(clerk, 'clerk@acme.example')).toBeLessThanOrEqual(2);
    expect(await documents(clerk, 'clerk@acme.example')).toBe(1);
    expect(cache.hits).toBeGreaterThanOrEqual(hits + 2);
  });

  it('keeps a grant change made during a Redis hiccup (writes stalled) visible', async () => {
    await documents(finance, 'finance@acme.example'); // warm: the entry sits in Redis
    await request(t.server).get('/api/me').set(acmeAdmin).expect(200); // the admin's too
    const admin = redis.client();
    await admin.connect();
    try {
      // Writes stall for 3 s: the publication times out, the stale entry stays readable.
      await admin.call('CLIENT', 'PAUSE', '3000', 'WRITE');
      await setFinanceFolders(['Finance']);
      expect(cache.pendingRaiseCount).toBe(1);
      // This process knows the cache is behind and does not use it…
      await documents(finance, 'finance@acme.example');
      // …and once writes flow again the publication lands and the cache serves the new grants.
      await eventually(() => cache.pendingRaiseCount === 0, 'the publication is retried', 400);
      await documents(finance, 'finance@acme.example');
      expect(await documents(finance, 'finance@acme.example')).toBe(1);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => undefined);
      admin.disconnect();
    }
  });

  it('does not serve its own stale entries while a publication is waiting to be retried', async () => {
    await setFinanceFolders(['Finance']);
    await documents(finance, 'finance@acme.example');
    expect(await documents(finance, 'finance@acme.example')).toBe(1); // warm
    await request(t.server).get('/api/me').set(acmeAdmin).expect(200); // the admin's too
    // Redis takes reads but the publication of the next change fails once.
    const evalSpy = jest
      .spyOn(redisService.client, 'eval')
      .mockRejectedValueOnce(new Error('Command timed out'));
    await setFinanceFolders(['Finance', 'Legal']);
    expect(cache.pendingRaiseCount).toBe(1);
    // The stale entry is still readable in Redis, but this process knows it is behind.
    expect(await documents(finance, 'finance@acme.example')).toBe(2);
    evalSpy.mockRestore();
    await eventually(() => cache.pendingRaiseCount === 0, 'the publication is retried');
    await documents(finance, 'finance@acme.example');
    expect(await documents(finance, 'finance@acme.example')).toBe(1);
  });
});
