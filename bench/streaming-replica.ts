import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort } from './child-process';

/**
 * A real PostgreSQL streaming replica of a local server, for the read-replica
 * tests and the replica bench: `pg_basebackup -R` (with a replication slot of its own, so no WAL it
 * needs is recycled meanwhile) into a temporary folder, started with the
 * server's own `pg_ctl` on a free port, as the `postgres` user when running as
 * root. `stop()` removes the folder and the slot.
 *
 * The test server must accept replication connections from 127.0.0.1 without a
 * password (wal_level replica or logical, max_wal_senders > 0, a `host
 * replication all 127.0.0.1/32 trust` line in pg_hba.conf): `.ci/run` sets it
 * up; elsewhere `requireReplication()` says what is missing.
 */
export interface StreamingReplica {
  port: number;
  /** The replica's URL for one database (CREATE DATABASE on the primary reaches it by WAL). */
  url(database: string): string;
  /** One statement on the replica (its postgres database unless `database`). */
  query<T extends Record<string, unknown>>(
    text: string,
    params?: unknown[],
    database?: string,
  ): Promise<T[]>;
  /** Waits until `database` (created on the primary) can be opened on the replica. */
  waitForDatabase(database: string): Promise<void>;
  /** Waits until the replica has replayed everything the primary has written so far. */
  catchUp(): Promise<void>;
  /** Stops it at once (as a crash would); the folder stays until stop(). */
  kill(): void;
  stop(): Promise<void>;
}

const SLOT_PREFIX = 'postroom_replica_';

async function onPrimary<T extends Record<string, unknown>>(
  adminUrl: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end();
  }
}

/** Fails with what to change when the test server cannot feed a streaming replica. */
/** `adminUrl`: a superuser on the primary (its postgres database). */
export async function requireReplication(adminUrl: string): Promise<{ binDir: string }> {
  const [s] = await onPrimary<{
    wal_level: string;
    senders: number;
    version: number;
    rules: number;
  }>(
    adminUrl,
    `SELECT current_setting('wal_level') AS wal_level,
            current_setting('max_wal_senders')::int AS senders,
            current_setting('server_version_num')::int AS version,
            (SELECT count(*)::int FROM pg_hba_file_rules
             WHERE 'replication' = ANY(database) AND auth_method = 'trust'
               AND (type = 'local' OR address IN ('127.0.0.1', 'all', '0.0.0.0'))) AS rules`,
  );
  const problems: string[] = [];
  if (s.wal_level === 'minimal') problems.push('wal_level is minimal (needs replica)');
  if (s.senders < 1) problems.push('max_wal_senders is 0');
  if (s.rules < 1) {
    problems.push(
      'pg_hba.conf has no trusted replication line (add `host replication all 127.0.0.1/32 trust` and reload)',
    );
  }
  const major = Math.floor(s.version / 10_000);
  const binDir = `/usr/lib/postgresql/${major}/bin`;
  if (!existsSync(join(binDir, 'pg_ctl')) || !existsSync(join(binDir, 'pg_basebackup'))) {
    problems.push(`no pg_ctl / pg_basebackup in ${binDir} (the server's version is ${major})`);
  }
  if (problems.length > 0) {
    throw new Error(
      `the test PostgreSQL cannot feed a streaming replica: ${problems.join('; ')}. ` +
        '.ci/run prepares it (see the README, "Read replicas").',
    );
  }
  return { binDir };
}

/** Runs a command, as the postgres user when this process is root (PostgreSQL refuses root). */
function runAsPostgres(cmd: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const quoted = [cmd, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  try {
    if (asRoot) execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], { stdio: 'pipe' });
    else execFileSync(cmd, args, { stdio: 'pipe' });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`${cmd} failed: ${err.stderr?.toString().trim() || err.message}`);
  }
}

/** Replication slots of replicas whose test run died before dropping them (inactive, an hour old). */
async function dropStaleSlots(adminUrl: string): Promise<void> {
  const slots = await onPrimary<{ slot_name: string }>(
    adminUrl,
    `SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE $1 AND NOT active`,
    [`${SLOT_PREFIX}%`],
  );
  const cutoff = Date.now() / 1000 - 3600;
  for (const { slot_name } of slots) {
    const created = Number(new RegExp(`^${SLOT_PREFIX}(\\d+)_`).exec(slot_name)?.[1] ?? 0);
    if (created < cutoff) {
      await onPrimary(adminUrl, 'SELECT pg_drop_replication_slot($1)', [slot_name]).catch(
        () => undefined,
      );
    }
  }
}

