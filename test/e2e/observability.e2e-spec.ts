import request from 'supertest';
import { Client } from 'pg';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';
import type { CapturedLine } from '../support/log-capture';
import { captureLogs } from '../support/log-capture';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

const FLUSH_WAIT_MS = 1_500; // the metrics writer flushes every second

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const requestLines = (lines: CapturedLine[]) => lines.filter((l) => l.context === 'Request');

async function metricRows(t: TestApp) {
  return sql<{
    route: string;
    method: string;
    status_code: number;
    duration_ms: number;
    db_statements: number | null;
    user_id: number | null;
    request_id: string | null;
    sampled_because: string;
  }>(t.db.url, 'SELECT * FROM request_metrics ORDER BY id');
}

describe('observability switched off', () => {
  let t: TestApp;
  const logs = captureLogs();
  beforeAll(async () => {
    t = await startTestApp(
      { REQUEST_LOGGING: 'false', PERFORMANCE_MONITORING: 'false', REQUEST_METRICS_MODE: 'off' },
      undefined,
      logs.nest,
    );
    await seedDemo(t.db.url);
  });
  afterAll(async () => t.close());

  it('adds no hook, logs no request line and writes no metric row', async () => {
    expect(logs.lines.find((l) => l.context === 'Observability')?.message).toBe(
      'request logging, performance monitoring and request metrics are off',
    );
    const admin = await login(t.server, ADMIN.email, ADMIN.password);
    for (let i = 0; i < 5; i++) {
      await request(t.server).get('/api/documents?limit=5').set(admin).expect(200);
    }
    await request(t.server).get('/api/documents/nope').set(admin).expect(400);
    await sleep(FLUSH_WAIT_MS);
    expect(requestLines(logs.lines)).toEqual([]);
    expect(await metricRows(t)).toEqual([]);
  });
});

describe('request logging, performance monitoring and sampled metrics on', () => {
  let t: TestApp;
  const logs = captureLogs();
  beforeAll(async () => {
    t = await startTestApp(
      {
        REQUEST_LOGGING: 'true',
        PERFORMANCE_MONITORING: 'true',
        REQUEST_METRICS_MODE: 'sample',
        REQUEST_METRICS_SAMPLE_RATE: '1',
        REQUEST_METRICS_SLOW_MS: '60000',
      },
      undefined,
      logs.nest,
    );
    await seedDemo(t.db.url);
  });
  afterAll(async () => t.close());

  it('logs one JSON line per request with its request id, and persists each sampled one', async () => {
    const admin = await login(t.server, ADMIN.email, ADMIN.password);
    await request(t.server)
      .get('/api/documents?limit=5')
      .set(admin)
      .set('x-request-id', 'req-observed-1')
      .expect(200);
    await request(t.server).get('/health/ready').expect(200);
    await sleep(FLUSH_WAIT_MS);

    const lines = requestLines(logs.lines);
    expect(lines.map((l) => l.route)).toEqual(['/api/auth/login', '/api/documents']);
    expect(lines[1]).toMatchObject({
      requestId: 'req-observed-1',
      method: 'GET',
      statusCode: 200,
      userId: expect.any(Number),
    });
    expect(lines[1].statements as number).toBeGreaterThan(0);

    const rows = await metricRows(t);
    // Probes are never persisted; both API requests were sampled (rate 1).
    expect(rows.map((r) => r.route)).toEqual(['/api/auth/login', '/api/documents']);
    expect(rows[1]).toMatchObject({
      request_id: 'req-observed-1',
      method: 'GET',
      status_code: 200,
      sampled_because: 'sample',
    });
    expect(rows[1].db_statements).toBeGreaterThan(0);
    expect(rows[1].user_id).toEqual(lines[1].userId);
  });

  it('reports the busiest routes in /health', async () => {
    const res = await request(t.server).get('/health');
    const routes = (res.body.details.process.busiestRoutes as { route: string }[]).map(
      (r) => r.route,
    );
    expect(routes).toContain('GET /api/documents');
  });
});

describe('slow-only request metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REQUEST_METRICS_MODE: 'slow', REQUEST_METRICS_SLOW_MS: '300' });
    await seedDemo(t.db.url);
  });
  afterAll(async () => t.close());

  it('writes only requests slower than the threshold', async () => {
    const admin = await login(t.server, ADMIN.email, ADMIN.password);
    for (let i = 0; i < 3; i++) {
      await request(t.server).get('/api/documents/columns').set(admin).expect(200);
    }
    // Make one grid request slow for sure: it waits for a lock held for 800 ms.
    const locker = new Client({ connectionString: t.db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE documents IN ACCESS EXCLUSIVE MODE');
    const slow = request(t.server).get('/api/documents?limit=5').set(admin);
    const release = sleep(800).then(async () => {
      await locker.query('COMMIT');
      await locker.end();
    });
    const [res] = await Promise.all([slow, release]);
    expect(res.status).toBe(200);
    await sleep(FLUSH_WAIT_MS);

    const rows = await metricRows(t);
    expect(rows.every((r) => r.sampled_because === 'slow' && r.duration_ms >= 300)).toBe(true);
    expect(rows.filter((r) => r.route === '/api/documents')).toHaveLength(1);
    expect(rows.filter((r) => r.route === '/api/documents/columns')).toHaveLength(0);
  });
});
