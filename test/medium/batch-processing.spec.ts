import request from 'supertest';
import { Client } from 'pg';
import { BatchRunner } from '../../src/modules/batch-processing/batch-runner';
import { BatchProducer } from '../../src/modules/batch-processing/batch.producer';
import {
  batchOutput,
  batchState,
  demoOrg,
  insertBatch,
  letters,
  waitForBatch,
} from '../support/batches';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';
import { captureLogs } from '../support/log-capture';
import { dropRedisKeys } from '../support/redis-server';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

jest.setTimeout(180_000);

describe('batch processing (Bull on Redis, real PostgreSQL)', () => {
  let t: TestApp;
  let org: Awaited<ReturnType<typeof demoOrg>>;
  let producer: BatchProducer;
  const logs = captureLogs();

  beforeAll(async () => {
    t = await startTestApp(
      {
        APP_ROLE: 'all',
        BATCH_CHUNK_SIZE: '500',
        BATCH_PARALLEL_CHUNKS: '2',
        BATCH_SWEEP_INTERVAL_MS: '500',
        BATCH_JOB_ATTEMPTS: '3',
        BATCH_RETRY_DELAY_MS: '200',
        WORKER_HEARTBEAT_TTL_SECONDS: '2',
        DB_MAX_CONNECTIONS: '10',
      },
      undefined,
      logs.nest,
    );
    await seedDemo(t.db.url);
    org = await demoOrg(t.db.url);
    producer = t.app.get(BatchProducer);
  });
  afterAll(async () => {
    await t.close();
    await dropRedisKeys(t.cfg.redis.url, t.cfg.redis.keyPrefix);
  });

  it('turns 10,000 items into mails and documents with exact counts', async () => {
    const id = await insertBatch(t.db.url, org.id, letters(10_000), { createdBy: org.admin });
    expect(await producer.enqueue(id)).toBe(true);
    const b = await waitForBatch(t.db.url, id);
    expect(b).toMatchObject({
      status: 'completed',
      item_count: 10_000,
      processed_count: 10_000,
      failed_count: 0,
      attempts: 1,
      last_error: null,
    });
    expect(await batchOutput(t.db.url, id)).toEqual({
      items: 10_000,
      done: 10_000,
      failed: 0,
      pending: 0,
      mails: 10_000,
      distinct_mail_keys: 10_000,
      linked_mails: 10_000,
      documents: 5_000,
      linked_documents: 5_000,
      titled_items: 5_000,
    });
    // Without a folder, mail and documents land in the organization's Inbox.
    const [where] = await sql<{ folders: number[] }>(
      t.db.url,
      `SELECT array_agg(DISTINCT folder_id)::int[] AS folders FROM (
         SELECT folder_id FROM mails WHERE batch_id = $1
         UNION ALL SELECT folder_id FROM documents WHERE batch_id = $1) x`,
      [id],
    );
    expect(where.folders).toEqual([org.inbox]);
  });

  it('runs each job in a request context of its own, named after the job', () => {
    const jobLines = logs.lines.filter((l) => l.context === 'BatchProcessor');
    expect(jobLines.length).toBeGreaterThan(0);
    expect(jobLines.every((l) => /^job:batches:batch-\d+#\d+$/.test(String(l.requestId)))).toBe(
      true,
    );
  });

  it('fails bad items alone, each with the reason naming the field', async () => {
    const payloads = [
      { subject: 'fine', sender: 'a@example.com', folderId: org.finance, priority: 'high' },
      { sender: 'a@example.com' },
      { subject: 'x', sender: 'a@example.com', priority: 'asap' },
      { subject: 'x', sender: 'a@example.com', folderId: 999_999 },
      { subject: 'x', sender: 'a@example.com', documentTitle: 'T', documentTypeId: 999_999 },
      { subject: 'x', sender: 'a@example.com', receivedOn: 'yesterday' },
      { subject: 'y'.repeat(501), sender: 'a@example.com' },
      'not an object',
    ];
    const id = await insertBatch(t.db.url, org.id, payloads);
    await producer.enqueue(id);
    const b = await waitForBatch(t.db.url, id);
    expect(b).toMatchObject({
      status: 'completed_with_errors',
      processed_count: 1,
      failed_count: 7,
    });
    expect(b.last_error).toBe('7 of 8 items failed: each item says why');
    const items = await sql<{ seq: number; status: string; error: string | null }>(
      t.db.url,
      'SELECT seq, status, error FROM batch_items WHERE batch_id = $1 ORDER BY seq',
      [id],
    );
    expect(items.map((i) => [i.status, i.error?.split(':')[0] ?? null])).toEqual([
      ['done', null],
      ['failed', 'subject'],
      ['failed', 'priority'],
      ['failed', 'folderId'],
      ['failed', 'documentTypeId'],
      ['failed', 'receivedOn'],
      ['failed', 'subject'],
      ['failed', 'payload'],
    ]);
    const [mail] = await sql<{ folder_id: number; priority: string }>(
      t.db.url,
      'SELECT folder_id, priority FROM mails WHERE batch_id = $1',
      [id],
    );
    expect(mail).toEqual({ folder_id: org.finance, priority: 'high' });
  });

  it('fails a batch whose every item fails', async () => {
    const id = await insertBatch(t.db.url, org.id, [{ subject: 'no sender' }, {}]);
    await producer.enqueue(id);
    expect(await waitForBatch(t.db.url, id)).toMatchObject({
      status: 'failed',
      processed_count: 0,
      failed_count: 2,
    });
  });

  it('never completes a batch that misses items', async () => {
    const id = await insertBatch(t.db.url, org.id, letters(2));
    await sql(t.db.url, 'UPDATE batches SET item_count = 5 WHERE id = $1', [id]);
    await producer.enqueue(id);
    expect(await waitForBatch(t.db.url, id)).toMatchObject({
      status: 'failed',
      processed_count: 2,
      last_error: 'only 2 of the 5 items of the batch exist',
    });
  });

  it('is idempotent: runs at the same time and runs again make nothing twice', async () => {
    const id = await insertBatch(t.db.url, org.id, letters(3_000), { status: 'queued' });
    const runner = t.app.get(BatchRunner);
    const outcomes = await Promise.all([runner.run(id), runner.run(id), runner.run(id)]);
    // The sweeper may pick the queued batch up too and end it itself: then every
    // run here ends 'elsewhere'. Either way nothing may be made twice (below).
    expect(outcomes.every((o) => o === 'finished' || o === 'elsewhere')).toBe(true);
    expect(await batchOutput(t.db.url, id)).toMatchObject({
      done: 3_000,
      mails: 3_000,
      distinct_mail_keys: 3_000,
      linked_mails: 3_000,
      documents: 1_500,
      linked_documents: 1_500,
    });
    // The job once more, after the end: nothing to do.
    expect(await runner.run(id)).toBe('not-runnable');

    // A run that died after its inserts but before its items were marked (the
    // state is forced here): the next run links the existing rows instead of
    // inserting them twice.
    await sql(
      t.db.url,
      `UPDATE batch_items SET status = 'pending', mail_id = NULL, document_id = NULL
       WHERE batch_id = $1 AND seq < 700`,
      [id],
    );
    await sql(
      t.db.url,
      `UPDATE batches SET status = 'processing', processed_count = processed_count - 700 WHERE id = $1`,
      [id],
    );
    expect(await runner.run(id)).toBe('finished');
    expect(await batchState(t.db.url, id)).toMatchObject({
      status: 'completed',
      processed_count: 3_000,
      failed_count: 0,
    });
    expect(await batchOutput(t.db.url, id)).toMatchObject({
      done: 3_000,
      mails: 3_000,
      linked_mails: 3_000,
      documents: 1_500,
      linked_documents: 1_500,
    });
  });

  it('retries a transient failure with backoff and completes', async () => {
    const id = await insertBatch(t.db.url, org.id, letters(1_200));
    // The first insert of this batch's mails fails (a sequence outlives the rollback).
    await sql(t.db.url, `CREATE SEQUENCE outage_${id}`);
    await sql(
      t.db.url,
      `CREATE FUNCTION outage_${id}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF nextval('outage_${id}') = 1 THEN RAISE EXCEPTION 'simulated outage'; END IF;
         RETURN NEW;
       END $$`,
    );
    await sql(
      t.db.url,
      `CREATE TRIGGER outage_${id} BEFORE INSERT ON mails FOR EACH ROW
       WHEN (NEW.batch_id = ${id}) EXECUTE FUNCTION outage_${id}()`,
    );
    await producer.enqueue(id);
    const b = await waitForBatch(t.db.url, id);
    await sql(t.db.url, `DROP TRIGGER outage_${id} ON mails`);
    expect(b).toMatchObject({ status: 'completed', processed_count: 1_200, attempts: 2 });
    expect(await batchOutput(t.db.url, id)).toMatchObject({
      mails: 1_200,
      distinct_mail_keys: 1_200,
    });
  });

  it('fails the batch after the last attempt, and a retry completes it', async () => {
    const id = await insertBatch(t.db.url, org.id, letters(50));
    await sql(
      t.db.url,
      `CREATE FUNCTION always_${id}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'disk full (simulated)'; END $$`,
    );
    await sql(
      t.db.url,
      `CREATE TRIGGER always_${id} BEFORE INSERT ON mails FOR EACH ROW
       WHEN (NEW.batch_id = ${id}) EXECUTE FUNCTION always_${id}()`,
    );
    await producer.enqueue(id);
    const failed = await waitForBatch(t.db.url, id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, processed_count: 0 });
    expect(failed.last_error).toMatch(/^attempt 3 of 3 failed: disk full \(simulated\)/);

    await sql(t.db.url, `DROP TRIGGER always_${id} ON mails`);
    const admin = await login(t.server, ADMIN.email, ADMIN.password);
    const res = await request(t.server).post(`/api/batches/${id}/retry`).set(admin).expect(202);
    expect(['pending', 'queued', 'processing', 'completed']).toContain(res.body.status);
    // The same shape as GET /batches/{id}: the grid row with its progress.
    const item = await request(t.server).get(`/api/batches/${id}`).set(admin).expect(200);
    expect(Object.keys(res.body as object).sort()).toEqual(Object.keys(item.body as object).sort());
    expect(res.body).toMatchObject({ id, itemCount: 50, progress: expect.any(Object) });
    expect(await waitForBatch(t.db.url, id)).toMatchObject({
      status: 'completed',
      processed_count: 50,
      failed_count: 0,
      last_error: null,
    });
  });

  it('stops a cancelled batch at the next chunk; a retry resumes it', async () => {
    const id = await insertBatch(t.db.url, org.id, letters(5_000));
    // Hold the worker inside its first chunk (mail inserts wait for this lock)...
    const locker = new Client({ connectionString: t.db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE mails IN SHARE MODE');
    await producer.enqueue(id);
    await waitForLockWaiter(t.db.url);
    // ...cancel the batch meanwhile, then let the chunk finish.
    await sql(t.db.url, `UPDATE batches SET status = 'cancelled' WHERE id = $1`, [id]);
    await locker.query('COMMIT');
    await locker.end();
    await waitForBatch(t.db.url, id, (s) => s.processed_count > 0);
    await new Promise((r) => setTimeout(r, 1_000)); // room for a chunk that should not come
    // Each of the two lanes (BATCH_PARALLEL_CHUNKS) finished the chunk it held, no more.
    expect(await batchState(t.db.url, id)).toMatchObject({
      status: 'cancelled',
      processed_count: 1_000,
    });

    const admin = await login(t.server, ADMIN.email, ADMIN.password);
    await request(t.server).post(`/api/batches/${id}/retry`).set(admin).expect(202);
    expect(await waitForBatch(t.db.url, id)).toMatchObject({
      status: 'completed',
      processed_count: 5_000,
    });
    expect(await batchOutput(t.db.url, id)).toMatchObject({
      mails: 5_000,
      distinct_mail_keys: 5_000,
    });
    const audit = await sql<{ action: string; changes: { failedItemsReset: number } }>(
      t.db.url,
      `SELECT action, changes FROM audit_log WHERE entity_type = 'batch' AND entity_id = $1`,
      [id],
    );
    expect(audit).toEqual([
      {
        action: 'retry',
        changes: { status: { from: 'cancelled', to: 'pending' }, failedItemsReset: 0 },
      },
    ]);
  });

  it('retries only what can be retried, in scope', async () => {
    const admin = await login(t.server, ADMIN.email, ADMIN.password);
    const running = await insertBatch(t.db.url, org.id, letters(1), { status: 'processing' });
    const res = await request(t.server)
      .post(`/api/batches/${running}/retry`)
      .set(admin)
      .expect(409);
    expect(res.body).toMatchObject({ code: 'BATCH_NOT_RETRYABLE', parameter: 'id' });
    await request(t.server).post('/api/batches/99999999/retry').set(admin).expect(404);
    await request(t.server).post('/api/batches/abc/retry').set(admin).expect(400);

    const globex = await demoOrg(t.db.url, 'globex');
    const theirs = await insertBatch(t.db.url, globex.id, letters(1), { status: 'failed' });
    const acmeAdmin = await login(t.server, 'admin@acme.example');
    await request(t.server).post(`/api/batches/${theirs}/retry`).set(acmeAdmin).expect(404);
    const clerk = await login(t.server, 'clerk@acme.example');
    const mine = await insertBatch(t.db.url, org.id, letters(1), { status: 'failed' });
    await request(t.server).post(`/api/batches/${mine}/retry`).set(clerk).expect(403);
  });

  it('sweeps up batches whose enqueue failed or whose worker died', async () => {
    // Never enqueued (as when Redis was away at create time).
    const pending = await insertBatch(t.db.url, org.id, letters(300));
    // Processing with a heartbeat far older than the worker TTL, no job anywhere.
    const orphaned = await insertBatch(t.db.url, org.id, letters(300), {
      status: 'processing',
      heartbeatAgoSeconds: 60,
    });
    await sql(
      t.db.url,
      `UPDATE batches SET updated_on = now() - interval '1 minute' WHERE id = $1`,
      [pending],
    );
    for (const id of [pending, orphaned]) {
      expect(await waitForBatch(t.db.url, id)).toMatchObject({
        status: 'completed',
        processed_count: 300,
      });
    }
  });
});

/** Until some backend of the test database waits for a lock. */
async function waitForLockWaiter(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  for (let i = 0; i < 300; i++) {
    const [row] = await sql<{ n: number }>(
      url,
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'`,
      [name],
    );
    if (row.n > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no worker waited for the lock');
}
