import { availableParallelism } from 'node:os';

/**
 * The one typed configuration schema. Every variable Postroom reads is declared
 * here with its parser, default and documentation; `loadConfig` validates the
 * whole environment at once and fails with one message naming each bad variable,
 * what it got and what it accepts. Nothing outside src/core/config reads process.env.
 */

export type NodeEnv = 'development' | 'production' | 'test';
export type AppRole = 'api' | 'worker' | 'all';
export type MetricsMode = 'off' | 'slow' | 'sample';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'See config/.env.example for every variable and what it accepts.',
    );
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

interface Reader {
  problems: string[];
  env: Env;
}

function raw(r: Reader, name: string): string | undefined {
  const v = r.env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function str(r: Reader, name: string, def: string): string;
function str(r: Reader, name: string, def?: undefined): string | undefined;
function str(r: Reader, name: string, def?: string): string | undefined {
  return raw(r, name) ?? def;
}

function int(
  r: Reader,
  name: string,
  def: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = raw(r, name);
  if (v === undefined) return def;
  const n = Number(v);
  if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `${min}..${max}`;
    r.problems.push(`${name}: got "${v}", accepts an integer ${range}`);
    return def;
  }
  return n;
}

function optInt(r: Reader, name: string, min: number, max?: number): number | undefined {
  return raw(r, name) === undefined ? undefined : int(r, name, 0, min, max);
}

function num(r: Reader, name: string, def: number, min: number, max: number): number {
  const v = raw(r, name);
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) {
    r.problems.push(`${name}: got "${v}", accepts a number ${min}..${max}`);
    return def;
  }
  return n;
}

function bool(r: Reader, name: string, def: boolean): boolean {
  const v = raw(r, name);
  if (v === undefined) return def;
  const l = v.toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(l)) return true;
  if (['false', '0', 'no', 'off'].includes(l)) return false;
  r.problems.push(`${name}: got "${v}", accepts true or false`);
  return def;
}

function oneOf<T extends string>(r: Reader, name: string, allowed: readonly T[], def: T): T {
  const v = raw(r, name);
  if (v === undefined) return def;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  r.problems.push(`${name}: got "${v}", accepts one of ${allowed.join(', ')}`);
  return def;
}

