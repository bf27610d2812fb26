import type { DatabaseConfig } from '../config/config.schema';
import { ConfigError } from '../config/config.schema';

export interface PoolBudget {
  /** Connections this process may hold at most. */
  poolMax: number;
  /** ⌊(max − reserved) ÷ processes⌋: this process's share of the application's budget. */
  share: number;
  /** What decided poolMax. */
  limitedBy: 'budget' | 'DB_POOL_MAX';
}

/**
 * Pool size per process from the shared connection budget (docs/architecture.md,
 * "Processes and scale-out"). Pure: the numbers in, the pool size or an error
 * naming the numbers to change out.
 */
export function computePoolBudget(db: DatabaseConfig): PoolBudget {
  const usable = db.maxConnections - db.reservedConnections;
  const share = Math.floor(usable / db.poolProcesses);
  if (share < 2) {
    throw new ConfigError([
      `connection budget too small: DB_MAX_CONNECTIONS (${db.maxConnections}) − DB_RESERVED_CONNECTIONS ` +
        `(${db.reservedConnections}) = ${usable} shared by DB_POOL_PROCESSES (${db.poolProcesses}) ` +
        `gives ${share} connection(s) per process; at least 2 are needed. Raise DB_MAX_CONNECTIONS, ` +
        `or lower DB_RESERVED_CONNECTIONS or DB_POOL_PROCESSES.`,
    ]);
  }
  if (db.poolMax !== undefined && db.poolMax < 2) {
    throw new ConfigError([`DB_POOL_MAX: got ${db.poolMax}, accepts at least 2`]);
  }
  if (db.poolMax !== undefined && db.poolMax < share) {
    return { poolMax: db.poolMax, share, limitedBy: 'DB_POOL_MAX' };
  }
  return { poolMax: share, share, limitedBy: 'budget' };
}

/** The budget's variables as a replica's budget names them. */
function asReplicaBudget(e: unknown): unknown {
  if (!(e instanceof ConfigError)) return e;
  return new ConfigError(
    e.problems.map((p) =>
      p
        .replace(/DB_MAX_CONNECTIONS/g, 'DB_REPLICA_MAX_CONNECTIONS')
        .replace(/DB_RESERVED_CONNECTIONS/g, 'DB_REPLICA_RESERVED_CONNECTIONS'),
    ),
  );
}

/** The budget's figures for one replica: its own max and reserve, the same processes and DB_POOL_MAX. */
export function replicaBudgetConfig(db: DatabaseConfig): DatabaseConfig {
  return {
    ...db,
    maxConnections: db.replicaMaxConnections,
    reservedConnections: db.replicaReservedConnections,
  };
}

/**
 * Pool size per process on each replica: the same ⌊(max − reserved) ÷ processes⌋
 * rule over DB_REPLICA_MAX_CONNECTIONS and DB_REPLICA_RESERVED_CONNECTIONS.
 */
export function computeReplicaPoolBudget(db: DatabaseConfig): PoolBudget {
  try {
    return computePoolBudget(replicaBudgetConfig(db));
  } catch (e) {
    throw asReplicaBudget(e);
  }
}

/** Runs a budget check for a replica, naming the replica variables in its message. */
export async function asReplicaCheck<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (e) {
    throw asReplicaBudget(e);
  }
}

/** The replica pools of this process (DATABASE_READ_URLS), each sized by the replica budget. */
export function replicaRuntimes(db: DatabaseConfig): { url: string; poolMax: number }[] {
  if (db.readUrls.length === 0) return [];
  const { poolMax } = computeReplicaPoolBudget(db);
  return db.readUrls.map((url) => ({ url, poolMax }));
}
