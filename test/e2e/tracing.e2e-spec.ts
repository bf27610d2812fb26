import { trace } from '@opentelemetry/api';
import request from 'supertest';
import { Tracing } from '../../src/core/observability/tracing';
import { waitForBatch } from '../support/batches';
import { ADMIN, login, seedDemo } from '../support/fixtures';
import { captureLogs } from '../support/log-capture';
import type { ReceivedSpan } from '../support/otlp-receiver';
import { startOtlpReceiver } from '../support/otlp-receiver';
import { dropRedisKeys } from '../support/redis-server';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

jest.setTimeout(120_000);

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function traceIdOf(traceparent: unknown): string {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(String(traceparent));
  if (!m) throw new Error(`not a traceparent: ${String(traceparent)}`);
  return m[1];
}

const childrenOf = (spans: ReceivedSpan[], parent: ReceivedSpan, name?: string) =>
  spans.filter((s) => s.parentSpanId === parent.spanId && (name === undefined || s.name === name));

describe('tracing on (OTLP/HTTP to a receiver of the test)', () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  const logs = captureLogs();

  /** Flushes until `ready` holds for what the receiver got (spans of async work end a little later). */
  async function collected(ready: () => boolean): Promise<void> {
    const tracing = t.app.get(Tracing);
    for (let i = 0; i < 50 && !ready(); i++) {
      await tracing.flush();
      if (!ready()) await sleep(100);
    }
  }

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    t = await startTestApp(
      {
        APP_ROLE: 'all',
        TRACING: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'postroom-test',
        OTEL_TRACES_SAMPLER_ARG: '1',
        REQUEST_LOGGING: 'true',
        BATCH_CHUNK_SIZE: '4',
        BATCH_PARALLEL_CHUNKS: '1',
      },
      undefined,
      logs.nest,
    );
    await seedDemo(t.db.url);
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
    await dropRedisKeys(t.cfg.redis.url, t.cfg.redis.keyPrefix);
  });

  it('registers one batch span processor', () => {
    const tracing = t.app.get(Tracing);
    expect(tracing.on).toBe(true);
    expect(tracing.processors).toHaveLength(1);
    expect(logs.lines.find((l) => l.context === 'Observability')?.message).toMatch(/tracing/);
  });

  it('traces a grid request HTTP → acquire → SQL under the caller’s trace, and logs its trace id', async () => {
    const admin = await login(t.server, ADMIN.email, ADMIN.password);
    const res = await request(t.server)
      .get('/api/documents?limit=5&sort=-title')
      .set(admin)
      .set('traceparent', `00-${CALLER_TRACE}-${CALLER_SPAN}-01`)
      .expect(200);
    // The answer names our server span in the caller's trace.
    expect(traceIdOf(res.headers.traceparent)).toBe(CALLER_TRACE);
    const ourSpanId = String(res.headers.traceparent).split('-')[2];

    const find = () => receiver.trace(CALLER_TRACE).find((s) => s.spanId === ourSpanId);
    await collected(() => find() !== undefined);
    const spans = receiver.trace(CALLER_TRACE);
    const server = find() as ReceivedSpan;
    expect(server).toMatchObject({
      name: 'GET /api/documents',
      parentSpanId: CALLER_SPAN,
      kind: 2, // SERVER
      service: 'postroom-test',
      attributes: expect.objectContaining({
        'http.route': '/api/documents',
        'http.response.status_code': 200,
      }),
    });
    expect(childrenOf(spans, server, 'admission.wait')).toHaveLength(1);
    const acquires = childrenOf(spans, server, 'db.pool.acquire');
    expect(acquires.length).toBeGreaterThan(0);
    const statements = acquires.flatMap((a) => childrenOf(spans, a));
    expect(statements.length).toBeGreaterThanOrEqual(acquires.length);
    for (const s of statements) {
      // Parameterized text only: nothing but the system and the text, never values.
      expect(Object.keys(s.attributes).sort()).toEqual(['db.query.text', 'db.system.name']);
      expect(s.name).toBe(
        String(s.attributes['db.query.text']).trim().split(/\s/)[0].toUpperCase(),
      );
    }
    expect(statements.some((s) => String(s.attributes['db.query.text']).includes('$'))).toBe(true);
    // Every statement of the trace hangs under an acquire.
    const acquireIds = new Set(
      spans.filter((s) => s.name === 'db.pool.acquire').map((s) => s.spanId),
    );
    for (const s of spans.filter((x) => 'db.query.text' in x.attributes)) {
      expect(acquireIds.has(s.parentSpanId)).toBe(true);
    }
    // Its request log line carries the trace id.
    const line = logs.lines.find(
      (l) => l.context === 'Request' && l.requestId === res.headers['x-request-id'],
    );
    expect(line?.traceId).toBe(CALLER_TRACE);
    expect(receiver.contentTypes.has('application/json')).toBe(true);
  });

  it('follows a caller’s unsampled decision: answers its trace, records nothing of it', async () => {
    const unsampled = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const admin = await login(t.server, ADMIN.email, ADMIN.password);
    const res = await request(t.server)
      .get('/api/documents?limit=5')
      .set(admin)
      .set('traceparent', `00-${unsampled}-${CALLER_SPAN}-00`)
      .expect(200);
    expect(String(res.headers.traceparent)).toMatch(
      new RegExp(`^00-${unsampled}-[0-9a-f]{16}-00$`),
    );
    await t.app.get(Tracing).flush();
    expect(receiver.trace(unsampled)).toEqual([]);
  });

  it('carries the enqueuing request’s trace into the batch job and its chunks', async () => {
    const acmeAdmin = await login(t.server, 'admin@acme.example');
    const res = await request(t.server)
      .post('/api/batches')
      .set(acmeAdmin)
      .send({
        name: 'Traced scan run',
        source: 'scan',
        items: Array.from({ length: 10 }, (_, i) => ({
          subject: `Letter ${i}`,
          sender: `sender${i}@post.example`,
        })),
      })
      .expect(201);
    const traceId = traceIdOf(res.headers.traceparent);
    const batchId = Number(res.body.id);
    expect((await waitForBatch(t.db.url, batchId)).status).toBe('completed');

    const chunkCount = () => receiver.trace(traceId).filter((s) => s.name === 'batch.chunk').length;
    const jobDone = () => receiver.trace(traceId).some((s) => s.name === 'batch.job');
    await collected(() => jobDone() && chunkCount() >= 3);
    const spans = receiver.trace(traceId);
    const server = spans.find((s) => s.name === 'POST /api/batches') as ReceivedSpan;
    expect(server).toBeDefined();
    const [enqueue] = childrenOf(spans, server, 'batch.enqueue');
    expect(enqueue).toMatchObject({
      kind: 4,
      attributes: expect.objectContaining({ 'batch.id': batchId }),
    });
    const [job] = childrenOf(spans, enqueue, 'batch.job');
    expect(job).toMatchObject({
      kind: 5,
      attributes: expect.objectContaining({ 'batch.id': batchId }),
    });
    // 10 items in chunks of 4: three with items, one that finds none left.
    const chunks = childrenOf(spans, job, 'batch.chunk');
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    for (const chunk of chunks) {
      const [acquire] = childrenOf(spans, chunk, 'db.pool.acquire');
      expect(acquire).toBeDefined();
      const sqlTexts = childrenOf(spans, acquire).map((s) => String(s.attributes['db.query.text']));
      expect(sqlTexts[0]).toMatch(/^BEGIN/);
    }
    // The job's log lines carry the request's trace id.
    const finished = logs.lines.find(
      (l) => l.context === 'BatchProcessor' && l.message === `batch ${batchId}: finished`,
    );
    expect(finished?.traceId).toBe(traceId);
  });
});

describe('tracing off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ TRACING: 'false' });
    await seedDemo(t.db.url);
  });
  afterAll(async () => t.close());

  it('registers no tracer and no span processor, and answers no traceparent', async () => {
    const tracing = t.app.get(Tracing);
    expect(tracing.on).toBe(false);
    expect(tracing.tracer).toBeUndefined();
    expect(tracing.processors).toEqual([]);
    // Nothing global either: the API's tracer is the no-op one.
    expect(trace.getTracer('probe').startSpan('x').isRecording()).toBe(false);
    const admin = await login(t.server, ADMIN.email, ADMIN.password);
    const res = await request(t.server)
      .get('/api/documents?limit=5')
      .set(admin)
      .set('traceparent', `00-${CALLER_TRACE}-${CALLER_SPAN}-01`)
      .expect(200);
    expect(res.headers.traceparent).toBeUndefined();
  });
});
