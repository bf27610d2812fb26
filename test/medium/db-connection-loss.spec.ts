import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { RequestContext } from '../../src/core/context/request-context.service';
import { Concurrency } from '../../src/core/database/concurrency.service';
import { ConnectionLostError } from '../../src/core/database/database.errors';
import type { Queryable } from '../../src/core/database/db.service';
import { Db } from '../../src/core/database/db.service';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

/**
 * What happens when PostgreSQL kills the app's connections (pg_terminate_backend,
 * the same signal a server restart sends). Also holds through PgBouncer
 * (TEST_PGBOUNCER_URL): a server connection that dies under a statement or
 * transaction takes the client connection with it.
 */
describe('Db when connections die', () => {
  let t: TestApp;
  let db: Db;
  let admin: Client;
  const name = `prdb-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    t = await startTestApp({ DB_POOL_MAX: '3', DB_APPLICATION_NAME: name });
    db = t.app.get(Db);
    admin = new Client({ connectionString: t.db.url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await t.close();
  });

  /** Terminates the backend running a statement that contains marker, once it shows up. */
  async function terminateRunning(marker: string): Promise<void> {
    for (let i = 0; i < 500; i++) {
      const { rows } = await admin.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
         WHERE state = 'active' AND query LIKE '%' || $1 || '%' AND pid <> pg_backend_pid()`,
        [marker],
      );
      if (rows.some((r) => r.ok)) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no running statement with ${marker}`);
  }

  async function terminateAllOfApp(): Promise<number> {
    const { rows } = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [name],
    );
    return rows.length;
  }

  it('survives a connection dying while checked out between statements, and drops it', async () => {
    const dropped = db.stats.droppedConnections;
    let failure: unknown;
    await db.withClient(async (q) => {
      // In a transaction, so that behind PgBouncer too the client is tied to this backend.
      await q.query('BEGIN');
      const [{ pid }] = await q.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // Give the client time to hear about it: pg then emits 'error' with no statement running.
      await new Promise((r) => setTimeout(r, 200));
      failure = await q.query('SELECT 1').catch((e: unknown) => e);
    });
    expect(failure).toBeInstanceOf(ConnectionLostError);
    expect(db.stats.droppedConnections).toBeGreaterThan(dropped);
    await expect(db.query('SELECT 1 AS one')).resolves.toEqual([{ one: 1 }]);
  });

  it('sends a read once more on a fresh connection when its connection dies under it', async () => {
    const retries = db.stats.retries;
    const marker = `read_${randomBytes(4).toString('hex')}`;
    const read = db.query<{ x: number }>(`SELECT 7 AS x, pg_sleep(0.3) AS ${marker}`);
    await terminateRunning(marker);
    await expect(read).resolves.toEqual([{ x: 7, [marker]: '' }]);
    expect(db.stats.retries).toBe(retries + 1);
  });

  it('does not send a write again: the caller gets ConnectionLostError (503) and nothing is written', async () => {
    const retries = db.stats.retries;
    const marker = `write_${randomBytes(4).toString('hex')}`;
    const write = db.query(
      `INSERT INTO app_meta (key, value, updated_on)
       SELECT '${marker}', 'x', now() FROM pg_sleep(0.3)`,
    );
    await terminateRunning(marker);
    await expect(write).rejects.toBeInstanceOf(ConnectionLostError);
    expect(db.stats.retries).toBe(retries);
    expect((await admin.query('SELECT 1 FROM app_meta WHERE key = $1', [marker])).rows).toEqual([]);
  });

  it('does not repeat a transaction whose connection died', async () => {
    const marker = `tx_${randomBytes(4).toString('hex')}`;
    const tx = db.transaction(async (q) => {
      await q.query(
        `INSERT INTO app_meta (key, value, updated_on) VALUES ('${marker}', 'x', now())`,
      );
      await q.query(`SELECT pg_sleep(0.3) AS ${marker}`);
    });
    await terminateRunning(marker);
    await expect(tx).rejects.toBeInstanceOf(ConnectionLostError);
    expect((await admin.query('SELECT 1 FROM app_meta WHERE key = $1', [marker])).rows).toEqual([]);
  });

  it('runs a loader again on a fresh connection when its connection dies under it', async () => {
    const ctx = t.app.get(RequestContext);
    const concurrency = t.app.get(Concurrency);
    const marker = `load_${randomBytes(4).toString('hex')}`;
    let runs = 0;
    const load = ctx.run(() =>
      concurrency.all([
        async (q: Queryable) => {
          runs++;
          return (await q.query<{ x: number }>(`SELECT 5 AS x FROM pg_sleep(0.3) AS ${marker}`))[0]
            .x;
        },
      ] as const),
    );
    await terminateRunning(marker);
    await expect(load).resolves.toEqual([5]);
    expect(runs).toBe(2);
  });

  it('answers the next statements after every connection of the app was terminated', async () => {
    await Promise.all([db.query('SELECT 1'), db.query('SELECT 1'), db.query('SELECT 1')]);
    expect(await terminateAllOfApp()).toBeGreaterThan(0);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => db.query<{ one: number }>('SELECT 1 AS one')),
    );
    expect(answers).toEqual(Array.from({ length: 10 }, () => [{ one: 1 }]));
  });
});
