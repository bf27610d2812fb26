import { ConfigError, loadConfig } from '../../src/core/config/config.schema';
import { enforceServerBudget } from '../../src/core/database/server-budget';
import { sql } from '../support/fixtures';
import type { TestDatabase } from '../support/test-db';
import { createTestDatabase } from '../support/test-db';

describe('enforceServerBudget (start-up check against the real server)', () => {
  let db: TestDatabase;
  let grantable: number;
  let maxConnections: number;
  beforeAll(async () => {
    db = await createTestDatabase();
    const [r] = await sql<{ max: number; su: number }>(
      db.url,
      `SELECT current_setting('max_connections')::int AS max,
              current_setting('superuser_reserved_connections')::int AS su`,
    );
    maxConnections = r.max;
    grantable = r.max - r.su;
  });
  afterAll(async () => db.drop());

  const cfg = (env: Record<string, string>) =>
    loadConfig({ NODE_ENV: 'test', DATABASE_URL: db.url, ...env });

  it('lets a budget the server can honour start, and says so', async () => {
    const said: string[] = [];
    const limits = await enforceServerBudget(
      cfg({ DB_MAX_CONNECTIONS: String(grantable) }),
      db.url,
      (m) => said.push(m),
    );
    expect(limits?.maxConnections).toBe(maxConnections);
    expect(said).toEqual([expect.stringContaining(`of ${grantable} the server grants`)]);
  });

  it('refuses a budget above max_connections less the reserve, with the numbers', async () => {
    const run = enforceServerBudget(cfg({ DB_MAX_CONNECTIONS: String(grantable + 1) }), db.url);
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toThrow(
      `DB_MAX_CONNECTIONS: got ${grantable + 1}, but the database server grants this application at most ${grantable}`,
    );
    await expect(run).rejects.toThrow(`max_connections (${maxConnections})`);
  });

  it('does not ask the server behind PgBouncer (PgBouncer grants the connections there)', async () => {
    const unreachable = 'postgres://nobody@127.0.0.1:1/none';
    await expect(
      enforceServerBudget(
        loadConfig({
          NODE_ENV: 'test',
          DATABASE_URL: unreachable,
          USE_PGBOUNCER: 'true',
          DB_MAX_CONNECTIONS: '100000',
        }),
        unreachable,
      ),
    ).resolves.toBeUndefined();
  });
});
