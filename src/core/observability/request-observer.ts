import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { RequestContext } from '../context/request-context.service';
import { Db } from '../database/db.service';
import { isProbePath } from '../http/probe-paths';
import { PerformanceMonitor } from './performance-monitor';
import { RequestMetricsWriter } from './request-metrics.writer';

/**
 * Request logging, performance monitoring and persisted request metrics, each
 * switched by configuration. What is off is not registered at all: with all
 * three off no hook is added and no statement is counted, so a request pays
 * nothing for them. What is on runs in one onResponse hook, after the answer
 * has been sent; persisted metrics only go to an in-memory buffer there.
 */
@Injectable()
export class RequestObserver {
  private readonly logger = new Logger('Request');
  private readonly logRequests: boolean;
  private readonly slowMs: number;
  private readonly sampleRate: number;

  constructor(
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    private readonly ctx: RequestContext,
    private readonly db: Db,
    @Optional() private readonly perf?: PerformanceMonitor,
    @Optional() private readonly metrics?: RequestMetricsWriter,
  ) {
    this.logRequests = cfg.log.requestLogging;
    this.slowMs = cfg.monitoring.slowThresholdMs;
    this.sampleRate = cfg.monitoring.metricsMode === 'sample' ? cfg.monitoring.sampleRate : 0;
  }

  /** Adds the hooks that are switched on; returns their names (empty: nothing added). */
  attach(fastify: FastifyInstance): string[] {
    const on: string[] = [];
    if (this.logRequests) on.push('request logging');
    if (this.perf) on.push('performance monitoring');
    if (this.metrics) on.push(`request metrics (${this.cfg.monitoring.metricsMode})`);
    if (on.length === 0) return on;
    if (this.perf || this.metrics) {
      this.db.onQuery(() => {
        const store = this.ctx.store();
        if (store) store.statements = (store.statements ?? 0) + 1;
      });
    }
    fastify.addHook('onResponse', (request, reply, done) => {
      this.observe(request, reply);
      done();
    });
    return on;
  }

  private observe(request: FastifyRequest, reply: FastifyReply): void {
    const route = request.routeOptions.url ?? '(no route)';
    if (isProbePath(route)) return;
    const durationMs = Math.round(reply.elapsedTime * 10) / 10;
    const store = this.ctx.store();
    const statements = store?.statements ?? 0;
    const principal = store?.principal;
    const statusCode = reply.statusCode;
    if (this.logRequests) {
      this.logger.log({
        message: `${request.method} ${request.url} ${statusCode} ${durationMs} ms`,
        requestId: request.id,
        method: request.method,
        route,
        statusCode,
        durationMs,
        ...(this.perf || this.metrics ? { statements } : {}),
        userId: principal?.userId,
      });
    }
    this.perf?.record(`${request.method} ${route}`, durationMs, statements, statusCode);
    if (this.metrics) {
      const because =
        durationMs >= this.slowMs
          ? 'slow'
          : this.sampleRate > 0 && Math.random() < this.sampleRate
            ? 'sample'
            : undefined;
      if (because) {
        this.metrics.push({
          createdOn: new Date().toISOString(),
          requestId: request.id,
          method: request.method,
          route,
          statusCode,
          durationMs,
          dbStatements: Math.min(statements, 32_767),
          userId: principal?.userId ?? null,
          organizationId: principal?.organizationId ?? null,
          sampledBecause: because,
        });
      }
    }
  }
}
