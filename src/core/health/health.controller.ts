import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { HealthCheckResult, HealthIndicatorFunction } from '@nestjs/terminus';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../http/public.decorator';
import { HealthChecks } from './health-checks.service';
import { HealthState } from './health-state';

/**
 * Kubernetes probes and the full health report. Each answer is 200 when every
 * indicator is up and 503 with the same details otherwise.
 */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: HealthChecks,
    private readonly state: HealthState,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process and its event loop only, never a dependency' })
  live(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(reply, [() => this.checks.liveness()]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({
    summary:
      'Readiness: database through the pool, pool saturation, Redis (reported, degraded when down); 503 at once while shutting down',
  })
  @ApiServiceUnavailableResponse({ description: 'Not ready: take the pod out of service' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    if (this.state.shuttingDown) {
      this.state.recordReadiness(false);
      void reply.status(503);
      const down = { shutdown: { status: 'down' as const, message: 'shutting down' } };
      return { status: 'error', info: {}, error: down, details: down } satisfies HealthCheckResult;
    }
    const result = await this.answer(reply, [
      () => this.checks.database(),
      () => this.checks.pool(),
      () => this.checks.redis(false),
      ...this.replicaIndicators(),
    ]);
    this.state.recordReadiness(result.status === 'ok');
    return result;
  }

  @Get()
  @HealthCheck()
  @ApiOperation({
    summary:
      'Everything, with details: database ping, pool utilization and thresholds, Redis, live workers and backlog per queue, memory, event-loop delay',
  })
  all(@Res({ passthrough: true }) reply: FastifyReply) {
    return this.answer(reply, [
      () => this.checks.database(),
      () => this.checks.pool(),
      () => this.checks.redis(true),
      () => this.checks.queues(),
      () => this.checks.process(),
      ...this.replicaIndicators(),
    ]);
  }

  /** The replicas indicator, when DATABASE_READ_URLS names any (never fails readiness). */
  private replicaIndicators(): HealthIndicatorFunction[] {
    return this.checks.hasReplicas ? [() => this.checks.replicas()] : [];
  }

  /** Terminus throws on 503; the details are the answer either way. */
  private async answer(
    reply: FastifyReply,
    indicators: HealthIndicatorFunction[],
  ): Promise<HealthCheckResult> {
    try {
      return await this.health.check(indicators);
    } catch (e) {
      if (!(e instanceof ServiceUnavailableException)) throw e;
      void reply.status(503);
      return e.getResponse() as HealthCheckResult;
    }
  }
}
