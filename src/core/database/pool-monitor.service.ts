import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { applicationName } from './data-source.options';
import type { DatabaseRuntime } from './database.runtime';
import { DATABASE_RUNTIME } from './database.runtime';
import { Db } from './db.service';
import { computePoolBudget, computeReplicaPoolBudget } from './pool-budget';
import type { PgTarget } from './db.service';
import { ReplicaRouter } from './replica-router.service';
import type {
  BackendGroup,
  PoolFigures,
  PoolTargetFigures,
  PoolReport,
  PoolSample,
  ServerFigures,
} from './pool-monitor.types';
import { UtilizationAlert } from './utilization-alert';

/** How often utilization is checked for the alert (reads three counters). */
export const ALERT_CHECK_MS = 1_000;
/** One history sample every HISTORY_INTERVAL_MS, HISTORY_SIZE kept: the last 10 minutes. */
export const HISTORY_INTERVAL_MS = 10_000;
export const HISTORY_SIZE = 60;
/** Server figures are read at most this often, however many scrapes and admins ask. */
const SERVER_MAX_AGE_MS = 2_000;
/** Longest wait for a connection to read them (one was idle when the read began). */
const SERVER_READ_WAIT_MS = 1_000;
const SATURATED = 'every pooled connection is in use: server figures are read when one is free';

const SERVER_SQL = `
  WITH b AS (
    SELECT COALESCE(application_name, '') AS application_name,
           COALESCE(state, 'unknown') AS state,
           CASE WHEN state LIKE 'idle in transaction%'
                THEN EXTRACT(EPOCH FROM now() - state_change) END AS idle_tx
    FROM pg_stat_activity
    WHERE datname = current_database() AND backend_type = 'client backend'
  )
  SELECT current_setting('max_connections')::int AS max_connections,
         current_setting('superuser_reserved_connections')::int AS superuser_reserved,
         (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS client_backends,
         COALESCE((
           SELECT json_agg(g ORDER BY g.application_name, g.state) FROM (
             SELECT application_name, state, count(*)::int AS count,
                    round(max(idle_tx)::numeric, 3)::float8 AS idle_tx
             FROM b GROUP BY 1, 2) g
         ), '[]') AS groups`;

interface ServerRow {
  max_connections: number;
  superuser_reserved: number;
  client_backends: number;
  groups: { application_name: string; state: string; count: number; idle_tx: number | null }[];
}

/**
 * Watches this process's pool: totals, acquire waits, timeouts, a utilization
 * alert (one log line when it stays high, one when it recovers), what the
 * server says about this application's backends, and a short history. One
 * unref'd timer reads in-memory counters; the server is only asked when someone
 * reads the report (admin endpoint, /metrics), at most every 2 s.
 */
