import request from 'supertest';
import { Client } from 'pg';
import { HealthState } from '../../src/core/health/health-state';
import { listenPort } from '../../src/create-app';
import { TEST_ENV } from '../support/test-env';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

describe('health basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('answers liveness from the process alone', async () => {
    const res = await request(t.server).get('/health/live').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.process.status).toBe('up');
  });

  it('is ready when the database answers through the pool and Redis answers', async () => {
    // No readiness answer yet: NaN, which no alert matches.
    expect(await metricsText(t)).toMatch(/^postroom_health_ready Nan$/m);
    const res = await request(t.server).get('/health/ready').expect(200);
    expect(res.body.details.database.status).toBe('up');
    expect(res.body.details.pool.max).toBe(t.cfg.db.maxConnections - t.cfg.db.reservedConnections);
    expect(res.body.details.redis.status).toBe('up');
    const text = await metricsText(t);
    expect(text).toMatch(/^postroom_health_ready 1$/m);
    expect(text).toMatch(/^postroom_health_not_ready_total 0$/m);
  });

  it('sends security headers and a request id', async () => {
    const res = await request(t.server).get('/health/live').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('answers an unknown route with the error shape', async () => {
    const res = await request(t.server).get('/api/nothing-here').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'ROUTE_NOT_FOUND' });
  });

  it('serves the OpenAPI document', async () => {
    const res = await request(t.server).get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths as object)).toContain('/health/ready');
  });
});

describe('health details', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ APP_ROLE: 'all' });
  });
  afterAll(async () => t.close());

  it('reports database, pool, Redis, workers and backlog per queue, memory and event loop', async () => {
    const res = await request(t.server).get('/health').expect(200);
    const d = res.body.details;
    expect(d.database).toMatchObject({ status: 'up', pingMs: expect.any(Number) });
    expect(d.pool).toMatchObject({
      status: 'up',
      max: expect.any(Number),
      utilization: expect.any(Number),
      warnAt: t.cfg.monitoring.poolAlertUtilization,
      saturatedAt: t.cfg.health.poolSaturationThreshold,
      level: 'ok',
    });
    expect(d.redis).toMatchObject({ status: 'up', pingMs: expect.any(Number) });
    expect(d.queues.batches).toMatchObject({ liveWorkers: 1, waiting: 0, active: 0, failed: 0 });
    expect(d.process).toMatchObject({
      status: 'up',
      role: 'all',
      memory: { rssMb: expect.any(Number), heapUsedMb: expect.any(Number) },
      eventLoop: { p99Ms: expect.any(Number) },
      cpu: { processPercent: expect.any(Number) },
    });
  });

  it('answers readiness 503 at once when shutting down, liveness still 200', async () => {
    t.app.get(HealthState).beginShutdown();
    const res = await request(t.server).get('/health/ready').expect(503);
    expect(res.body.details.shutdown).toEqual({ status: 'down', message: 'shutting down' });
    await request(t.server).get('/health/live').expect(200);
    const text = await metricsText(t);
    expect(text).toMatch(/^postroom_health_ready 0$/m);
    expect(text).toMatch(/^postroom_health_not_ready_total 1$/m);
  });
});

describe('roles', () => {
  it('worker: serves health only, and counts itself as a live worker', async () => {
    const w = await startTestApp({ APP_ROLE: 'worker' });
    try {
      await request(w.server).get('/health/live').expect(200);
      await request(w.server).get('/health/ready').expect(200);
      const full = await request(w.server).get('/health').expect(200);
      expect(full.body.details.queues.batches.liveWorkers).toBe(1);
      await request(w.server).get('/api/documents').expect(404);
      await request(w.server).post('/api/auth/login').send({}).expect(404);
      await request(w.server).get('/docs-json').expect(404);
      expect(listenPort(w.cfg)).toBe(w.cfg.health.port);
    } finally {
      await w.close();
    }
  });

  it('api: serves the API, processes nothing, and /health says no worker is live', async () => {
    const a = await startTestApp({ APP_ROLE: 'api' });
    try {
      await request(a.server).get('/api/documents').expect(401);
      await request(a.server).get('/health/ready').expect(200);
      const full = await request(a.server).get('/health').expect(503);
      expect(full.body.details.queues).toMatchObject({
        status: 'down',
        batches: { liveWorkers: 0 },
        message: 'no live worker for: batches',
      });
      expect(listenPort(a.cfg)).toBe(a.cfg.http.port);
    } finally {
      await a.close();
    }
  });
});

describe("the app's database connections terminated", () => {
  let t: TestApp;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestApp({ HEALTH_CHECK_TIMEOUT_MS: '1000', DB_POOL_ACQUIRE_TIMEOUT_MS: '500' });
    admin = new Client({ connectionString: process.env[TEST_ENV.adminUrl] });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.query(`ALTER DATABASE ${t.db.name} WITH ALLOW_CONNECTIONS true`);
    await admin.end();
    await t.close();
  });

  it('makes readiness 503, and it comes back by itself', async () => {
    await request(t.server).get('/health/ready').expect(200);
    // Terminate every connection of the app and refuse new ones for a while.
    await admin.query(`ALTER DATABASE ${t.db.name} WITH ALLOW_CONNECTIONS false`);
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
      t.db.name,
    ]);
    const down = await poll(
      () => request(t.server).get('/health/ready'),
      (r) => r.status === 503,
    );
    expect(down.body.details.database.status).toBe('down');
    await request(t.server).get('/health/live').expect(200);

    await admin.query(`ALTER DATABASE ${t.db.name} WITH ALLOW_CONNECTIONS true`);
    const up = await poll(
      () => request(t.server).get('/health/ready'),
      (r) => r.status === 200,
    );
    expect(up.body.details.database.status).toBe('up');
  });
});

async function metricsText(t: TestApp): Promise<string> {
  return (await request(t.server).get('/metrics').expect(200)).text;
}

async function poll<T>(probe: () => Promise<T>, done: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await probe();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the condition never held');
}