function url(r: Reader, name: string, protocols: string[]): string | undefined {
  const v = raw(r, name);
  if (v === undefined) return undefined;
  try {
    const u = new URL(v);
    if (!protocols.includes(u.protocol)) throw new Error('protocol');
    return v;
  } catch {
    r.problems.push(
      `${name}: got "${redact(v)}", accepts a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );
    return undefined;
  }
}

/**
 * Per-route thresholds: `METHOD /route=ms` or `/route=ms` pairs separated by
 * commas (the route is the template, /api/documents/:id). A pair without a
 * method applies to every method of the route.
 */
function routeThresholds(r: Reader, name: string): Record<string, number> {
  const v = raw(r, name);
  const out: Record<string, number> = {};
  if (v === undefined) return out;
  for (const pair of v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)) {
    const m = /^(?:([A-Z]+)\s+)?(\/\S*)\s*=\s*(\d+)$/.exec(pair);
    if (!m) {
      r.problems.push(
        `${name}: got "${pair}", accepts "METHOD /route=ms" or "/route=ms" pairs separated by commas`,
      );
      continue;
    }
    out[m[1] ? `${m[1]} ${m[2]}` : m[2]] = Number(m[3]);
  }
  return out;
}

function list(r: Reader, name: string, def: string[]): string[] {
  const v = raw(r, name);
  if (v === undefined) return def;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Comma-separated URLs, each checked like url(). */
function urlList(r: Reader, name: string, protocols: string[]): string[] {
  return list(r, name, []).flatMap((v, i) => {
    const one = url(
      { problems: r.problems, env: { [`${name}[${i}]`]: v } },
      `${name}[${i}]`,
      protocols,
    );
    return one === undefined ? [] : [one];
  });
}

/** Hides the password of a connection URL in messages and logs. */
export function redact(connectionUrl: string): string {
  try {
    const u = new URL(connectionUrl);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return connectionUrl.replace(/:[^:@/]+@/, ':***@');
  }
}

export interface DatabaseConfig {
  /** Pooled URL (PgBouncer when USE_PGBOUNCER). Undefined: embedded PostgreSQL in development. */
  url: string | undefined;
  /** Direct URL for migrations and session-bound work; defaults to url. */
  directUrl: string | undefined;
  maxConnections: number;
  reservedConnections: number;
  poolProcesses: number;
  poolMax: number | undefined;
  acquireTimeoutMs: number;
  idleTimeoutMs: number;
  validateIdleMs: number;
  statementTimeoutMs: number;
  usePgbouncer: boolean;
  /** application_name of the pool's connections; default postroom-<role>@<host>. */
  applicationName: string | undefined;
  migrateOnStart: boolean;
  embeddedDir: string;
  embeddedPort: number;
  /** Streaming replicas that serve reads (DATABASE_READ_URLS); empty: the primary serves everything. */
  readUrls: string[];
  /** Connections each replica (or its PgBouncer) grants the application; default DB_MAX_CONNECTIONS. */
  replicaMaxConnections: number;
  /** Kept free on each replica; default DB_RESERVED_CONNECTIONS. */
  replicaReservedConnections: number;
  /** A replica further behind than this leaves the rotation until it catches up. */
  replicaMaxLagMs: number;
  /** How often each process polls each replica's replay position (and the primary's). */
  replicaPollMs: number;
}

export interface AppConfig {
  nodeEnv: NodeEnv;
  role: AppRole;
  http: {
    host: string;
    port: number;
    corsOrigins: string[];
    bodyLimitBytes: number;
    shutdownTimeoutMs: number;
    trustProxy: boolean;
    /** Requests one process works on at once; undefined: 4 × its pool; 0: no cap. */
    maxInFlight: number | undefined;
    queueTimeoutMs: number;
    /** Sign-ins (password checks) one process works on at once, in a lane of their own. */
    loginMaxInFlight: number;
    loginQueueTimeoutMs: number;
    /** JSON bodies above this many bytes are parsed (and prepared) on the body-parse threads. */
    bodyOffloadBytes: number;
    /** Worker threads parsing heavy JSON bodies. */
    bodyParseThreads: number;
    /** Heavy bodies (above bodyOffloadBytes) worked on at once, in a lane of their own. */
    bodyHeavyMaxInFlight: number;
    bodyHeavyQueueTimeoutMs: number;
    /** The built console served at /console; undefined: the build's own (dist/console). */
    consoleDir: string | undefined;
  };
  db: DatabaseConfig;
  redis: { url: string; keyPrefix: string };
  auth: {
    jwtSecret: string;
    jwtTtlSeconds: number;
    loginMaxFailures: number;
    loginWindowSeconds: number;
  };
  seed: {
    adminEmail: string;
    adminPassword: string;
    demoPassword: string;
    loadDemoData: boolean;
  };
  log: {
    level: 'error' | 'warn' | 'info' | 'debug';
    format: 'json' | 'pretty';
    requestLogging: boolean;
    fileLogging: boolean;
    dir: string;
    fileMaxBytes: number;
    fileMaxFiles: number;
  };
  monitoring: {
    performance: boolean;
    metricsMode: MetricsMode;
    /** Judged on the time the request was handled (admission and pool waits left out). */
    slowThresholdMs: number;
    /** Thresholds of their own: key "METHOD /route" or "/route" (any method). */
    slowRouteThresholdsMs: Record<string, number>;
    sampleRate: number;
    /** Rows persisted per second at most (token bucket per process; the rest is counted and dropped). */
    maxPerSecond: number;
    poolAlertUtilization: number;
    poolAlertSustainMs: number;
  };
  tracing: {
    /** OpenTelemetry traces (OTLP/HTTP); off: no tracer, no span processor, no context manager. */
    enabled: boolean;
    /** OTLP/HTTP base URL; spans go to <endpoint>/v1/traces. */
    endpoint: string;
    serviceName: string;
    /** Share of new traces recorded (parent-based: a caller's sampled flag is followed). */
    sampleRatio: number;
  };
  cache: { sharedTtlSeconds: number };
  grid: { maxLimit: number; maxOffset: number; countCap: number; concurrencyPerRequest: number };
  queue: {
    heartbeatTtlSeconds: number;
    sweepIntervalMs: number;
    batchChunkSize: number;
    batchConcurrency: number;
    batchParallelChunks: number;
    jobAttempts: number;
    retryDelayMs: number;
    enqueueTimeoutMs: number;
  };
  health: {
    checkTimeoutMs: number;
    poolSaturationThreshold: number;
    port: number;
    /** Port of the liveness thread's own /health/live; undefined: none (0: any free port). */
    livenessPort: number | undefined;
    /** How long the main event loop may go without a turn before liveness answers 503. */
    livenessMaxStallMs: number;
  };
  keptCounts: {
    /**
     * Value discovery under filters the kept counts cannot answer reads at most
     * this many rows per value in scope, then answers lower bounds (exact: false).
     */
    valuesCap: number;
    /** How often a worker folds the kept counts' deltas into one row per key. */
    compactIntervalMs: number;
  };
}

/**
 * Default of LOGIN_MAX_IN_FLIGHT: a core left to the event loop, and at most 3
 * of the 4 threads of libuv's default threadpool (scrypt runs there, and so do
 * file access and DNS lookups).
 */
export function defaultLoginMaxInFlight(cores = availableParallelism()): number {
  return Math.min(3, Math.max(1, cores - 1));
}

const DEV_JWT_SECRET = 'postroom-development-secret-change-me-0123456789';

export function loadConfig(env: Env): AppConfig {
  const r: Reader = { problems: [], env };
  const nodeEnv = oneOf(
    r,
    'NODE_ENV',
    ['development', 'production', 'test'] as const,
    'development',
  );
  const prod = nodeEnv === 'production';
  const dev = nodeEnv === 'development';

  const dbUrl = url(r, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  if (prod && dbUrl === undefined && raw(r, 'DATABASE_URL') === undefined) {
    r.problems.push(
      'DATABASE_URL: got nothing, accepts a postgres:// URL (required in production; the embedded PostgreSQL is for development only)',
    );
  }
  const jwtSecret = str(r, 'JWT_SECRET');
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    r.problems.push(
      `JWT_SECRET: got a ${jwtSecret.length}-character value, accepts at least 32 characters`,
    );
  }
  if (prod && jwtSecret === undefined) {
    r.problems.push(
      'JWT_SECRET: got nothing, accepts a secret of at least 32 characters (required in production)',
    );
  }

  const cfg: AppConfig = {
    nodeEnv,
    role: oneOf(r, 'APP_ROLE', ['api', 'worker', 'all'] as const, 'all'),
    http: {
      host: str(r, 'HOST', '0.0.0.0'),
      port: int(r, 'PORT', 3000, 0, 65535),
      corsOrigins: list(
        r,
        'CORS_ORIGINS',
        dev ? ['http://localhost:5173', 'http://localhost:3001'] : [],
      ),
      bodyLimitBytes: int(r, 'HTTP_BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
      shutdownTimeoutMs: int(r, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
      trustProxy: bool(r, 'TRUST_PROXY', false),
      maxInFlight: optInt(r, 'HTTP_MAX_IN_FLIGHT', 0, 100_000),
      queueTimeoutMs: int(r, 'HTTP_QUEUE_TIMEOUT_MS', 5_000, 1, 600_000),
      loginMaxInFlight: int(r, 'LOGIN_MAX_IN_FLIGHT', defaultLoginMaxInFlight(), 1, 1_000),
      loginQueueTimeoutMs: int(r, 'LOGIN_QUEUE_TIMEOUT_MS', 2_000, 1, 600_000),
      bodyOffloadBytes: int(r, 'BODY_OFFLOAD_BYTES', 262_144, 1024, 104_857_600),
      bodyParseThreads: int(r, 'BODY_PARSE_THREADS', 1, 1, 16),
      bodyHeavyMaxInFlight: int(r, 'BODY_HEAVY_MAX_IN_FLIGHT', 2, 1, 100),
      bodyHeavyQueueTimeoutMs: int(r, 'BODY_HEAVY_QUEUE_TIMEOUT_MS', 60_000, 1, 600_000),
      consoleDir: str(r, 'CONSOLE_DIR'),
    },
    db: {
      url: dbUrl,
      directUrl: url(r, 'DATABASE_DIRECT_URL', ['postgres:', 'postgresql:']) ?? dbUrl,
      maxConnections: int(r, 'DB_MAX_CONNECTIONS', 20, 1),
      reservedConnections: int(r, 'DB_RESERVED_CONNECTIONS', 3, 0),
      poolProcesses: int(r, 'DB_POOL_PROCESSES', 1, 1),
      poolMax: optInt(r, 'DB_POOL_MAX', 1),
      acquireTimeoutMs: int(r, 'DB_POOL_ACQUIRE_TIMEOUT_MS', 5_000, 1, 600_000),
      idleTimeoutMs: int(r, 'DB_POOL_IDLE_TIMEOUT_MS', 30_000, 0, 3_600_000),
      validateIdleMs: int(r, 'DB_VALIDATE_IDLE_MS', 30_000, 0, 3_600_000),
      statementTimeoutMs: int(r, 'DB_STATEMENT_TIMEOUT_MS', 30_000, 0, 3_600_000),
      usePgbouncer: bool(r, 'USE_PGBOUNCER', false),
      applicationName: str(r, 'DB_APPLICATION_NAME'),
      migrateOnStart: bool(r, 'DB_MIGRATE_ON_START', !prod),
      embeddedDir: str(r, 'EMBEDDED_PG_DIR', '.postroom/pgdata'),
      embeddedPort: int(r, 'EMBEDDED_PG_PORT', 54329, 1024, 65535),
      readUrls: urlList(r, 'DATABASE_READ_URLS', ['postgres:', 'postgresql:']),
      replicaMaxConnections: int(
        r,
        'DB_REPLICA_MAX_CONNECTIONS',
        int(r, 'DB_MAX_CONNECTIONS', 20, 1),
        1,
      ),
      replicaReservedConnections: int(
        r,
        'DB_REPLICA_RESERVED_CONNECTIONS',
        int(r, 'DB_RESERVED_CONNECTIONS', 3, 0),
        0,
      ),
      replicaMaxLagMs: int(r, 'DB_REPLICA_MAX_LAG_MS', 1_000, 1, 3_600_000),
      replicaPollMs: int(r, 'DB_REPLICA_POLL_MS', 200, 10, 60_000),
    },
    redis: {
      url: url(r, 'REDIS_URL', ['redis:', 'rediss:']) ?? 'redis://127.0.0.1:6379',
      keyPrefix: str(r, 'REDIS_KEY_PREFIX', 'postroom'),
    },
    auth: {
      jwtSecret: jwtSecret ?? DEV_JWT_SECRET,
      jwtTtlSeconds: int(r, 'JWT_TTL_SECONDS', 8 * 3600, 60, 30 * 24 * 3600),
      loginMaxFailures: int(r, 'LOGIN_MAX_FAILURES', 5, 1, 1000),
      loginWindowSeconds: int(r, 'LOGIN_WINDOW_SECONDS', 900, 1, 86_400),
    },
    seed: {
      adminEmail: str(r, 'ADMIN_EMAIL', 'admin@postroom.local').toLowerCase(),
      adminPassword: str(r, 'ADMIN_PASSWORD', 'postroom-admin'),
      demoPassword: str(r, 'DEMO_PASSWORD', 'postroom-demo'),
      loadDemoData: bool(r, 'LOAD_DEMO_DATA', dev),
    },
    log: {
      level: oneOf(r, 'LOG_LEVEL', ['error', 'warn', 'info', 'debug'] as const, 'info'),
      format: oneOf(r, 'LOG_FORMAT', ['json', 'pretty'] as const, dev ? 'pretty' : 'json'),
      requestLogging: bool(r, 'REQUEST_LOGGING', dev),
      fileLogging: bool(r, 'FILE_LOGGING', dev),
      dir: str(r, 'LOG_DIR', 'logs'),
      fileMaxBytes: int(r, 'LOG_FILE_MAX_BYTES', 10 * 1_048_576, 1024),
      fileMaxFiles: int(r, 'LOG_FILE_MAX_FILES', 5, 1, 1000),
    },
    monitoring: {
      performance: bool(r, 'PERFORMANCE_MONITORING', dev),
      metricsMode: oneOf(
        r,
        'REQUEST_METRICS_MODE',
        ['off', 'slow', 'sample'] as const,
        dev ? 'slow' : 'off',
      ),
      slowThresholdMs: int(r, 'REQUEST_METRICS_SLOW_MS', 500, 0),
      slowRouteThresholdsMs: routeThresholds(r, 'REQUEST_METRICS_SLOW_ROUTES'),
      sampleRate: num(r, 'REQUEST_METRICS_SAMPLE_RATE', 0.01, 0, 1),
      maxPerSecond: int(r, 'REQUEST_METRICS_MAX_PER_SECOND', 20, 1, 100_000),
      poolAlertUtilization: num(r, 'POOL_ALERT_UTILIZATION', 0.9, 0.1, 1),
      poolAlertSustainMs: int(r, 'POOL_ALERT_SUSTAIN_MS', 30_000, 0),
    },
    tracing: {
      enabled: bool(r, 'TRACING', dev),
      endpoint:
        url(r, 'OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:'])?.replace(/\/+$/, '') ??
        'http://localhost:4318',
      serviceName: str(r, 'OTEL_SERVICE_NAME', 'postroom'),
      sampleRatio: num(r, 'OTEL_TRACES_SAMPLER_ARG', prod ? 0.1 : 1, 0, 1),
    },
    cache: { sharedTtlSeconds: int(r, 'CACHE_TTL_SECONDS', 300, 1, 86_400) },
    grid: {
      maxLimit: int(r, 'GRID_MAX_LIMIT', 500, 1, 10_000),
      maxOffset: int(r, 'GRID_MAX_OFFSET', 5_000, 0, 1_000_000),
      countCap: int(r, 'GRID_COUNT_CAP', 10_000, 1, 10_000_000),
      concurrencyPerRequest: int(r, 'DB_CONCURRENCY_PER_REQUEST', 3, 1, 64),
    },
    queue: {
      heartbeatTtlSeconds: int(r, 'WORKER_HEARTBEAT_TTL_SECONDS', 15, 2, 3600),
      sweepIntervalMs: int(r, 'BATCH_SWEEP_INTERVAL_MS', 30_000, 100, 3_600_000),
      batchChunkSize: int(r, 'BATCH_CHUNK_SIZE', 1_000, 1, 100_000),
      batchConcurrency: int(r, 'BATCH_CONCURRENCY', 2, 1, 64),
      batchParallelChunks: int(r, 'BATCH_PARALLEL_CHUNKS', 2, 1, 16),
      jobAttempts: int(r, 'BATCH_JOB_ATTEMPTS', 5, 1, 100),
      retryDelayMs: int(r, 'BATCH_RETRY_DELAY_MS', 1_000, 1, 3_600_000),
      enqueueTimeoutMs: int(r, 'QUEUE_ENQUEUE_TIMEOUT_MS', 2_000, 10, 60_000),
    },
    health: {
      checkTimeoutMs: int(r, 'HEALTH_CHECK_TIMEOUT_MS', 1_500, 10, 60_000),
      poolSaturationThreshold: num(r, 'HEALTH_POOL_SATURATION', 0.95, 0.1, 1),
      port: int(r, 'HEALTH_PORT', 3001, 0, 65535),
      livenessPort: optInt(r, 'LIVENESS_PORT', 0, 65535),
      livenessMaxStallMs: int(r, 'LIVENESS_MAX_STALL_MS', 10_000, 100, 600_000),
    },
    keptCounts: {
      valuesCap: int(r, 'GRID_VALUES_COUNT_CAP', 1_000, 1, 1_000_000),
      compactIntervalMs: int(r, 'KEPT_COUNTS_COMPACT_INTERVAL_MS', 5_000, 10, 3_600_000),
    },
  };

  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return cfg;
}

/** True when this configuration runs on the embedded PostgreSQL. */
export function usesEmbeddedDatabase(cfg: AppConfig): boolean {
  return cfg.db.url === undefined;
}
