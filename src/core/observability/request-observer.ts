import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { RequestContext } from '../context/request-context.service';
import { Db } from '../database/db.service';
import { admissionWaitMs } from '../http/admission-gate';
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
  /** Thresholds of their own by "METHOD /route" and by "/route"; undefined when none is set. */
  private readonly routeSlowMs: Map<string, number> | undefined;
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
    const routes = Object.entries(cfg.monitoring.slowRouteThresholdsMs);
    this.routeSlowMs = routes.length > 0 ? new Map(routes) : undefined;
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
    if (this.metrics) {
      // The pool wait is left out of the time "slow" is judged on.
      // Parallel loaders wait together: their waits count as one span of time.
      // Waits end in the order they are reported, so only the part after the
      // last counted end is new.
      this.db.onAcquire((startedAt, acquiredAt) => {
        const store = this.ctx.store();
        if (!store) return;
        const from = Math.max(startedAt, store.poolWaitUntil ?? 0);
        if (acquiredAt > from) store.poolWaitMs = (store.poolWaitMs ?? 0) + (acquiredAt - from);
        store.poolWaitUntil = Math.max(acquiredAt, store.poolWaitUntil ?? 0);
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
        ...(store?.traceId ? { traceId: store.traceId } : {}),
      });
    }
    this.perf?.record(`${request.method} ${route}`, durationMs, statements, statusCode);
    if (this.metrics) {
      // Judged on the time the request was handled: under load the waits for
      // admission and for connections grow for every request alike, and a
      // threshold on the whole would persist nearly everything just then.
      const admissionMs = admissionWaitMs(request);
      const poolMs = store?.poolWaitMs ?? 0;
      const handledMs = Math.max(0, durationMs - admissionMs - poolMs);
      const slowMs =
        (this.routeSlowMs &&
          (this.routeSlowMs.get(`${request.method} ${route}`) ?? this.routeSlowMs.get(route))) ??
        this.slowMs;
      const because =
        handledMs >= slowMs
          ? 'slow'
          : this.sampleRate > 0 && Math.random() < this.sampleRate
            ? 'sample'
            : undefined;
      if (because && this.metrics.admit()) {
        const round = (v: number) => Math.round(v * 10) / 10;
        this.metrics.push({
          createdOn: new Date().toISOString(),
          requestId: request.id,
          method: request.method,
          route,
          statusCode,
          durationMs,
          admissionWaitMs: round(admissionMs),
          poolWaitMs: round(poolMs),
          handledMs: round(handledMs),
          traceId: store?.traceId ?? null,
          dbStatements: Math.min(statements, 32_767),
          userId: principal?.userId ?? null,
          organizationId: principal?.organizationId ?? null,
          sampledBecause: because,
        });
      }
    }
  }
}
