import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { DocumentValueCounts1765500000000 } from '../../migrations/1765500000000-document-value-counts';
import { BatchProducer } from '../../src/modules/batch-processing/batch.producer';
import { DocumentValueCountsRepository } from '../../src/modules/document/document-value-counts.repository';
import { documentGrid } from '../../src/modules/document/document.grid';
import { demoOrg, insertBatch, letters, waitForBatch } from '../support/batches';
import { seedDemo, sql } from '../support/fixtures';
import { dropRedisKeys } from '../support/redis-server';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

jest.setTimeout(300_000);

/**
 * The kept counts of value discovery (migration 1765500000000) against
 * count(*): after writers on several connections at once insert, update,
 * move, delete and roll back documents, batches are processed by the worker
 * and the compaction folds deltas in meanwhile, the two never differ; nor
 * after an organization is deleted, after TRUNCATE, or from the backfill.
 */

type Key = string;

const kept = documentGrid.keptCounts!;
const counted = kept.columns.map((key) => {
  const c = documentGrid.columns.find((x) => x.key === key)!;
  return { key, sql: c.sql };
});

/** (organization, folder, column, value) → n, from the documents themselves. */
async function recounted(url: string): Promise<Map<Key, number>> {
  const parts = counted.map(
    (c) =>
      `SELECT d.organization_id, d.folder_id, '${c.key}' AS column_key, (${c.sql})::text AS value, count(*)::int AS n
       FROM documents d GROUP BY 1, 2, 3, 4`,
  );
  return toMap(await sql(url, parts.join(' UNION ALL ')));
}

/** The same from the kept counts, as readers sum them. */
async function keptCounts(url: string): Promise<Map<Key, number>> {
  return toMap(
    await sql(
      url,
      `SELECT organization_id, folder_id, column_key, value, sum(n)::int AS n
       FROM ${kept.relation} GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0`,
    ),
  );
}

function toMap(rows: Record<string, unknown>[]): Map<Key, number> {
  const m = new Map<Key, number>();
  for (const r of rows) {
    const key = JSON.stringify([r.organization_id, r.folder_id, r.column_key, r.value]);
    m.set(key, Number(r.n));
  }
  return m;
}

/** The keys whose kept count differs from count(*), with both figures. */
async function differences(url: string): Promise<string[]> {
  const [want, got] = [await recounted(url), await keptCounts(url)];
  const out: string[] = [];
  for (const key of new Set([...want.keys(), ...got.keys()])) {
    if (want.get(key) !== got.get(key))
      out.push(`${key}: count(*) ${want.get(key) ?? 0}, kept ${got.get(key) ?? 0}`);
  }
  return out.sort();
}

interface World {
  orgs: { id: number; folders: number[]; types: number[]; users: number[] }[];
}

const STATUSES = ['draft', 'active', 'in_review', 'archived'];
const MIMES = ['application/pdf', 'image/png', null];

/** A small deterministic generator per writer (failures replay). */
function random(seed: number) {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
  };
}

/**
 * One writer: random statements in transactions of its own, some rolled
 * back. Updates, moves and deletes touch only its own rows (id % writers),
 * so writers never deadlock on documents; a batch's SET NULL may still wait.
 */
