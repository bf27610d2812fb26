import { Inject, Injectable, Optional } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '../async/with-timeout';
import { RedisService } from '../cache/redis.service';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { Db } from '../database/db.service';
import { ReplicaRouter } from '../database/replica-router.service';
import { PerformanceMonitor } from '../observability/performance-monitor';
import { QueueStatus } from '../queue/queue-status.service';
import { SystemMonitor } from './system-monitor';

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const round1 = (v: number) => Math.round(v * 10) / 10;

/**
 * The health indicators. Every one that waits on something is bounded by
 * HEALTH_CHECK_TIMEOUT_MS; the database ping is single-flight, so probes piling
 * up against a hung database hold at most one pooled connection.
 */
@Injectable()
export class HealthChecks {
  private ping: Promise<number> | undefined;

  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly db: Db,
    private readonly redisService: RedisService,
    private readonly queueStatus: QueueStatus,
    private readonly system: SystemMonitor,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly replicaRouter: ReplicaRouter,
    @Optional() private readonly perf?: PerformanceMonitor,
  ) {}

  /** True when DATABASE_READ_URLS names replicas (the replicas indicator is shown). */
  get hasReplicas(): boolean {
    return this.replicaRouter.enabled;
  }

  /**
   * The read replicas. Never down: with none in the rotation the primary serves
   * every read, so readiness holds and the indicator says degraded.
   */
  replicas(): HealthIndicatorResult {
    const figures = this.replicaRouter.figures();
    const serving = figures.filter((f) => f.inRotation).length;
    return this.indicator.check('replicas').up({
      serving,
      maxLagMs: this.cfg.db.replicaMaxLagMs,
      ...(serving === 0
        ? { degraded: true, message: 'no replica in the rotation: the primary serves every read' }
        : {}),
      targets: figures,
    });
  }

  /** SELECT 1 through the pool, as a request would get a connection. */
  async database(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('database');
    try {
      const ms = await withTimeout(this.pingOnce(), this.cfg.health.checkTimeoutMs, 'database');
      return check.up({ pingMs: round1(ms) });
    } catch (e) {
      return check.down({ message: message(e) });
    }
  }

  /** Down when utilization reached HEALTH_POOL_SATURATION and requests are waiting. */
  pool(): HealthIndicatorResult {
    const check = this.indicator.check('pool');
    const pool = this.db.pool;
    const max = this.db.poolMax();
    const inUse = pool.totalCount - pool.idleCount;
    const utilization = max > 0 ? inUse / max : 0;
    const saturated =
      utilization >= this.cfg.health.poolSaturationThreshold && pool.waitingCount > 0;
    const details = {
      max,
      total: pool.totalCount,
      idle: pool.idleCount,
      inUse,
      waiting: pool.waitingCount,
      utilization: Math.round(utilization * 100) / 100,
      warnAt: this.cfg.monitoring.poolAlertUtilization,
      saturatedAt: this.cfg.health.poolSaturationThreshold,
      level: saturated
        ? 'saturated'
        : utilization >= this.cfg.monitoring.poolAlertUtilization
          ? 'warn'
          : 'ok',
      acquireWaitMs: this.db.stats.waitPercentiles(),
      acquireTimeouts: this.db.stats.timeouts,
    };
    return saturated ? check.down({ ...details, message: 'pool saturated' }) : check.up(details);
  }

  /**
   * Redis. For readiness it is not required: without it the API stays correct
   * (the shared cache is bypassed, batches wait as pending for the sweeper),
   * so the pod keeps its traffic and the indicator says degraded. /health
   * requires it.
   */
  async redis(required: boolean): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('redis');
    try {
      if (!this.redisService.isReady) throw new Error('Redis is not connected');
      const ms = await withTimeout(
        this.redisService.ping(),
        this.cfg.health.checkTimeoutMs,
        'redis',
      );
      return check.up({ pingMs: round1(ms) });
    } catch (e) {
      return required
        ? check.down({ message: message(e) })
        : check.up({ reachable: false, degraded: true, message: message(e) });
    }
  }

  /** Live workers and backlog per queue; down when a queue has no live worker. */
  async queues(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('queues');
    try {
      const figures = await withTimeout(
        this.queueStatus.figures(),
        this.cfg.health.checkTimeoutMs,
        'queues',
      );
      const idle = Object.entries(figures)
        .filter(([, f]) => f.liveWorkers === 0)
        .map(([name]) => name);
      return idle.length > 0
        ? check.down({ ...figures, message: `no live worker for: ${idle.join(', ')}` })
        : check.up(figures);
    } catch (e) {
      return check.down({ message: message(e) });
    }
  }

  /** The process answered, so its event loop turns; the last background sample says how well. */
  liveness(): HealthIndicatorResult {
    const f = this.system.figures();
    return this.indicator.check('process').up({
      uptimeSeconds: Math.round(process.uptime()),
      eventLoopDelayP99Ms: f.eventLoop.p99Ms,
    });
  }

  /**
   * Memory, event loop and CPU from the last background sample (warnings never
   * fail it), and the busiest routes when performance monitoring is on.
   */
  process(): HealthIndicatorResult {
    const f = this.system.figures();
    return this.indicator.check('process').up({
      role: this.cfg.role,
      pid: process.pid,
      ...f,
      warnings: this.system.warnings(f),
      ...(this.perf ? { busiestRoutes: this.perf.top() } : {}),
    });
  }

  /** One line for the start-up log, once the connections opened at start had their chance. */
  async summary(): Promise<string> {
    await this.queueStatus.settle(this.cfg.health.checkTimeoutMs);
    const [database, redis, queues] = await Promise.all([
      this.database(),
      this.redis(true),
      this.queues(),
    ]);
    const pool = this.pool().pool;
    const f = this.system.figures();
    const db = database.database;
    const rd = redis.redis;
    const q = queues.queues;
    const queueText =
      q.status === 'up'
        ? Object.entries(q)
            .filter(([k]) => k !== 'status')
            .map(([name, v]) => {
              const fig = v as { liveWorkers: number; waiting: number };
              return `${name} ${fig.liveWorkers} worker(s), ${fig.waiting} waiting`;
            })
            .join('; ')
        : `down (${String(q.message)})`;
    return [
      `health: database ${db.status === 'up' ? `up ${String(db.pingMs)} ms` : `DOWN (${String(db.message)})`}`,
      `pool ${String(pool.inUse)}/${String(pool.max)}`,
      `redis ${rd.status === 'up' ? `up ${String(rd.pingMs)} ms` : `DOWN (${String(rd.message)})`}`,
      `queues ${queueText}`,
      `rss ${f.memory.rssMb} MB`,
      `event loop p99 ${f.eventLoop.p99Ms} ms`,
    ].join(' · ');
  }

  private pingOnce(): Promise<number> {
    this.ping ??= (async () => {
      const started = performance.now();
      try {
        await this.db.query('SELECT 1');
        return performance.now() - started;
      } finally {
        this.ping = undefined;
      }
    })();
    return this.ping;
  }
}
