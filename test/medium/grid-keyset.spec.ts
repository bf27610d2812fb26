import { Client } from 'pg';
import { pgTypes } from '../../src/core/database/pg-types';
import type { GridSqlContext } from '../../src/core/grid/grid-query.builder';
import { buildRowsQuery, toPage } from '../../src/core/grid/grid-query.builder';
import { parseGridQuery, withTieBreaker } from '../../src/core/grid/grid-query.parser';
import type { GridColumn, SortTerm } from '../../src/core/grid/grid.types';
import { sampleGrid } from '../support/sample-grid';
import type { TestDatabase } from '../support/test-db';
import { createTestDatabase } from '../support/test-db';

/**
 * The engine's ORDER BY and keyset predicates, run by PostgreSQL over rows full
 * of ties and nulls: for every sort, paging one row at a time by cursor must
 * give exactly the order of the whole result, and that order must be the one
 * the sort promises (nulls last, id as tie-breaker).
 */

type Row = Record<string, unknown>;
const limits = { defaultLimit: 50, maxLimit: 500, maxOffset: 5000 };
const ctx: GridSqlContext = {
  scope: { text: 's.organization_id = $1', values: [1] },
};
const SORTABLE = ['name', 'amount', 'active', 'status', 'due', 'createdOn', 'rank', 'id'];
const NULLABLE = new Set(['amount', 'due', 'rank']);

/** JavaScript's reading of the order the sort promises (values here compare as their text). */
function compare(a: Row, b: Row, sort: SortTerm[]): number {
  for (const t of sort) {
    const key = t.column === 'rank' ? '__rank' : t.column;
    const x = a[key] as string | number | boolean | null;
    const y = b[key] as string | number | boolean | null;
    if (x === y) continue;
    if (x === null) return 1; // nulls last in both directions
    if (y === null) return -1;
    const c =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : String(x) < String(y)
          ? -1
          : String(x) > String(y)
            ? 1
            : 0;
    if (c !== 0) return t.direction === 'asc' ? c : -c;
  }
  return 0;
}

function sorts(): SortTerm[][] {
  const out: SortTerm[][] = [];
  const dirs = ['asc', 'desc'] as const;
  for (const a of SORTABLE) {
    for (const da of dirs) {
      out.push([{ column: a, direction: da }]);
      for (const b of SORTABLE) {
        if (b === a || b === 'id') continue;
        for (const db of dirs) {
          out.push([
            { column: a, direction: da },
            { column: b, direction: db },
          ]);
        }
      }
    }
  }
  return out;
}

