import request from 'supertest';
import type { PoolReport } from '../../src/core/database/pool-monitor.types';
import { listenPort } from '../../src/create-app';
import { ADMIN, login, seedDemo } from '../support/fixtures';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

describe('pool metrics', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let clerk: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp({ DB_POOL_MAX: '5', DB_APPLICATION_NAME: 'postroom-metrics-test' });
    await seedDemo(t.db.url);
    admin = await login(t.server, ADMIN.email, ADMIN.password);
    clerk = await login(t.server, 'clerk@acme.example');
    await request(t.server).get('/api/documents?limit=5&count=exact').set(admin).expect(200);
  });
  afterAll(async () => t.close());

  it('refuses the pool report without admin-hub access', async () => {
    const res = await request(t.server).get('/api/admin/pool-metrics').set(clerk).expect(403);
    expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
    await request(t.server).get('/api/admin/pool-metrics').expect(401);
  });

  it('gives an admin the pool, its waits, the server view and the history', async () => {
    const res = await request(t.server).get('/api/admin/pool-metrics').set(admin).expect(200);
    const r = res.body as PoolReport;
    expect(r.applicationName).toBe('postroom-metrics-test');
    expect(r.usePgbouncer).toBe(t.db.viaPgbouncer);
    expect(r.budget).toMatchObject({ maxConnections: 20, reservedConnections: 3, poolMax: 5 });
    expect(r.pool.max).toBe(5);
    expect(r.pool.total).toBeGreaterThanOrEqual(1);
    expect(r.pool.total).toBe(r.pool.idle + r.pool.inUse);
    expect(r.acquire.count).toBeGreaterThanOrEqual(3);
    expect(r.acquire.timeouts).toBe(0);
    expect(Object.keys(r.acquire.waitMs).sort()).toEqual(['max', 'p50', 'p95', 'p99']);
    expect(r.alert).toMatchObject({ threshold: 0.9, sustainMs: 30000, active: false });
    expect(r.history.intervalMs).toBe(10000);
    expect(r.history.samples.length).toBeGreaterThanOrEqual(1);
    expect(r.history.samples[0]).toMatchObject({ max: 5, timeouts: 0 });

    if (!r.server.available) throw new Error(`server figures missing: ${r.server.error}`);
    expect(r.server.maxConnections).toBeGreaterThan(0);
    expect(r.server.clientBackends).toBeGreaterThanOrEqual(1);
    // At least the connection that asked, running under this process's name.
    expect(r.server.ownBackends).toBeGreaterThanOrEqual(1);
    expect(r.server.backends).toContainEqual(
      expect.objectContaining({ applicationName: 'postroom-metrics-test', state: 'active' }),
    );
    for (const b of r.server.backends) {
      expect(b.count).toBeGreaterThan(0);
      expect(b.self).toBe(b.applicationName === 'postroom-metrics-test');
    }
  });

  it('exposes the pool, server and HTTP figures to Prometheus without a token', async () => {
    const res = await request(t.server).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.text;
    expect(text).toMatch(/^postroom_db_pool_max 5$/m);
    expect(text).toMatch(/^postroom_db_pool_total \d+$/m);
    expect(text).toMatch(/^postroom_db_pool_in_use \d+$/m);
    expect(text).toMatch(/^postroom_db_pool_idle \d+$/m);
    expect(text).toMatch(/^postroom_db_pool_waiting 0$/m);
    expect(text).toMatch(/^postroom_db_pool_acquire_wait_ms\{quantile="0.95"\} [\d.]+$/m);
    expect(text).toMatch(/^postroom_db_pool_acquire_timeouts_total 0$/m);
    expect(text).toMatch(/^postroom_db_server_max_connections [1-9]\d*$/m);
    expect(text).toMatch(/^postroom_db_server_up 1$/m);
    expect(text).toMatch(
      /^postroom_http_request_duration_seconds_count\{method="GET",route="\/api\/documents",status="200"\} [1-9]\d*$/m,
    );
    expect(text).toMatch(/^postroom_process_resident_memory_bytes \d+/m);
  });
});

describe('pool metrics of a worker', () => {
  it('exposes the pool figures on the health port, without the admin route', async () => {
    const w = await startTestApp({ APP_ROLE: 'worker', DB_POOL_MAX: '4' });
    try {
      expect(listenPort(w.cfg)).toBe(w.cfg.health.port);
      const text = (await request(w.server).get('/metrics').expect(200)).text;
      expect(text).toMatch(/^postroom_db_pool_max 4$/m);
      expect(text).toMatch(/^postroom_db_pool_total \d+$/m);
      expect(text).toMatch(/^postroom_db_server_up 1$/m);
      await request(w.server).get('/api/admin/pool-metrics').expect(404);
    } finally {
      await w.close();
    }
  });
});
