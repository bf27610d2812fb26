/** Environment the global setup hands to every test worker. */
export const TEST_ENV = {
  adminUrl: 'POSTROOM_TEST_ADMIN_URL',
  template: 'POSTROOM_TEST_TEMPLATE',
} as const;

/** The PostgreSQL server tests use unless TEST_DATABASE_URL names another. */
export const DEFAULT_TEST_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';
