import { hostname } from 'node:os';
import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/config.schema';
import { UtcClient } from './pg-client';
import { pgTypes } from './pg-types';

/**
 * What pg_stat_activity shows for this process: role and host (or
 * DB_APPLICATION_NAME for the pool). PostgreSQL keeps 63 bytes of it.
 */
export function applicationName(cfg: AppConfig, purpose?: string): string {
  const name =
    purpose === undefined && cfg.db.applicationName !== undefined
      ? cfg.db.applicationName
      : `postroom-${purpose ?? cfg.role}@${hostname()}`;
  return name.slice(0, 63);
}

/** Compiled migrations, beside this file in dist (or ts sources under ts-jest). */
export const MIGRATIONS_GLOB = join(__dirname, '..', '..', '..', 'migrations', '*.{js,ts}');

/**
 * The pooled data source, sized by the connection budget. Behind PgBouncer in
 * transaction mode nothing is put in the startup packet but application_name
 * and TimeZone (parameters PgBouncer tracks; it rejects others) and no session
 * state is ever set.
 */
export function pooledDataSourceOptions(
  cfg: AppConfig,
  url: string,
  poolMax: number,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    applicationName: applicationName(cfg),
    synchronize: false,
    migrationsRun: false,
    poolSize: poolMax,
    extra: pooledConnectionOptions(cfg, poolMax),
    logging: false,
  };
}

/**
 * The pg pool options every pooled connection gets, on the primary and on each
 * read replica alike (size, acquire deadline, idle timeout, types, UTC session,
 * statement_timeout unless behind PgBouncer).
 */
export function pooledConnectionOptions(cfg: AppConfig, poolMax: number): Record<string, unknown> {
  const db = cfg.db;
  const extra: Record<string, unknown> = {
    max: poolMax,
    connectionTimeoutMillis: db.acquireTimeoutMs,
    idleTimeoutMillis: db.idleTimeoutMs,
    keepAlive: true,
    types: pgTypes,
    // TimeZone UTC in the startup packet (see UtcClient): timestamps come as "…+00".
    Client: UtcClient,
  };
  if (!db.usePgbouncer && db.statementTimeoutMs > 0) {
    extra.statement_timeout = db.statementTimeoutMs;
  }
  return extra;
}

/** A one-connection data source on the direct URL, for migrations and other session-bound work. */
export function directDataSourceOptions(cfg: AppConfig, url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    applicationName: applicationName(cfg, 'migrate'),
    synchronize: false,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    extra: { max: 1, types: pgTypes, Client: UtcClient },
    logging: false,
  };
}
