import request from 'supertest';
import { Client } from 'pg';
import { Db } from '../../src/core/database/db.service';
import { RequestMetricsWriter } from '../../src/core/observability/request-metrics.writer';
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
    admission_wait_ms: number | null;
    pool_wait_ms: number | null;
    handled_ms: number | null;
    trace_id: string | null;
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
      'request logging, performance monitoring, request metrics and tracing are off',
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
    // Where the time went: no wait for admission here, the pool wait apart, no trace (tracing off).
    expect(rows[1]).toMatchObject({ admission_wait_ms: 0, trace_id: null });
    expect(rows[1].pool_wait_ms).toBeGreaterThanOrEqual(0);
    expect(rows[1].handled_ms).toBeLessThanOrEqual(rows[1].duration_ms);
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

describe('persisted request metrics are rate limited', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      REQUEST_METRICS_MODE: 'sample',
      REQUEST_METRICS_SAMPLE_RATE: '1',
      REQUEST_METRICS_SLOW_MS: '60000',
      REQUEST_METRICS_MAX_PER_SECOND: '2',
    });
    await seedDemo(t.db.url);
  });
  afterAll(async () => t.close());

  it('persists at most the bucket and counts the rest as dropped in /metrics', async () => {
    const started = Date.now();
    const admin = await login(t.server, ADMIN.email, ADMIN.password);
    await Promise.all(
      Array.from({ length: 15 }, () =>
        request(t.server).get('/api/documents/columns').set(admin).expect(200),
      ),
    );
    const seconds = (Date.now() - started) / 1000;
    await sleep(FLUSH_WAIT_MS);
    const rows = await metricRows(t);
    // A burst of 2, then 2 a second.
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.length).toBeLessThanOrEqual(2 + Math.ceil(seconds * 2));
    const metrics = (await request(t.server).get('/metrics').expect(200)).text;
    const dropped = Number(
      /postroom_request_metrics_dropped_total\{reason="rate"\} (\d+)/.exec(metrics)?.[1],
    );
    expect(dropped + rows.length).toBe(16);
    expect(metrics).toMatch(new RegExp(`postroom_request_metrics_written_total ${rows.length}\\b`));
  });
});

describe('slow judged on the time a request was handled', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      REQUEST_METRICS_MODE: 'sample',
      REQUEST_METRICS_SAMPLE_RATE: '1',
      REQUEST_METRICS_SLOW_MS: '300',
      REQUEST_METRICS_SLOW_ROUTES: 'GET /api/documents/columns=0',
      HTTP_MAX_IN_FLIGHT: '1',
    });
    await seedDemo(t.db.url);
  });
  afterAll(async () => t.close());

  it('leaves the admission wait out, records it apart, and follows a route threshold', async () => {
    const admin = await login(t.server, ADMIN.email, ADMIN.password);
    await request(t.server).get('/api/documents/columns').set(admin).expect(200);
    for (const id of ['folders-1', 'folders-2']) {
      await request(t.server).get('/api/folders?limit=5').set(admin).set('x-request-id', id);
    }
    // One request held 800 ms by a lock, the only one admitted (in-flight cap 1);
    // the next one waits for admission all that time, then is quick.
    const locker = new Client({ connectionString: t.db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE documents IN ACCESS EXCLUSIVE MODE');
    const slow = request(t.server)
      .get('/api/documents?limit=5')
      .set(admin)
      .set('x-request-id', 'held-by-lock');
    const slowDone = slow.then((r) => r);
    await sleep(150);
    const queued = request(t.server)
      .get('/api/folders?limit=5')
      .set(admin)
      .set('x-request-id', 'held-in-queue')
      .then((r) => r);
    await sleep(650);
    await locker.query('COMMIT');
    await locker.end();
    const [a, b] = await Promise.all([slowDone, queued]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await sleep(FLUSH_WAIT_MS);

    const rows = await metricRows(t);
    const byId = (id: string) => rows.find((r) => r.request_id === id);
    expect(byId('held-by-lock')).toMatchObject({ sampled_because: 'slow' });
    expect(byId('held-by-lock')?.handled_ms).toBeGreaterThanOrEqual(300);
    const waited = byId('held-in-queue');
    expect(waited?.duration_ms).toBeGreaterThanOrEqual(300);
    expect(waited?.admission_wait_ms).toBeGreaterThanOrEqual(300);
    expect(waited?.handled_ms).toBeLessThan(300);
    expect(waited?.sampled_because).toBe('sample');
    // Let in when the held request's answer closed, it still counts only its own
    // statements (a fresh request context, not a copy of the other's).
    expect(waited?.db_statements).toBe(byId('folders-2')?.db_statements);
    // The route's own threshold (0 ms): every columns request is slow.
    const columns = rows.filter((r) => r.route === '/api/documents/columns');
    expect(columns.map((r) => r.sampled_because)).toEqual(['slow']);
    // The waits are parts of the duration (parallel loaders' waits count once).
    for (const r of rows) {
      expect((r.admission_wait_ms ?? 0) + (r.pool_wait_ms ?? 0)).toBeLessThanOrEqual(
        r.duration_ms + 0.5,
      );
    }
  });
});

describe('the metrics writer and a saturated pool', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REQUEST_METRICS_MODE: 'slow', DB_POOL_MAX: '2' });
  });
  afterAll(async () => t.close());

  it('puts its inserts off while no connection is free, and writes them once one is', async () => {
    const writer = t.app.get(RequestMetricsWriter);
    const db = t.app.get(Db);
    const held = [await db.acquire(), await db.acquire()];
    writer.push({
      createdOn: new Date().toISOString(),
      requestId: 'while-saturated',
      method: 'GET',
      route: '/api/x',
      statusCode: 200,
      durationMs: 900,
      admissionWaitMs: 0,
      poolWaitMs: 0,
      handledMs: 900,
      traceId: null,
      dbStatements: 1,
      userId: null,
      organizationId: null,
      sampledBecause: 'slow',
    });
    await writer.flush();
    expect(writer.deferred).toBeGreaterThan(0);
    expect(db.stats.timeouts).toBe(0);
    expect(await metricRows(t)).toEqual([]);
    for (const c of held) db.release(c);
    await writer.flush();
    expect((await metricRows(t)).map((r) => r.request_id)).toEqual(['while-saturated']);
    expect(writer.dropped).toEqual({ rate: 0, buffer: 0, failed: 0 });
  });
});
