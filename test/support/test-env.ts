/** Environment the global setup hands to every test worker. */
export const TEST_ENV = {
  adminUrl: 'POSTROOM_TEST_ADMIN_URL',
  template: 'POSTROOM_TEST_TEMPLATE',
} as const;

/** The PostgreSQL server tests use unless TEST_DATABASE_URL names another. */
export const DEFAULT_TEST_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * PgBouncer mode (the CI's second e2e pass): set TEST_PGBOUNCER_URL to a PgBouncer
 * in front of the test server (database name irrelevant; its config needs a
 * `* = host=… port=…` fallback so every per-file database is reachable). Pooled
 * URLs then point at it, migrations and fixtures stay direct.
 */
export function testPgbouncerUrl(): string | undefined {
  const v = process.env.TEST_PGBOUNCER_URL;
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}
