import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { RedisService } from '../cache/redis.service';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { Db } from '../database/db.service';
import { Public } from '../http/public.decorator';

/** Rejects when p does not settle within ms: no check may hang a probe. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const eventLoop = monitorEventLoopDelay({ resolution: 20 });
eventLoop.enable();

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly db: Db,
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process and its event loop only, never a dependency' })
  live() {
    return this.health.check([
      async () =>
        this.indicator.check('process').up({ uptimeSeconds: Math.round(process.uptime()) }),
    ]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: database through the pool, pool saturation, Redis (503 when not ready)',
  })
  ready() {
    // Redis down leaves the API correct (slower, queued work waits), so it is
    // reported here but does not take the pod out of service.
    return this.health.check([
      () => this.checkDatabase(),
      () => this.checkPool(),
      () => this.checkRedis(false),
    ]);
  }

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Everything, with details' })
  all() {
    return this.health.check([
      () => this.checkDatabase(),
      () => this.checkPool(),
      () => this.checkRedis(true),
      async () =>
        this.indicator.check('process').up({
          rssMb: Math.round(process.memoryUsage().rss / 1_048_576),
          eventLoopDelayP99Ms: Math.round(eventLoop.percentile(99) / 1e6),
        }),
    ]);
  }

  private async checkDatabase(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('database');
    const started = performance.now();
    try {
      await withTimeout(this.db.query('SELECT 1'), this.cfg.health.checkTimeoutMs, 'database');
      return check.up({ pingMs: Math.round((performance.now() - started) * 10) / 10 });
    } catch (e) {
      return check.down({ message: e instanceof Error ? e.message : String(e) });
    }
  }

  private async checkPool(): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('pool');
    const pool = this.db.pool;
    const max = this.db.poolMax();
    const inUse = pool.totalCount - pool.idleCount;
    const utilization = max > 0 ? inUse / max : 0;
    const details = {
      max,
      total: pool.totalCount,
      inUse,
      waiting: pool.waitingCount,
      utilization: Math.round(utilization * 100) / 100,
    };
    const saturated =
      utilization >= this.cfg.health.poolSaturationThreshold && pool.waitingCount > 0;
    return saturated ? check.down({ ...details, message: 'pool saturated' }) : check.up(details);
  }

  private async checkRedis(required: boolean): Promise<HealthIndicatorResult> {
    const check = this.indicator.check('redis');
    try {
      const ms = await withTimeout(this.redis.ping(), this.cfg.health.checkTimeoutMs, 'redis');
      return check.up({ pingMs: Math.round(ms * 10) / 10 });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return required
        ? check.down({ message })
        : check.up({ reachable: false, degraded: true, message });
    }
  }
}
