import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../src/core/config/config.schema';
import { computePoolBudget } from '../src/core/database/pool-budget';
import { runMigrations } from '../src/core/database/migrations';
import { createApp } from '../src/create-app';
import { BatchProducer } from '../src/modules/batch-processing/batch.producer';
import { withDirectClient } from '../src/seed/seed-runner';
import { seedSmall } from '../src/seed/small-seed';

export interface BatchIngestOptions {
  /** A PostgreSQL server where a scratch database may be created and dropped. */
  adminUrl?: string;
  redisUrl?: string;
  items?: number;
  chunkSize?: number;
  /** Runs of the same batch size; the best and the median are reported. */
  runs?: number;
  log?: (line: string) => void;
}

export interface BatchIngestResult {
  items: number;
  chunkSize: number;
  runs: number;
  /** Items per second of one worker (BATCH_CONCURRENCY=1), from the batch's started_on to finished_on. */
  itemsPerSecond: { median: number; best: number };
  /** Per run: processing seconds, and seconds from enqueue to completed as a client sees it. */
  perRun: { seconds: number; wallSeconds: number }[];
}

const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

function inDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Batch ingest throughput of one worker process: a scratch database (migrated,
 * small demo seed), one worker-role app with BATCH_CONCURRENCY=1, then batches
 * of `items` items (every second one files a document too) inserted as the
 * batches module stores them and enqueued; each run is timed by the batch's own
 * started_on and finished_on. The scratch database is dropped at the end.
 */
export async function runBatchIngestBench(
  opts: BatchIngestOptions = {},
): Promise<BatchIngestResult> {
  const adminUrl = opts.adminUrl ?? DEFAULT_ADMIN_URL;
  const items = opts.items ?? 50_000;
  const runs = opts.runs ?? 3;
  const log = opts.log ?? (() => undefined);
  const name = `postroom_bench_ingest_${randomBytes(4).toString('hex')}`;
  const url = inDatabase(adminUrl, name);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const cfg = loadConfig({
      NODE_ENV: 'production',
      APP_ROLE: 'worker',
      DATABASE_URL: url,
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-01',
      REDIS_URL: opts.redisUrl ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
      BATCH_CONCURRENCY: '1',
      DB_MAX_CONNECTIONS: '10',
      ...(opts.chunkSize ? { BATCH_CHUNK_SIZE: String(opts.chunkSize) } : {}),
    });
    await runMigrations(cfg, url);
    const orgId = await withDirectClient(url, async (q) => {
      await seedSmall(q, {
        adminEmail: 'admin@postroom.local',
        adminPassword: 'bench',
        demoPassword: 'bench',
      });
      const [org] = await q.query<{ id: number }>(
        `SELECT id FROM organizations WHERE slug = 'acme'`,
      );
      return org.id;
    });
    const app = await createApp(cfg, { url, poolMax: computePoolBudget(cfg.db).poolMax }, false);
    await app.init();
    const perRun: BatchIngestResult['perRun'] = [];
    try {
      const producer = app.get(BatchProducer);
      for (let run = 0; run < runs; run++) {
        const batchId = await insertBatch(url, orgId, items);
        const sent = performance.now();
        await producer.enqueue(batchId);
        const r = await waitFinished(url, batchId);
        const wallSeconds = (performance.now() - sent) / 1000;
        if (r.status !== 'completed' || r.processed !== items) {
          throw new Error(
            `batch ${batchId} ended ${r.status} with ${r.processed} of ${items} items`,
          );
        }
        perRun.push({ seconds: r.seconds, wallSeconds: round(wallSeconds, 3) });
        log(
          `batch ingest run ${run + 1}/${runs}: ${items} items in ${r.seconds} s (${Math.round(items / r.seconds)} items/s)`,
        );
      }
    } finally {
      await app.close();
    }
    const rates = perRun.map((r) => items / r.seconds).sort((a, b) => a - b);
    return {
      items,
      chunkSize: cfg.queue.batchChunkSize,
      runs,
      itemsPerSecond: {
        median: Math.round(rates[Math.floor(rates.length / 2)]),
        best: Math.round(rates[rates.length - 1]),
      },
      perRun,
    };
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

async function insertBatch(url: string, orgId: number, items: number): Promise<number> {
  return withDirectClient(url, async (q) => {
    const [{ id }] = await q.query<{ id: number }>(
      `INSERT INTO batches (organization_id, name, source, item_count) VALUES ($1, 'bench', 'api', $2) RETURNING id`,
      [orgId, items],
    );
    await q.query(
      `INSERT INTO batch_items (organization_id, batch_id, seq, payload)
       SELECT $1, $2, g, jsonb_strip_nulls(jsonb_build_object(
         'subject', 'Invoice ' || g, 'sender', 'supplier' || (g % 500) || '@example.com',
         'priority', (ARRAY['low', 'normal', 'high'])[1 + g % 3],
         'documentTitle', CASE WHEN g % 2 = 0 THEN 'Scan ' || g END))
       FROM generate_series(0, $3 - 1) g`,
      [orgId, id, items],
    );
    await q.query('ANALYZE batch_items');
    return id;
  });
}

async function waitFinished(url: string, batchId: number) {
  return withDirectClient(url, async (q) => {
    for (;;) {
      const [b] = await q.query<{ status: string; processed: number; seconds: number | null }>(
        `SELECT status, processed_count AS processed,
                extract(epoch FROM finished_on - started_on)::float8 AS seconds
         FROM batches WHERE id = $1`,
        [batchId],
      );
      if (!['pending', 'queued', 'processing'].includes(b.status)) {
        return { status: b.status, processed: b.processed, seconds: round(b.seconds ?? NaN, 3) };
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  });
}

if (require.main === module) {
  const items = Number(process.argv[2] ?? 50_000);
  runBatchIngestBench({ items, log: (l) => process.stdout.write(`${l}\n`) })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${String(e)}\n`);
      process.exit(1);
    });
}