async function writer(url: string, w: World, me: number, writers: number, rounds: number) {
  const c = new Client({ connectionString: url });
  await c.connect();
  const r = random(me + 1);
  try {
    for (let i = 0; i < rounds; i++) {
      const org = r.pick(w.orgs);
      const mine = `id % ${writers} = ${me} AND organization_id = ${org.id}`;
      await c.query('BEGIN');
      try {
        for (let s = 0; s < 1 + r.int(3); s++) {
          switch (r.int(6)) {
            case 0:
            case 1:
              await c.query(
                `INSERT INTO documents (organization_id, folder_id, document_type_id, title, status, mime_type, created_by)
                 SELECT $1, ($2::bigint[])[1 + (g * 7 + $5::int) % cardinality($2::bigint[])],
                        CASE WHEN g % 3 = 0 THEN NULL ELSE ($3::bigint[])[1 + g % cardinality($3::bigint[])] END,
                        'Doc ' || g, ($4::text[])[1 + g % 4], CASE WHEN g % 2 = 0 THEN 'application/pdf' END,
                        ($6::bigint[])[1 + g % cardinality($6::bigint[])]
                 FROM generate_series(1, $7::int) g`,
                [org.id, org.folders, org.types, STATUSES, r.int(100), org.users, 1 + r.int(40)],
              );
              break;
            case 2:
              await c.query(
                `UPDATE documents SET status = $1, mime_type = $2 WHERE ${mine} AND id % 5 = $3`,
                [r.pick(STATUSES), r.pick(MIMES), r.int(5)],
              );
              break;
            case 3:
              // A move: the key itself changes.
              await c.query(`UPDATE documents SET folder_id = $1 WHERE ${mine} AND id % 7 = $2`, [
                r.pick(org.folders),
                r.int(7),
              ]);
              break;
            case 4:
              await c.query(`DELETE FROM documents WHERE ${mine} AND id % 11 = $1`, [r.int(11)]);
              break;
            default:
              // Nothing counted changes: no delta.
              await c.query(
                `UPDATE documents SET title = title || '.' WHERE ${mine} AND id % 13 = 0`,
              );
          }
        }
        await c.query(r.int(5) === 0 ? 'ROLLBACK' : 'COMMIT');
      } catch (e) {
        await c.query('ROLLBACK');
        // A lock cycle with a batch's SET NULL: that transaction is simply undone.
        if ((e as { code?: string }).code !== '40P01') throw e;
      }
    }
  } finally {
    await c.end();
  }
}

/** A compaction of our own (the worker's, every 50 ms, may hold the lock for a moment). */
async function compactNow(repo: DocumentValueCountsRepository) {
  for (;;) {
    const c = await repo.compact();
    if (c.ran) return c;
  }
}

