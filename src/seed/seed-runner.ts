import type { QueryResultRow } from 'pg';
import type { Client } from 'pg';
import type { Queryable } from '../core/database/db.service';
import { UtcClient } from '../core/database/pg-client';
import { pgTypes } from '../core/database/pg-types';

/** Runs fn on one direct connection (seeding is session-bound work: never through PgBouncer). */
export async function withDirectClient<T>(
  url: string,
  fn: (q: Queryable, client: Client) => Promise<T>,
): Promise<T> {
  const client = new UtcClient({
    connectionString: url,
    application_name: 'postroom-seed',
    types: pgTypes,
  });
  await client.connect();
  const q: Queryable = {
    query: async <T extends QueryResultRow>(sql: string, params: readonly unknown[] = []) =>
      (await client.query<T>(sql, params as unknown[])).rows,
  };
  try {
    return await fn(q, client);
  } finally {
    await client.end();
  }
}

/** fn in one transaction under the seed advisory lock, so that two starting processes never seed twice. */
export async function inSeedTransaction<T>(q: Queryable, fn: () => Promise<T>): Promise<T> {
  await q.query('BEGIN');
  try {
    await q.query('SELECT pg_advisory_xact_lock(7272727)');
    const result = await fn();
    await q.query('COMMIT');
    return result;
  } catch (e) {
    await q.query('ROLLBACK');
    throw e;
  }
}
