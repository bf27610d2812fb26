import { isReadOnlySql } from './database.errors';

describe('isReadOnlySql (which statements may be sent twice)', () => {
  it.each([
    'SELECT 1',
    '  select * from documents where id = $1',
    'WITH x AS (SELECT 1) SELECT * FROM x',
    '/* grid */ SELECT count(*) FROM documents',
    'EXPLAIN (FORMAT JSON) SELECT 1 FROM documents',
    'SELECT updated_on, last_update FROM t',
  ])('retries %s', (sql) => expect(isReadOnlySql(sql)).toBe(true));

  it.each([
    'INSERT INTO t VALUES (1)',
    'UPDATE t SET a = 1',
    'WITH d AS (DELETE FROM t RETURNING id) SELECT * FROM d',
    'SELECT * FROM t FOR UPDATE',
    'SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED',
    "SELECT nextval('s')",
    'SELECT pg_advisory_lock(1)',
    'SELECT * INTO t2 FROM t',
    'BEGIN',
    'COMMIT',
  ])('does not retry %s', (sql) => expect(isReadOnlySql(sql)).toBe(false));
});