@Injectable()
export class PoolMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  readonly alert: UtilizationAlert;
  readonly applicationName: string;
  private readonly logger = new Logger('PoolMonitor');
  private readonly samples: PoolSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private serverCache: { at: number; figures: Promise<ServerFigures> } | undefined;

  constructor(
    private readonly db: Db,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    @Inject(DATABASE_RUNTIME) private readonly runtime: DatabaseRuntime,
    private readonly replicas: ReplicaRouter,
  ) {
    this.alert = new UtilizationAlert(
      cfg.monitoring.poolAlertUtilization,
      cfg.monitoring.poolAlertSustainMs,
    );
    this.applicationName = applicationName(cfg);
  }

  onApplicationBootstrap(): void {
    this.sample();
    this.timer = setInterval(() => this.tick(), ALERT_CHECK_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  pool(target: PgTarget = this.db): PoolFigures {
    const pool = target.pool;
    const max = target.poolMax();
    const total = pool.totalCount;
    const idle = pool.idleCount;
    const inUse = total - idle;
    return {
      max,
      total,
      idle,
      inUse,
      waiting: pool.waitingCount,
      utilization: max > 0 ? round(inUse / max, 3) : 0,
    };
  }

  /** Every server's pool with its counters, the primary first, replicas with their state. */
  targets(): PoolTargetFigures[] {
    const replicas = this.replicas.figures();
    const replicaShare = this.replicas.enabled ? computeReplicaPoolBudget(this.cfg.db).share : 0;
    return this.db.targets().map((t) => {
      const r = replicas.find((f) => f.target === t.name);
      const s = t.stats;
      return {
        target: t.name,
        share: t.isPrimary ? computePoolBudget(this.cfg.db).share : replicaShare,
        pool: this.pool(t),
        acquisitions: s.acquisitions,
        timeouts: s.timeouts,
        connectFailures: s.connectFailures,
        dropped: s.droppedConnections,
        retries: s.retries,
        waitMs: s.waitPercentiles(),
        replica: r
          ? {
              inRotation: r.inRotation,
              lagMs: r.lagMs,
              replayLsn: r.replayLsn,
              reason: r.reason,
              checkedAt: r.checkedAt,
              departures: r.departures,
              fallbacks: r.fallbacks,
            }
          : null,
      };
    });
  }

  /** Feeds the alert one observation; logs when it is raised or recovers. */
  check(now = Date.now()): void {
    const p = this.pool();
    const change = this.alert.observe(p.utilization, now);
    const pct = `${Math.round(this.alert.threshold * 100)}%`;
    if (change === 'raised') {
      this.logger.warn(
        `database pool utilization at or above ${pct} for ${this.alert.sustainMs / 1000} s: ` +
          `${p.inUse}/${p.max} in use, ${p.waiting} waiting, ${this.db.stats.timeouts} acquire timeouts so far`,
      );
    } else if (change === 'recovered') {
      this.logger.log(
        `database pool utilization back under ${pct}: ${p.inUse}/${p.max} in use, ${p.waiting} waiting`,
      );
    }
  }

  /** Appends one point to the history (the timer does it every HISTORY_INTERVAL_MS). */
  sample(now = Date.now()): void {
    const s = this.db.stats;
    this.samples.push({
      at: new Date(now).toISOString(),
      ...this.pool(),
      acquisitions: s.acquisitions,
      timeouts: s.timeouts,
      waitP95Ms: s.waitPercentiles().p95,
    });
    if (this.samples.length > HISTORY_SIZE) this.samples.shift();
  }

  history(): PoolSample[] {
    return [...this.samples];
  }

  /** Server-side figures, read at most every 2 s; a failure is reported, never thrown. */
  server(): Promise<ServerFigures> {
    const now = Date.now();
    if (!this.serverCache || now - this.serverCache.at >= SERVER_MAX_AGE_MS) {
      this.serverCache = { at: now, figures: this.readServer() };
    }
    return this.serverCache.figures;
  }

  async report(): Promise<PoolReport> {
    const s = this.db.stats;
    const budget = computePoolBudget(this.cfg.db);
    return {
      at: new Date().toISOString(),
      applicationName: this.applicationName,
      usePgbouncer: this.cfg.db.usePgbouncer,
      budget: {
        maxConnections: this.cfg.db.maxConnections,
        reservedConnections: this.cfg.db.reservedConnections,
        poolProcesses: this.cfg.db.poolProcesses,
        share: budget.share,
        poolMax: this.runtime.poolMax,
      },
      pool: this.pool(),
      acquire: {
        count: s.acquisitions,
        timeoutMs: this.cfg.db.acquireTimeoutMs,
        waitMs: s.waitPercentiles(),
        timeouts: s.timeouts,
        slotTimeouts: s.slotTimeouts,
        connectFailures: s.connectFailures,
      },
      connections: {
        dropped: s.droppedConnections,
        replaced: s.replacedConnections,
        retries: s.retries,
      },
      alert: {
        threshold: this.alert.threshold,
        sustainMs: this.alert.sustainMs,
        active: this.alert.active,
        since:
          this.alert.active && this.alert.raisedAt !== null
            ? new Date(this.alert.raisedAt).toISOString()
            : null,
        raisedCount: this.alert.raisedCount,
      },
      server: await this.server(),
      history: { intervalMs: HISTORY_INTERVAL_MS, samples: this.history() },
      targets: this.targets(),
    };
  }

  private tick(): void {
    this.check();
    this.ticks++;
    if (this.ticks % Math.round(HISTORY_INTERVAL_MS / ALERT_CHECK_MS) === 0) this.sample();
  }

  private async readServer(): Promise<ServerFigures> {
    const at = new Date().toISOString();
    // The monitor never queues for the pool: a scrape while every connection is
    // busy must neither wait for one nor take one from a request.
    const pool = this.pool();
    if (pool.idle === 0 && pool.total >= pool.max) {
      return { available: false, at, error: SATURATED };
    }
    try {
      const [r] = await this.db.withClient(
        (q) => q.query<ServerRow & Record<string, unknown>>(SERVER_SQL),
        performance.now() + SERVER_READ_WAIT_MS,
      );
      const backends: BackendGroup[] = r.groups.map((g) => ({
        applicationName: g.application_name,
        state: g.state,
        count: g.count,
        oldestIdleInTransactionSeconds: g.idle_tx,
        self: g.application_name === this.applicationName,
      }));
      const idleTx = backends
        .map((b) => b.oldestIdleInTransactionSeconds)
        .filter((v): v is number => v !== null);
      return {
        available: true,
        at,
        maxConnections: r.max_connections,
        superuserReservedConnections: r.superuser_reserved,
        clientBackends: r.client_backends,
        backends,
        ownBackends: backends.filter((b) => b.self).reduce((n, b) => n + b.count, 0),
        oldestIdleInTransactionSeconds: idleTx.length > 0 ? Math.max(...idleTx) : null,
      };
    } catch (e) {
      return { available: false, at, error: e instanceof Error ? e.message : String(e) };
    }
  }
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
