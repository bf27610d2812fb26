import request from 'supertest';
import { RedisService } from '../../src/core/cache/redis.service';
import { listenPort } from '../../src/create-app';
import { waitForBatch } from '../support/batches';
import { ADMIN, login, seedDemo } from '../support/fixtures';
import { dropRedisKeys, eventually, OwnRedis } from '../support/redis-server';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

const BATCHES = 'queue="batches"';

/** The value of one sample in a Prometheus exposition, undefined when absent. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function scrape(t: TestApp): Promise<string> {
  // A scrape must answer promptly whatever Redis does: a hang fails the request.
  return (await request(t.server).get('/metrics').timeout(10_000).expect(200)).text;
}

/** Scrapes until check holds (figures written by background work land a little later). */
async function scrapeUntil(t: TestApp, check: (text: string) => boolean, what: string) {
  let text = '';
  for (let i = 0; i < 200; i++) {
    text = await scrape(t);
    if (check(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`still not true: ${what}\n${text}`);
}

describe('queue figures: an api process and a worker on the same queue', () => {
  let api: TestApp;
  let worker: TestApp | undefined;
  let admin: { Authorization: string };
  let clerk: { Authorization: string };
  let batchId: number;

  beforeAll(async () => {
    api = await startTestApp({ APP_ROLE: 'api' });
    await seedDemo(api.db.url);
    admin = await login(api.server, 'admin@acme.example');
    clerk = await login(api.server, 'clerk@acme.example');
  });
  afterAll(async () => {
    await worker?.close();
    await api.close();
    await dropRedisKeys('redis://127.0.0.1:6379', api.cfg.redis.keyPrefix);
  });

  it('shows a batch waiting and no live worker while only the api runs', async () => {
    const text0 = await scrape(api);
    expect(sample(text0, 'postroom_queue_up', BATCHES)).toBe(1);
    expect(sample(text0, 'postroom_queue_jobs', `${BATCHES},state="waiting"`)).toBe(0);

    const res = await request(api.server)
      .post('/api/batches')
      .set(admin)
      .send({
        name: 'Metrics run',
        source: 'scan',
        items: [{ subject: 'A', sender: 'a@x.example' }],
      })
      .expect(201);
    batchId = (res.body as { id: number }).id;

    const text = await scrape(api);
    expect(sample(text, 'postroom_queue_up', BATCHES)).toBe(1);
    expect(
      sample(text, 'postroom_queue_jobs', `${BATCHES},state="waiting"`),
    ).toBeGreaterThanOrEqual(1);
    for (const state of ['active', 'delayed', 'failed'])
      expect(sample(text, 'postroom_queue_jobs', `${BATCHES},state="${state}"`)).toBe(0);
    expect(sample(text, 'postroom_queue_live_workers', BATCHES)).toBe(0);
    // The api runs no processor: the counter is declared, without series.
    expect(text).toMatch(/^# TYPE postroom_queue_jobs_processed_total counter$/m);
    expect(text).not.toMatch(/^postroom_queue_jobs_processed_total\{/m);
  });

  it('gives admin-hub users the same figures at /api/admin/queues, nobody else', async () => {
    const res = await request(api.server).get('/api/admin/queues').set(admin).expect(200);
    expect(res.body).toEqual({
      batches: { liveWorkers: 0, workers: [], waiting: 1, active: 0, delayed: 0, failed: 0 },
    });
    const platform = await login(api.server, ADMIN.email, ADMIN.password);
    await request(api.server).get('/api/admin/queues').set(platform).expect(200);
    const denied = await request(api.server).get('/api/admin/queues').set(clerk).expect(403);
    expect(denied.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    await request(api.server).get('/api/admin/queues').expect(401);
  });

  it('shows the worker live, its pool, and the jobs it processed on its health port', async () => {
    worker = await startTestApp(
      { APP_ROLE: 'worker', REDIS_KEY_PREFIX: api.cfg.redis.keyPrefix },
      api.db,
    );
    expect(listenPort(worker.cfg)).toBe(worker.cfg.health.port);
    await waitForBatch(api.db.url, batchId);

    const text = await scrapeUntil(
      worker,
      (s) =>
        (sample(s, 'postroom_queue_jobs_processed_total', `${BATCHES},outcome="completed"`) ?? 0) >=
        1,
      'the worker counts the job it completed',
    );
    expect(sample(text, 'postroom_queue_jobs_processed_total', `${BATCHES},outcome="failed"`)).toBe(
      0,
    );
    expect(sample(text, 'postroom_queue_up', BATCHES)).toBe(1);
    expect(sample(text, 'postroom_queue_live_workers', BATCHES)).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'postroom_queue_jobs', `${BATCHES},state="waiting"`)).toBe(0);
    expect(text).toMatch(/^postroom_db_pool_max \d+$/m);

    // The api sees the worker through its heartbeat, and the queue drained.
    const seen = await scrape(api);
    expect(sample(seen, 'postroom_queue_live_workers', BATCHES)).toBe(1);
    expect(sample(seen, 'postroom_queue_jobs', `${BATCHES},state="waiting"`)).toBe(0);
    expect(seen).not.toMatch(/^postroom_queue_jobs_processed_total\{/m);
  });
});

describe('queue figures while Redis is away', () => {
  let redis: OwnRedis;
  let t: TestApp;
  let redisService: RedisService;
  let admin: { Authorization: string };

  beforeAll(async () => {
    redis = await OwnRedis.start();
    t = await startTestApp({ REDIS_URL: redis.url });
    await seedDemo(t.db.url);
    redisService = t.app.get(RedisService);
    await eventually(() => redisService.isReady, 'the app is connected to its Redis');
    admin = await login(t.server, 'admin@acme.example');
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('reports up 0 without the figures it cannot read while Redis hangs', async () => {
    await scrapeUntil(t, (s) => sample(s, 'postroom_queue_up', BATCHES) === 1, 'queue up');
    const c = redis.client();
    await c.connect();
    try {
      // Every client stalls for 5 s: the scrape may not wait for Redis.
      await c.call('CLIENT', 'PAUSE', '5000', 'ALL');
      const text = await scrape(t);
      expect(sample(text, 'postroom_queue_up', BATCHES)).toBe(0);
      expect(text).not.toMatch(/^postroom_queue_(jobs|live_workers)\{/m);
      expect(text).toMatch(/^postroom_db_pool_max \d+$/m);
    } finally {
      c.disconnect();
    }
    // Back to normal once Redis answers again.
    await scrapeUntil(t, (s) => sample(s, 'postroom_queue_up', BATCHES) === 1, 'queue up again');
  });

  it('still answers /metrics with up 0 when Redis is stopped; the admin route says 503', async () => {
    await redis.stop();
    await eventually(() => !redisService.isReady, 'the app notices Redis is gone');
    const text = await scrape(t);
    expect(sample(text, 'postroom_queue_up', BATCHES)).toBe(0);
    expect(text).not.toMatch(/^postroom_queue_(jobs|live_workers)\{/m);
    expect(text).toMatch(/^postroom_db_pool_max \d+$/m);
    expect(text).toMatch(/^postroom_db_server_up 1$/m);

    const res = await request(t.server).get('/api/admin/queues').set(admin).timeout(10_000);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.body).toMatchObject({ statusCode: 503, code: 'QUEUE_UNAVAILABLE' });
  });
});