describe('grid keyset paging in PostgreSQL', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url, types: pgTypes });
    await client.connect();
    // A schema of its own: the migrated database has a users table of another shape.
    await client.query('CREATE SCHEMA grid_sample; SET search_path = grid_sample');
    await client.query(`
      CREATE TABLE samples (
        id bigint PRIMARY KEY, organization_id bigint NOT NULL, team bigint, name text NOT NULL,
        note text, amount numeric, active boolean NOT NULL, status text NOT NULL,
        owner_id bigint, due date, created_on timestamptz NOT NULL, rank integer,
        secret text, code text)`);
    await client.query(`CREATE TABLE users (id bigint PRIMARY KEY, name text)`);
    // 40 rows of organization 1 with many ties and nulls, and rows of organization 2 around them.
    await client.query(`
      INSERT INTO samples
      SELECT g, CASE WHEN g % 9 = 0 THEN 2 ELSE 1 END, NULL,
             (ARRAY['alpha', 'beta', 'gamma'])[1 + g % 3],
             NULL,
             CASE WHEN g % 4 = 0 THEN NULL ELSE (g % 5) * 1.5 END,
             g % 2 = 0,
             (ARRAY['open', 'closed', 'on_hold'])[1 + g % 3],
             NULL,
             CASE WHEN g % 3 = 0 THEN NULL ELSE DATE '2025-01-01' + (g % 4) END,
             TIMESTAMPTZ '2025-01-01 00:00:00+00' + (g % 6) * interval '1 hour',
             CASE WHEN g % 5 = 0 THEN NULL ELSE g % 3 END,
             NULL, NULL
      FROM generate_series(1, 45) g`);
  });

  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  async function page(raw: Record<string, string>): Promise<ReturnType<typeof toPage>> {
    const q = parseGridQuery(sampleGrid, raw, limits);
    const sql = buildRowsQuery(sampleGrid, q, ctx);
    const rows = (await client.query<Row>(sql.text, sql.values)).rows;
    // Keep the hidden sort value for the comparison before toPage removes it.
    for (const r of rows) r.__rank = r.__sort_rank ?? null;
    return toPage(sampleGrid, q, rows);
  }

  it('has the ties and nulls this test is about', async () => {
    const { rows } = await client.query<{ n: number; nulls: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE amount IS NULL AND due IS NULL)::int AS nulls
       FROM samples WHERE organization_id = 1`,
    );
    expect(rows[0]).toEqual({ n: 40, nulls: expect.any(Number) });
    expect(rows[0].nulls).toBeGreaterThan(0);
  });

  it.each(
    sorts().map((s) => [s.map((t) => (t.direction === 'desc' ? '-' : '') + t.column).join(',')]),
  )(
    'sort=%s: the whole order is the promised one, and cursor paging repeats and misses nothing',
    async (sortParam) => {
      const whole = await page({ sort: sortParam, limit: '500' });
      expect(whole.data).toHaveLength(40);
      expect(whole.page.hasMore).toBe(false);
      const fullSort = withTieBreaker(sampleGrid, whole.sort);
      const ids = whole.data.map((r) => r.id);
      const expected = [...whole.data].sort((a, b) => compare(a, b, fullSort)).map((r) => r.id);
      expect(ids).toEqual(expected);
      for (const t of fullSort) {
        if (!NULLABLE.has(t.column)) continue;
        // Nulls last: once a null is seen in the leading column, no value follows.
        if (t !== fullSort[0]) break;
        const key = t.column === 'rank' ? '__rank' : t.column;
        const firstNull = whole.data.findIndex((r) => r[key] === null);
        expect(firstNull).toBeGreaterThan(0);
        expect(whole.data.slice(firstNull).every((r) => r[key] === null)).toBe(true);
      }

      const paged: unknown[] = [];
      let cursor: string | null = null;
      for (let i = 0; i < 60; i++) {
        const p: ReturnType<typeof toPage> = await page({
          sort: sortParam,
          limit: i % 2 === 0 ? '1' : '3',
          ...(cursor ? { cursor } : {}),
        });
        paged.push(...p.data.map((r) => r.id));
        cursor = p.page.nextCursor;
        if (!cursor) break;
      }
      expect(paged).toEqual(ids);
    },
  );
});

/**
 * A page merged partition by partition (a scope that lists a few partitions,
 * an order their index serves) must be the very page the walk under the whole
 * scope gives: same rows, same order, same cursors, at every offset.
 */
describe('grid pages merged from partitions in PostgreSQL', () => {
  let db: TestDatabase;
  let client: Client;
  const grid = {
    ...sampleGrid,
    partitionedBy: { column: 'ownerId', orders: [[...sampleGrid.defaultSort]] },
  };
  const scope = {
    text: 's.organization_id = $1 AND s.owner_id = ANY($2::bigint[])',
    values: [1, [1, 2, 4]],
  };
  const walked: GridSqlContext = { scope };
  const merged: GridSqlContext = {
    scope: {
      ...scope,
      within: [
        { sql: 's.organization_id', values: [1] },
        { sql: 's.owner_id', values: [1, 2, 4] },
      ],
    },
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url, types: pgTypes });
    await client.connect();
    await client.query('CREATE SCHEMA grid_parted; SET search_path = grid_parted');
    await client.query(`
      CREATE TABLE samples (
        id bigint PRIMARY KEY, organization_id bigint NOT NULL, team bigint, name text NOT NULL,
        note text, amount numeric, active boolean NOT NULL, status text NOT NULL,
        owner_id bigint NOT NULL, due date, created_on timestamptz NOT NULL, rank integer,
        secret text, code text);
      CREATE INDEX ON samples (owner_id, created_on DESC, id DESC);
      CREATE TABLE users (id bigint PRIMARY KEY, name text)`);
    // 5 owners, organization 2 among them, created_on full of ties across owners.
    await client.query(`
      INSERT INTO samples
      SELECT g, 1 + (g % 7 = 0)::int, NULL, 'n' || g % 4, NULL, NULL, g % 2 = 0, 'open',
             1 + g % 5, NULL, TIMESTAMPTZ '2025-01-01 00:00:00+00' + (g % 11) * interval '1 minute',
             NULL, NULL, NULL
      FROM generate_series(1, 120) g`);
  });

  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  async function page(ctx: GridSqlContext, raw: Record<string, string>) {
    const q = parseGridQuery(grid, raw, limits);
    const sql = buildRowsQuery(grid, q, ctx);
    const rows = (await client.query<Row>(sql.text, sql.values)).rows;
    return { sql: sql.text, page: toPage(grid, q, rows) };
  }

  it.each([['-createdOn,-id'], ['createdOn,id']])(
    'sort=%s: every offset and every cursor step gives the walk page',
    async (sort) => {
      let cursorWalk: string | null = null;
      let cursorMerge: string | null = null;
      const seen: unknown[] = [];
      for (let i = 0; i < 40; i++) {
        const step = { sort, limit: String(1 + (i % 4)) };
        const w = await page(walked, { ...step, ...(cursorWalk ? { cursor: cursorWalk } : {}) });
        const m = await page(merged, { ...step, ...(cursorMerge ? { cursor: cursorMerge } : {}) });
        expect(m.sql).toContain('UNION ALL');
        expect(w.sql).not.toContain('UNION ALL');
        expect(m.page).toEqual(w.page);
        seen.push(...m.page.data.map((r) => r.id));
        cursorWalk = w.page.page.nextCursor;
        cursorMerge = m.page.page.nextCursor;
        if (!cursorWalk) break;
      }
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM samples WHERE organization_id = 1 AND owner_id IN (1, 2, 4)',
      );
      expect(new Set(seen).size).toBe(rows[0].n);
      expect(seen).toHaveLength(rows[0].n);
      for (const offset of ['1', '7', '30', '60']) {
        const w = await page(walked, { sort, limit: '9', offset });
        const m = await page(merged, { sort, limit: '9', offset });
        expect(m.page).toEqual(w.page);
      }
    },
  );
});

/**
 * A label sort walked reference by reference (ref.walk) must be the very
 * order the plain label sort gives (a sort of the whole scope by the label
 * subquery): ties of names across owners, owners without rows, rows without an
 * owner last, every cursor step and offset, both directions.
 */
describe('label sorts walked by reference in PostgreSQL', () => {
  let db: TestDatabase;
  let client: Client;
  const owner = sampleGrid.columns.find((c) => c.key === 'ownerId') as GridColumn;
  const withOwner = (walk: boolean) => ({
    ...sampleGrid,
    columns: sampleGrid.columns.map((c) =>
      c === owner
        ? {
            ...c,
            sortable: true,
            ref: {
              ...c.ref!,
              ...(walk
                ? { walk: { table: 'users', label: 'name', tenant: 'organization_id' } }
                : {}),
            },
          }
        : c,
    ),
  });
  const walked = withOwner(true);
  const sorted = withOwner(false);
  // tenant: the walk reads organization 1's owners only (8 and 9 are another's).
  const scope: GridSqlContext = {
    scope: { text: 's.organization_id = $1', values: [1], tenant: 1 },
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url, types: pgTypes });
    await client.connect();
    await client.query('CREATE SCHEMA grid_walk; SET search_path = grid_walk');
    await client.query(`
      CREATE TABLE samples (
        id bigint PRIMARY KEY, organization_id bigint NOT NULL, team bigint, name text NOT NULL,
        note text, amount numeric, active boolean NOT NULL, status text NOT NULL,
        owner_id bigint, due date, created_on timestamptz NOT NULL, rank integer,
        secret text, code text);
      CREATE INDEX ON samples (owner_id, created_on DESC, id DESC);
      CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL, organization_id bigint NOT NULL);
      INSERT INTO users SELECT g, (ARRAY['Ann', 'Bob', 'ann', 'Cy'])[1 + g % 4], 1 + (g > 7)::int
      FROM generate_series(1, 9) g`);
    // Owners 1–7 (8 and 9 own nothing), one row in six without an owner, ties in created_on.
    await client.query(`
      INSERT INTO samples
      SELECT g, 1 + (g % 13 = 0)::int, NULL, 'n', NULL, NULL, true, 'open',
             CASE WHEN g % 6 = 0 THEN NULL ELSE 1 + g % 7 END, NULL,
             TIMESTAMPTZ '2025-01-01 00:00:00+00' + (g % 5) * interval '1 minute', NULL, NULL, NULL
      FROM generate_series(1, 90) g`);
  });

  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  async function page(grid: typeof walked, raw: Record<string, string>) {
    const q = parseGridQuery(grid, raw, limits);
    const sql = buildRowsQuery(grid, q, scope);
    const rows = (await client.query<Row>(sql.text, sql.values)).rows;
    return { sql: sql.text, page: toPage(grid, q, rows) };
  }

  it.each([['ownerId'], ['-ownerId']])(
    'sort=%s: every cursor step and offset gives the plain label sort page',
    async (sort) => {
      let cursorA: string | null = null;
      let cursorB: string | null = null;
      const seen: unknown[] = [];
      for (let i = 0; i < 60; i++) {
        const step = { sort, limit: String(1 + (i % 5)) };
        const a = await page(walked, { ...step, ...(cursorA ? { cursor: cursorA } : {}) });
        const b = await page(sorted, { ...step, ...(cursorB ? { cursor: cursorB } : {}) });
        expect(a.sql).toContain('CROSS JOIN LATERAL');
        expect(a.sql).toMatch(/x\.organization_id = \$\d+::bigint/);
        expect(b.sql).not.toContain('CROSS JOIN LATERAL');
        expect(a.page).toEqual(b.page);
        seen.push(...a.page.data.map((r) => r.id));
        cursorA = a.page.page.nextCursor;
        cursorB = b.page.page.nextCursor;
        if (!cursorA) break;
      }
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM samples WHERE organization_id = 1',
      );
      expect(seen).toHaveLength(rows[0].n);
      expect(new Set(seen).size).toBe(rows[0].n);
      for (const offset of ['1', '10', '40', '70', '82']) {
        const a = await page(walked, { sort, limit: '7', offset });
        const b = await page(sorted, { sort, limit: '7', offset });
        expect(a.page).toEqual(b.page);
      }
    },
  );
});