describe('kept value counts of documents', () => {
  let t: TestApp;
  let world: World;
  let compactor: DocumentValueCountsRepository;

  beforeAll(async () => {
    // The worker processes batches and compacts every 50 ms, concurrently with the writers.
    t = await startTestApp({
      APP_ROLE: 'all',
      KEPT_COUNTS_COMPACT_INTERVAL_MS: '50',
      BATCH_CHUNK_SIZE: '300',
      DB_MAX_CONNECTIONS: '12',
    });
    await seedDemo(t.db.url);
    compactor = t.app.get(DocumentValueCountsRepository);
    const orgs = await sql<{ id: number; folders: number[]; types: number[]; users: number[] }>(
      t.db.url,
      `SELECT o.id,
         (SELECT array_agg(id ORDER BY id) FROM folders WHERE organization_id = o.id) AS folders,
         (SELECT array_agg(id ORDER BY id) FROM document_types WHERE organization_id = o.id) AS types,
         (SELECT array_agg(id ORDER BY id) FROM users WHERE organization_id = o.id) AS users
       FROM organizations o ORDER BY o.id`,
    );
    world = { orgs: orgs.map((o) => ({ ...o, folders: o.folders.map(Number) })) };
  });
  afterAll(async () => {
    await t.close();
    await dropRedisKeys(t.cfg.redis.url, t.cfg.redis.keyPrefix);
  });

  it('start equal to count(*) (the seed went through the triggers)', async () => {
    expect((await recounted(t.db.url)).size).toBeGreaterThan(10);
    expect(await differences(t.db.url)).toEqual([]);
  });

  it('equal count(*) after concurrent writes, moves, deletes, rollbacks, batches and compactions', async () => {
    const org = await demoOrg(t.db.url);
    const producer = t.app.get(BatchProducer);
    const batches: number[] = [];
    for (let i = 0; i < 3; i++) {
      const items = letters(1_200, (n) => ({
        folderId: n % 3 === 0 ? org.finance : undefined,
        documentTypeId: n % 4 === 0 ? org.type : undefined,
      }));
      batches.push(await insertBatch(t.db.url, org.id, items, { createdBy: org.admin }));
    }
    const writers = 4;
    const work = [
      ...Array.from({ length: writers }, (_, me) => writer(t.db.url, world, me, writers, 60)),
      (async () => {
        for (const id of batches) expect(await producer.enqueue(id)).toBe(true);
        for (const id of batches) {
          const b = await waitForBatch(t.db.url, id);
          expect(b.status).toBe('completed');
        }
        // A deleted batch sets its documents' batch_id to NULL (an UPDATE through the FK);
        // it may meet a writer in a lock cycle: then again.
        for (;;) {
          try {
            await sql(t.db.url, 'DELETE FROM batches WHERE id = $1', [batches[0]]);
            break;
          } catch (e) {
            if ((e as { code?: string }).code !== '40P01') throw e;
          }
        }
      })(),
    ];
    await Promise.all(work);
    const [{ deltas }] = await sql<{ deltas: number }>(
      t.db.url,
      'SELECT count(*)::int AS deltas FROM document_value_deltas',
    );
    // Whatever the compactor has folded in so far: both halves are summed.
    expect(await differences(t.db.url)).toEqual([]);
    const [{ documents }] = await sql<{ documents: number }>(
      t.db.url,
      `SELECT count(*)::int AS documents FROM documents WHERE batch_id = ANY($1::bigint[])`,
      [batches.slice(1)],
    );
    expect(documents).toBeGreaterThan(0);
    // Compacting leaves one row per key and the same sums.
    const before = await keptCounts(t.db.url);
    const folded = await compactNow(compactor);
    expect(folded.deltas).toBeLessThanOrEqual(deltas);
    expect(await keptCounts(t.db.url)).toEqual(before);
    const [{ rows, keys }] = await sql<{ rows: number; keys: number }>(
      t.db.url,
      `SELECT count(*)::int AS rows, count(DISTINCT (organization_id, folder_id, column_key, value))::int AS keys
       FROM ${kept.relation}`,
    );
    expect(rows).toBe(keys);
    expect(await differences(t.db.url)).toEqual([]);
  });

  it('count every declared column and only those (the triggers and the grid agree)', async () => {
    const rows = await sql<{ column_key: string }>(
      t.db.url,
      `SELECT DISTINCT column_key FROM ${kept.relation} ORDER BY 1`,
    );
    expect(rows.map((r) => r.column_key)).toEqual([...kept.columns].sort());
  });

  it('are backfilled from existing rows by the migration', async () => {
    const migration = new DocumentValueCounts1765500000000();
    const c = new Client({ connectionString: t.db.url });
    await c.connect();
    try {
      const runner = { query: (text: string) => c.query(text) } as unknown as QueryRunner;
      await c.query('BEGIN');
      await migration.down(runner);
      await migration.up(runner);
      await c.query('COMMIT');
    } finally {
      await c.end();
    }
    const [{ deltas }] = await sql<{ deltas: number }>(
      t.db.url,
      'SELECT count(*)::int AS deltas FROM document_value_deltas',
    );
    expect(deltas).toBe(0);
    expect((await keptCounts(t.db.url)).size).toBeGreaterThan(10);
    expect(await differences(t.db.url)).toEqual([]);
  });

  it('follow an organization deletion (its cascade) and a TRUNCATE', async () => {
    // The API deletes only empty organizations; the cascade still reaches documents.
    const [{ id: gone }] = await sql<{ id: number }>(
      t.db.url,
      `INSERT INTO organizations (name, slug) VALUES ('Gone', 'gone') RETURNING id`,
    );
    await sql(
      t.db.url,
      `WITH f AS (
         INSERT INTO folders (id, organization_id, name, path, depth)
         VALUES (900001, $1, 'Doomed', ARRAY[900001]::bigint[], 0) RETURNING id, organization_id
       )
       INSERT INTO documents (organization_id, folder_id, title, status)
       SELECT f.organization_id, f.id, 'Doomed ' || g, 'draft' FROM f, generate_series(1, 25) g`,
      [gone],
    );
    await compactNow(compactor);
    expect((await keptCounts(t.db.url)).size).toBeGreaterThan(0);
    expect(await differences(t.db.url)).toEqual([]);
    await sql(t.db.url, 'DELETE FROM organizations WHERE id = $1', [gone]);
    expect(await differences(t.db.url)).toEqual([]);
    await compactNow(compactor);
    const left = await sql(t.db.url, `SELECT 1 FROM ${kept.relation} WHERE organization_id = $1`, [
      gone,
    ]);
    expect(left).toEqual([]);
    await sql(t.db.url, 'TRUNCATE documents CASCADE');
    expect(await keptCounts(t.db.url)).toEqual(new Map());
  });
});
