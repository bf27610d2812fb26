import type { WaitPercentiles } from './pool-stats';

/** This process's pool right now. */
export interface PoolFigures {
  max: number;
  total: number;
  idle: number;
  inUse: number;
  /** Callers queued for a connection. */
  waiting: number;
  /** inUse ÷ max. */
  utilization: number;
}

/** One point of the short history. */
export interface PoolSample extends PoolFigures {
  at: string;
  /** Cumulative since start; the difference between samples is the rate. */
  acquisitions: number;
  timeouts: number;
  waitP95Ms: number;
}

export interface BackendGroup {
  applicationName: string;
  state: string;
  count: number;
  /** Longest time a backend of this group has been idle in a transaction, in seconds. */
  oldestIdleInTransactionSeconds: number | null;
  /** True for this process's own application_name. */
  self: boolean;
}

/** What PostgreSQL says (through the pool, cached for a moment). */
export type ServerFigures =
  | {
      available: true;
      at: string;
      maxConnections: number;
      superuserReservedConnections: number;
      /** Client backends of the whole server, every database. */
      clientBackends: number;
      /**
       * Client backends of this application's database by application_name and state;
       * the connection asking is one of them (one 'active' of this process).
       */
      backends: BackendGroup[];
      /** Backends with this process's application_name. */
      ownBackends: number;
      oldestIdleInTransactionSeconds: number | null;
    }
  | { available: false; at: string; error: string };

/** A replica as the monitor sees it (present on replica targets only). */
export interface ReplicaStatus {
  /** In the rotation: answering, a standby, within DB_REPLICA_MAX_LAG_MS. */
  inRotation: boolean;
  /** Time behind the primary; null while unknown. */
  lagMs: number | null;
  replayLsn: string | null;
  /** Why it is out of the rotation. */
  reason: string | null;
  checkedAt: string | null;
  departures: number;
  /** Reads it failed that the primary answered. */
  fallbacks: number;
}

/** One server this process has a pool on: the primary, then each read replica. */
export interface PoolTargetFigures {
  /** `primary`, `replica-0`, … */
  target: string;
  /** ⌊(max − reserved) ÷ processes⌋ of this server's budget. */
  share: number;
  pool: PoolFigures;
  acquisitions: number;
  timeouts: number;
  connectFailures: number;
  dropped: number;
  retries: number;
  waitMs: WaitPercentiles;
  replica: ReplicaStatus | null;
}

export interface PoolReport {
  at: string;
  applicationName: string;
  usePgbouncer: boolean;
  budget: {
    maxConnections: number;
    reservedConnections: number;
    poolProcesses: number;
    /** ⌊(max − reserved) ÷ processes⌋ */
    share: number;
    poolMax: number;
  };
  pool: PoolFigures;
  acquire: {
    count: number;
    timeoutMs: number;
    /** Over the most recent acquisitions (up to 2048). */
    waitMs: WaitPercentiles;
    timeouts: number;
    slotTimeouts: number;
    connectFailures: number;
  };
  connections: { dropped: number; replaced: number; retries: number };
  alert: {
    threshold: number;
    sustainMs: number;
    active: boolean;
    since: string | null;
    raisedCount: number;
  };
  server: ServerFigures;
  history: { intervalMs: number; samples: PoolSample[] };
  /** Every server's pool, the primary first (the fields above are the primary's). */
  targets: PoolTargetFigures[];
}
