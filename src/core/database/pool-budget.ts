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
