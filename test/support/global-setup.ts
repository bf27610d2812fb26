import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { loadConfig } from '../../src/core/config/config.schema';
import { startEmbeddedPostgres } from '../../src/core/database/embedded-postgres';
import { runMigrations } from '../../src/core/database/migrations';
import { DEFAULT_TEST_SERVER, TEST_ENV, testPgbouncerUrl } from './test-env';

async function reachable(url: string): Promise<boolean> {
  const c = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Finds a PostgreSQL (TEST_DATABASE_URL, else the machine's, else an embedded one)
 * and makes a template database migrated to the current schema, named after a hash
 * of the migrations so that a schema change makes a new one. Each test file then
 * clones it (CREATE DATABASE … TEMPLATE), so files run in parallel.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_SERVER;
  if (!(await reachable(adminUrl))) {
    process.stdout.write(
      `\nno PostgreSQL at ${adminUrl}: starting an embedded one for the tests\n`,
    );
    const embedded = await startEmbeddedPostgres('.postroom/test-pgdata', 54339, (m) =>
      process.stdout.write(`${m}\n`),
    );
    (globalThis as Record<string, unknown>).__postroomEmbedded = embedded;
    adminUrl = withDatabase(embedded.url, 'postgres');
  }

  const bouncer = testPgbouncerUrl();
  if (bouncer) {
    if (!(await reachable(bouncer)))
      throw new Error(`TEST_PGBOUNCER_URL is set, but no PgBouncer answers at ${bouncer}`);
    process.stdout.write(`\nPgBouncer mode: pooled connections go through ${bouncer}\n`);
  }

  const dir = join(__dirname, '..', '..', 'migrations');
  const hash = createHash('sha256');
  for (const f of readdirSync(dir).sort()) hash.update(f).update(readFileSync(join(dir, f)));
  const template = `postroom_tpl_${hash.digest('hex').slice(0, 12)}`;

  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_advisory_lock(8181818)');
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      const building = `${template}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
      await admin.query(`CREATE DATABASE ${building}`);
      const cfg = loadConfig({ NODE_ENV: 'test' });
      await runMigrations(cfg, withDatabase(adminUrl, building));
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
      await admin.query(`ALTER DATABASE ${template} WITH IS_TEMPLATE true`);
    }
    // Databases of earlier runs that were killed before they could drop theirs.
    const stale = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database
       WHERE datname LIKE 'postroom_t\\_%' AND NOT EXISTS (
         SELECT 1 FROM pg_stat_activity a WHERE a.datname = pg_database.datname)`,
    );
    const cutoff = Date.now() / 1000 - 3 * 3600;
    for (const { datname } of stale.rows) {
      const created = Number(/^postroom_t_(\d+)_/.exec(datname)?.[1] ?? 0);
      if (created < cutoff) await admin.query(`DROP DATABASE IF EXISTS ${datname}`);
    }
    await admin.query('SELECT pg_advisory_unlock(8181818)');
  } finally {
    await admin.end();
  }
  process.env[TEST_ENV.adminUrl] = adminUrl;
  process.env[TEST_ENV.template] = template;
}
