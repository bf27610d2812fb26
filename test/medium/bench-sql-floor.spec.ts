import { Client } from 'pg';
import { pgTypes } from '../../src/core/database/pg-types';
import { inlineParams } from '../../bench/sql-floor';
import type { TestDatabase } from '../support/test-db';
import { createTestDatabase } from '../support/test-db';

/**
 * The benchmark's SQL floor runs the API's statements with their parameters
 * inlined as literals: they must select exactly what the parameterized
 * statements select, with the types PostgreSQL infers for the parameters.
 */
describe('bench SQL floor: inlined parameters', () => {
  let db: TestDatabase;
  let c: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    c = new Client({ connectionString: db.url, types: pgTypes });
    await c.connect();
    await c.query(`
      CREATE TEMP TABLE t (id bigint PRIMARY KEY, folder_id bigint, title text, created_on timestamptz, day date, flag boolean);
      INSERT INTO t SELECT g, g % 7, 'doc ' || g || CASE WHEN g = 5 THEN ' it''s \\ odd' ELSE '' END,
        timestamptz '2025-01-01 00:00:00.123456+00' + g * interval '1 hour', date '2025-01-01' + g, g % 2 = 0
      FROM generate_series(1, 200) g;`);
  });
  afterAll(async () => {
    await c.end();
    await db.drop();
  });

  const cases: [string, string, unknown[]][] = [
    [
      'scope, keyset and a date range',
      `SELECT id, title, created_on FROM t WHERE folder_id = ANY($1::bigint[]) AND day BETWEEN $2 AND $3
       AND (created_on, id) < ($4, $5) ORDER BY created_on DESC, id DESC LIMIT 51`,
      [['1', '2', '3'], '2025-01-10', '2025-06-01', '2025-01-05 10:00:00.123456+00', 130],
    ],
    [
      'text with a quote and a backslash, booleans and null',
      `SELECT id FROM t WHERE (title = $1 OR title ILIKE $2) AND flag = $3 AND $4::text IS NULL ORDER BY id`,
      ["doc 5 it's \\ odd", '%doc 1_%', 'true', null],
    ],
    [
      'value discovery with a count',
      `SELECT folder_id AS value, count(*)::int AS count FROM t WHERE id > $1 GROUP BY 1 ORDER BY 2 DESC, 1`,
      [50],
    ],
  ];

  it.each(cases)('%s: same rows', async (_name, sql, params) => {
    const bound = await c.query(sql, params);
    const inlined = await c.query(inlineParams(sql, params));
    expect(bound.rows.length).toBeGreaterThan(0);
    expect(inlined.rows).toEqual(bound.rows);
  });
});