export async function startReplica(adminUrl: string): Promise<StreamingReplica> {
  const { binDir } = await requireReplication(adminUrl);
  await dropStaleSlots(adminUrl);
  const primary = new URL(adminUrl);
  const dir = mkdtempSync(join(tmpdir(), 'postroom-replica-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  chmodSync(dir, 0o700);
  const slot = `${SLOT_PREFIX}${Math.floor(Date.now() / 1000)}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  let started = false;
  const cleanup = async () => {
    if (started) {
      try {
        runAsPostgres(join(binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped (kill())
      }
    }
    // The walsender lets go of the slot a moment after the replica went away.
    for (let i = 0; i < 50; i++) {
      const [r] = await onPrimary<{ active: boolean | null }>(
        adminUrl,
        'SELECT (SELECT active FROM pg_replication_slots WHERE slot_name = $1) AS active',
        [slot],
      );
      if (r.active === null) break;
      if (!r.active) {
        await onPrimary(adminUrl, 'SELECT pg_drop_replication_slot($1)', [slot]).catch(
          () => undefined,
        );
        break;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    runAsPostgres(join(binDir, 'pg_basebackup'), [
      '-R',
      '-c',
      'fast',
      '-X',
      'stream',
      '-C',
      '-S',
      slot,
      '-D',
      data,
      '-h',
      primary.hostname,
      '-p',
      primary.port || '5432',
      '-U',
      decodeURIComponent(primary.username || 'postgres'),
    ]);
    // A standby needs these at least as high as its primary's.
    const [limits] = await onPrimary<Record<string, string>>(
      adminUrl,
      `SELECT current_setting('max_connections') AS max_connections,
              current_setting('max_worker_processes') AS max_worker_processes,
              current_setting('max_wal_senders') AS max_wal_senders,
              current_setting('max_prepared_transactions') AS max_prepared_transactions,
              current_setting('max_locks_per_transaction') AS max_locks_per_transaction`,
    );
    // Debian keeps the configuration outside the data folder: the replica gets its own.
    const conf = [
      ...Object.entries(limits).map(([k, v]) => `${k} = ${v}`),
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'hot_standby = on',
      "shared_buffers = '16MB'",
      'fsync = off',
      'logging_collector = off',
    ].join('\n');
    writeFileSync(join(data, 'postgresql.conf'), `${conf}\n`);
    writeFileSync(
      join(data, 'pg_hba.conf'),
      'local all all trust\nhost all all 127.0.0.1/32 trust\n',
    );
    writeFileSync(join(data, 'pg_ident.conf'), '');
    if (asRoot) {
      for (const f of ['postgresql.conf', 'pg_hba.conf', 'pg_ident.conf']) {
        execFileSync('chown', ['postgres:postgres', join(data, f)]);
      }
    }
    started = true;
    runAsPostgres(join(binDir, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-t',
      '60',
      'start',
    ]);
  } catch (e) {
    const log = join(dir, 'log');
    const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
    await cleanup();
    throw tail ? new Error(`${(e as Error).message}\nreplica log:\n${tail}`) : e;
  }

  const url = (database: string) => {
    const u = new URL(adminUrl);
    u.hostname = '127.0.0.1';
    u.port = String(port);
    u.pathname = `/${database}`;
    return u.toString();
  };
  const query = async <T extends Record<string, unknown>>(
    text: string,
    params: unknown[] = [],
    database = 'postgres',
  ): Promise<T[]> => {
    const c = new Client({ connectionString: url(database) });
    await c.connect();
    try {
      return (await c.query<T>(text, params)).rows;
    } finally {
      await c.end();
    }
  };
  return {
    port,
    url,
    query,
    async waitForDatabase(database) {
      for (let i = 0; ; i++) {
        try {
          await query('SELECT 1', [], database);
          return;
        } catch (e) {
          if (i >= 300) throw e;
          await new Promise((res) => setTimeout(res, 100));
        }
      }
    },
    async catchUp() {
      const [{ lsn }] = await onPrimary<{ lsn: string }>(
        adminUrl,
        'SELECT pg_current_wal_lsn()::text AS lsn',
      );
      for (let i = 0; ; i++) {
        const [r] = await query<{ done: boolean }>(
          'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done',
          [lsn],
        );
        if (r.done) return;
        if (i >= 600) throw new Error(`the replica did not replay up to ${lsn}`);
        await new Promise((res) => setTimeout(res, 50));
      }
    },
    kill() {
      runAsPostgres(join(binDir, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      started = false;
    },
    stop: cleanup,
  };
}
