import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { RedisService } from '../../src/core/cache/redis.service';
import { BatchProducer } from '../../src/modules/batch-processing/batch.producer';
import {
  batchOutput,
  batchState,
  demoOrg,
  insertBatch,
  letters,
  waitForBatch,
} from '../support/batches';
import type { ChildApp } from '../support/child-app';
import { startChildApp } from '../support/child-app';
import { ADMIN, login, seedDemo } from '../support/fixtures';
import { dropRedisKeys, freePort, OwnRedis } from '../support/redis-server';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-db';
import { createTestDatabase } from '../support/test-db';

jest.setTimeout(240_000);

const TTL_SECONDS = 2;
const QUEUE_ENV = {
  BATCH_CHUNK_SIZE: '500',
  BATCH_SWEEP_INTERVAL_MS: '500',
  WORKER_HEARTBEAT_TTL_SECONDS: String(TTL_SECONDS),
  QUEUE_ENQUEUE_TIMEOUT_MS: '500',
  DB_MAX_CONNECTIONS: '8',
};

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function liveWorkers(t: TestApp): Promise<number | undefined> {
  const res = await request(t.server).get('/health');
  return (res.body.details?.queues?.batches?.liveWorkers as number | undefined) ?? undefined;
}

describe('a worker killed mid-batch', () => {
  let db: TestDatabase;
  let api: TestApp | undefined;
  let worker: ChildApp | undefined;
  let rescuer: TestApp | undefined;
  const prefix = `test-${randomBytes(4).toString('hex')}`;
  const env = { ...QUEUE_ENV, REDIS_KEY_PREFIX: prefix };

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.url);
  });
  afterAll(async () => {
    await worker?.kill();
    await rescuer?.close();
    await api?.close();
    await db.drop();
    await dropRedisKeys('redis://127.0.0.1:6379', prefix);
  });

  it('is noticed by health within the TTL, and another worker finishes its batch exactly', async () => {
    api = await startTestApp({ ...env, APP_ROLE: 'api' }, db);
    worker = await startChildApp({
      ...env,
      APP_ROLE: 'worker',
      HEALTH_PORT: '0',
      DATABASE_URL: db.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    await until(
      'the worker heartbeats',
      async () => ((await liveWorkers(api!)) === 1 ? true : undefined),
      10_000,
    );
    // It said how it found its dependencies, in one line, at start.
    const summary = await until(
      'the start-up health summary',
      async () => worker!.output.join('').match(/health: database up [^\n"]*/)?.[0],
      10_000,
    );
    expect(summary).toMatch(
      /pool \d+\/\d+ · redis up [\d.]+ ms · queues batches \d worker\(s\), 0 waiting · rss/,
    );

    const org = await demoOrg(db.url);
    const id = await insertBatch(db.url, org.id, letters(30_000));
    expect(await api.app.get(BatchProducer).enqueue(id)).toBe(true);
    await waitForBatch(db.url, id, (b) => b.processed_count >= 1_000);
    await worker.kill();

    // Health counts no live worker once the dead one's heartbeat has expired.
    await until(
      'health sees no live worker',
      async () => ((await liveWorkers(api!)) === 0 ? true : undefined),
      TTL_SECONDS * 1000 + 2_000,
    );
    const left = await batchState(db.url, id);
    expect(left.status).toBe('processing');
    expect(left.processed_count).toBeLessThan(30_000);

    rescuer = await startTestApp({ ...env, APP_ROLE: 'worker' }, db);
    const done = await waitForBatch(db.url, id);
    expect(done).toMatchObject({ status: 'completed', processed_count: 30_000, failed_count: 0 });
    expect(await batchOutput(db.url, id)).toEqual({
      items: 30_000,
      done: 30_000,
      failed: 0,
      pending: 0,
      mails: 30_000,
      distinct_mail_keys: 30_000,
      linked_mails: 30_000,
      documents: 15_000,
      linked_documents: 15_000,
      titled_items: 15_000,
    });
    expect(await liveWorkers(api)).toBe(1);
  });
});

describe('Redis stopped while batches are created', () => {
  let redis: OwnRedis;
  let t: TestApp;

  beforeAll(async () => {
    redis = await OwnRedis.start();
    t = await startTestApp({ ...QUEUE_ENV, APP_ROLE: 'all', REDIS_URL: redis.url });
    await seedDemo(t.db.url);
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('keeps serving; the batches wait as pending and complete once Redis is back', async () => {
    const admin = await login(t.server, ADMIN.email, ADMIN.password);
    const org = await demoOrg(t.db.url);
    await redis.stop();
    const redisService = t.app.get(RedisService);
    await until('the app notices', async () => (redisService.isReady ? undefined : true), 10_000);

    const producer = t.app.get(BatchProducer);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await insertBatch(t.db.url, org.id, letters(2_000));
      expect(await producer.enqueue(id)).toBe(false); // bounded by QUEUE_ENQUEUE_TIMEOUT_MS
      ids.push(id);
    }

    // Grids are served (the permission cache falls back to the database).
    const grid = await request(t.server).get('/api/documents?limit=5').set(admin).expect(200);
    expect(grid.body.data).toHaveLength(5);
    // Readiness stays up and says Redis is degraded; the full report is down.
    const ready = await request(t.server).get('/health/ready').expect(200);
    expect(ready.body.details.redis).toMatchObject({
      status: 'up',
      reachable: false,
      degraded: true,
    });
    const full = await request(t.server).get('/health').expect(503);
    expect(full.body.details.redis.status).toBe('down');
    expect(full.body.details.queues.status).toBe('down');
    expect(full.body.details.database.status).toBe('up');

    await new Promise((r) => setTimeout(r, 1_500)); // several sweep rounds without Redis
    for (const id of ids) expect((await batchState(t.db.url, id)).status).toBe('pending');

    await redis.restart();
    for (const id of ids) {
      expect(await waitForBatch(t.db.url, id)).toMatchObject({
        status: 'completed',
        processed_count: 2_000,
      });
      expect(await batchOutput(t.db.url, id)).toMatchObject({
        mails: 2_000,
        distinct_mail_keys: 2_000,
      });
    }
    await request(t.server).get('/health/ready').expect(200);
    const back = await request(t.server).get('/health').expect(200);
    expect(back.body.details.queues.batches.liveWorkers).toBe(1);
  });
});

describe('Redis down from the start', () => {
  it('starts, serves grids and readiness, keeps batches pending, and stops without hanging', async () => {
    const nothing = `redis://127.0.0.1:${await freePort()}`;
    const t = await startTestApp({ ...QUEUE_ENV, APP_ROLE: 'all', REDIS_URL: nothing });
    try {
      await seedDemo(t.db.url);
      const admin = await login(t.server, ADMIN.email, ADMIN.password);
      await request(t.server).get('/api/documents?limit=5').set(admin).expect(200);
      const ready = await request(t.server).get('/health/ready').expect(200);
      expect(ready.body.details.redis).toMatchObject({ reachable: false, degraded: true });
      const org = await demoOrg(t.db.url);
      const id = await insertBatch(t.db.url, org.id, letters(10));
      expect(await t.app.get(BatchProducer).enqueue(id)).toBe(false);
      expect((await batchState(t.db.url, id)).status).toBe('pending');
    } finally {
      await t.close();
    }
  });
});
