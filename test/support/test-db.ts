import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TEST_ENV, testPgbouncerUrl } from './test-env';

export interface TestDatabase {
  /** Direct URL of a fresh database holding the migrated schema and no rows. */
  url: string;
  /** The URL the application's pool uses: through PgBouncer in PgBouncer mode, else `url`. */
  pooledUrl: string;
  /** True when pooledUrl goes through PgBouncer. */
  viaPgbouncer: boolean;
  name: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env[TEST_ENV.adminUrl];
  if (!url) throw new Error('test global setup did not run (no admin URL)');
  return url;
}

/**
 * Clones the migrated template into a database of this test file's own; with
 * `from`, clones that database instead (a backup to restore later: nothing may
 * be connected to it meanwhile).
 */
export async function createTestDatabase(from?: TestDatabase): Promise<TestDatabase> {
  const template = from?.name ?? process.env[TEST_ENV.template];
  if (!template) throw new Error('test global setup did not run (no template)');
  // The creation time in the name lets the global setup drop databases of killed runs, and only those.
  const name = `postroom_t_${Math.floor(Date.now() / 1000)}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  const bouncer = testPgbouncerUrl();
  let pooledUrl = u.toString();
  if (bouncer) {
    const p = new URL(bouncer);
    p.pathname = `/${name}`;
    pooledUrl = p.toString();
  }
  return {
    url: u.toString(),
    pooledUrl,
    viaPgbouncer: bouncer !== undefined,
    name,
    drop: async () => {
      const c = new Client({ connectionString: adminUrl() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
