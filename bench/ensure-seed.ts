import { Client } from 'pg';
import { join } from 'node:path';
import { NodeChild } from './child-process';
import { DIST_ROOT } from './postroom-process';

async function seededWith(databaseUrl: string): Promise<string | undefined> {
  const c = new Client({ connectionString: databaseUrl, application_name: 'postroom-bench' });
  await c.connect();
  try {
    const rows = await c.query<{ value: string }>(`SELECT value FROM app_meta WHERE key = 'seed'`);
    return rows.rows[0]?.value;
  } catch (e) {
    if ((e as { code?: string }).code === '42P01') return undefined; // not migrated yet
    throw e;
  } finally {
    await c.end();
  }
}

async function createDatabaseIfMissing(databaseUrl: string): Promise<boolean> {
  const probe = new Client({ connectionString: databaseUrl, application_name: 'postroom-bench' });
  try {
    await probe.connect();
    await probe.end();
    return false;
  } catch (e) {
    if ((e as { code?: string }).code !== '3D000') throw e; // 3D000: no such database
  }
  const u = new URL(databaseUrl);
  const name = decodeURIComponent(u.pathname.slice(1));
  u.pathname = '/postgres';
  const admin = new Client({ connectionString: u.toString(), application_name: 'postroom-bench' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
  return true;
}

/**
 * The large data set in its own database: created and seeded (the seed
 * command, with its progress bar) when missing; left alone when present.
 */
export async function ensureLargeSeed(
  databaseUrl: string,
  say: (m: string) => void,
): Promise<'present' | 'seeded'> {
  if (await createDatabaseIfMissing(databaseUrl)) say('created the benchmark database');
  const present = await seededWith(databaseUrl);
  if (present === 'large') return 'present';
  say(
    present === undefined
      ? 'no data set loaded: seeding the large one (takes minutes)'
      : `the database holds the "${present}" data set, not "large": seeding`,
  );
  const env: Record<string, string> = { DATABASE_URL: databaseUrl };
  if (process.env.PATH) env.PATH = process.env.PATH;
  const seed = new NodeChild(
    'seed',
    join(DIST_ROOT, 'src', 'cli', 'seed.js'),
    ['--scale', 'large'],
    env,
  );
  // The seed's progress bar and summary go straight to the terminal.
  seed.pipeTo(process.stdout, process.stderr);
  const code = await seed.exitCode();
  if (code !== 0) throw new Error(`the seed failed (exit ${code}):\n${seed.output()}`);
  return 'seeded';
}
