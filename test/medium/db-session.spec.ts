import { Db } from '../../src/core/database/db.service';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

const timeoutOf = async (db: Db, inTransaction: boolean) => {
  const show = 'SHOW statement_timeout';
  const rows = inTransaction
    ? await db.transaction((q) => q.query<{ statement_timeout: string }>(show))
    : await db.query<{ statement_timeout: string }>(show);
  return rows[0].statement_timeout;
};

describe('session settings', () => {
  it('directly: statement_timeout comes with the connection', async () => {
    const t: TestApp = await startTestApp({ DB_STATEMENT_TIMEOUT_MS: '12000' });
    try {
      const db = t.app.get(Db);
      // Behind PgBouncer (TEST_PGBOUNCER_URL) nothing rides in the startup packet.
      expect(await timeoutOf(db, false)).toBe(t.db.viaPgbouncer ? '0' : '12s');
      expect(await timeoutOf(db, true)).toBe('12s');
    } finally {
      await t.close();
    }
  });

  it('with USE_PGBOUNCER: no session state, the timeout travels as SET LOCAL in transactions', async () => {
    const t = await startTestApp({ USE_PGBOUNCER: 'true', DB_STATEMENT_TIMEOUT_MS: '12000' });
    try {
      const db = t.app.get(Db);
      expect(await timeoutOf(db, false)).toBe('0');
      expect(await timeoutOf(db, true)).toBe('12s');
      expect(await timeoutOf(db, false)).toBe('0'); // SET LOCAL ended with the transaction
    } finally {
      await t.close();
    }
  });
});
