import { Client } from 'pg';
import type { AppConfig, DatabaseConfig } from '../config/config.schema';
import { ConfigError, redact } from '../config/config.schema';
import { applicationName } from './data-source.options';
import { DatabaseUnavailableError } from './database.errors';
import { asReplicaCheck, replicaBudgetConfig } from './pool-budget';

/** What the PostgreSQL server lets this application's role open. */
export interface ServerLimits {
  maxConnections: number;
  superuserReservedConnections: number;
  /** PostgreSQL 16+ reserved_connections (0 before 16). */
  reservedConnections: number;
  /** The role's CONNECTION LIMIT, when it has one. */
  roleConnectionLimit: number | null;
  /** The database's CONNECTION LIMIT, when it has one. */
  databaseConnectionLimit: number | null;
}

/**
 * The connections an ordinary role may open: max_connections less the slots
 * kept for superusers (and for pg_use_reserved_connections, PostgreSQL 16+),
 * lowered by a role or database CONNECTION LIMIT. The budget never plans on
 * the superuser reserve, even when the application's role is a superuser: that
 * reserve is what lets an administrator in when everything else is taken.
 */
export function grantableConnections(s: ServerLimits): number {
  let n = s.maxConnections - s.superuserReservedConnections - s.reservedConnections;
  if (s.roleConnectionLimit !== null) n = Math.min(n, s.roleConnectionLimit);
  if (s.databaseConnectionLimit !== null) n = Math.min(n, s.databaseConnectionLimit);
  return n;
}

/** Refuses a DB_MAX_CONNECTIONS the server cannot honour, naming every number involved. */
export function checkBudgetAgainstServer(db: DatabaseConfig, s: ServerLimits): void {
  const grantable = grantableConnections(s);
  if (db.maxConnections <= grantable) return;
  const terms = [`max_connections (${s.maxConnections})`];
  terms.push(`superuser_reserved_connections (${s.superuserReservedConnections})`);
  if (s.reservedConnections > 0) terms.push(`reserved_connections (${s.reservedConnections})`);
  let why = `${terms.join(' − ')} = ${s.maxConnections - s.superuserReservedConnections - s.reservedConnections}`;
  if (s.roleConnectionLimit !== null && s.roleConnectionLimit === grantable)
    why += `, lowered to ${grantable} by the role's CONNECTION LIMIT`;
  else if (s.databaseConnectionLimit !== null && s.databaseConnectionLimit === grantable)
    why += `, lowered to ${grantable} by the database's CONNECTION LIMIT`;
  throw new ConfigError([
    `DB_MAX_CONNECTIONS: got ${db.maxConnections}, but the database server grants this application at most ` +
      `${grantable} connection(s): ${why}. Lower DB_MAX_CONNECTIONS to ${grantable} or less (and size ` +
      `DB_RESERVED_CONNECTIONS and DB_POOL_PROCESSES within it), or raise max_connections on the server. ` +
      `Behind PgBouncer, set USE_PGBOUNCER=true: PgBouncer, not the server, then grants the connections.`,
  ]);
}

/** Reads the server's connection limits over `url` (the direct URL, never PgBouncer). */
export async function readServerLimits(cfg: AppConfig, url: string): Promise<ServerLimits> {
  const client = new Client({
    connectionString: url,
    application_name: applicationName(cfg, 'startup'),
    connectionTimeoutMillis: Math.max(cfg.db.acquireTimeoutMs, 5_000),
  });
  try {
    await client.connect();
  } catch (e) {
    throw new DatabaseUnavailableError(
      new Error(`${redact(url)}: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
  try {
    const { rows } = await client.query<{
      max_connections: number;
      superuser_reserved: number;
      reserved: number;
      role_limit: number;
      database_limit: number;
    }>(
      `SELECT current_setting('max_connections')::int AS max_connections,
              current_setting('superuser_reserved_connections')::int AS superuser_reserved,
              COALESCE(current_setting('reserved_connections', true), '0')::int AS reserved,
              (SELECT rolconnlimit FROM pg_roles WHERE rolname = current_user) AS role_limit,
              (SELECT datconnlimit FROM pg_database WHERE datname = current_database()) AS database_limit`,
    );
    const r = rows[0];
    return {
      maxConnections: r.max_connections,
      superuserReservedConnections: r.superuser_reserved,
      reservedConnections: r.reserved,
      roleConnectionLimit: r.role_limit >= 0 ? r.role_limit : null,
      databaseConnectionLimit: r.database_limit >= 0 ? r.database_limit : null,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Start-up check of the connection budget against the server (docs/architecture.md,
 * "Processes and scale-out"): unless USE_PGBOUNCER, reads max_connections and
 * the reserves over the direct URL and throws a ConfigError naming the numbers
 * when DB_MAX_CONNECTIONS asks for more than the server can grant.
 */
export async function enforceServerBudget(
  cfg: AppConfig,
  directUrl: string,
  log?: (message: string) => void,
): Promise<ServerLimits | undefined> {
  if (cfg.db.usePgbouncer) {
    log?.('connection budget: behind PgBouncer, its pool limits apply (server not checked)');
    return undefined;
  }
  const limits = await readServerLimits(cfg, directUrl);
  checkBudgetAgainstServer(cfg.db, limits);
  log?.(
    `connection budget: DB_MAX_CONNECTIONS ${cfg.db.maxConnections} of ${grantableConnections(limits)} ` +
      `the server grants (max_connections ${limits.maxConnections})`,
  );
  return limits;
}

/**
 * The same start-up check for each read replica (DATABASE_READ_URLS) against
 * its own max_connections, with DB_REPLICA_MAX_CONNECTIONS; skipped behind PgBouncer.
 */
export async function enforceReplicaBudgets(
  cfg: AppConfig,
  log?: (message: string) => void,
): Promise<void> {
  if (cfg.db.usePgbouncer) return;
  const db = replicaBudgetConfig(cfg.db);
  for (const [i, url] of cfg.db.readUrls.entries()) {
    const limits = await asReplicaCheck(async () => {
      const l = await readServerLimits(cfg, url);
      checkBudgetAgainstServer(db, l);
      return l;
    });
    log?.(
      `connection budget of replica-${i}: DB_REPLICA_MAX_CONNECTIONS ${db.maxConnections} of ` +
        `${grantableConnections(limits)} the server grants (max_connections ${limits.maxConnections})`,
    );
  }
}
