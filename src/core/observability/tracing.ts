import type { OnModuleDestroy } from '@nestjs/common';
import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  defaultTextMapGetter,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ClsServiceManager } from 'nestjs-cls';
import type { AppConfig } from '../config/config.schema';
import type { RequestStore } from '../context/request-context.service';
import { admissionWaitMs } from '../http/admission-gate';
import { isProbePath } from '../http/probe-paths';

/** Longest SQL text kept on a statement's span (parameterized text: never values). */
const MAX_SQL_TEXT = 4_096;

/** The W3C traceparent of a span context. */
function traceparentOf(span: Span): string {
  const sc = span.spanContext();
  const flags = sc.traceFlags & TraceFlags.SAMPLED ? '01' : '00';
  return `00-${sc.traceId}-${sc.spanId}-${flags}`;
}

/** The first word of a statement, for the span name ("SELECT", "INSERT", "BEGIN"). */
function verb(sql: string): string {
  const m = /^\s*([A-Za-z]+)/.exec(sql);
  return m ? m[1].toUpperCase() : 'SQL';
}

/**
 * OpenTelemetry tracing, switched by TRACING. Off: no tracer provider, no span
 * processor, no context manager and no hook; every instrumented choke point
 * (HTTP hook, admission, pool acquire, query, shared cache, batch producer and
 * processor) checks `tracer` once and goes on as before.
 *
 * On: one tracer provider of this application (nothing global is registered,
 * so several applications in one process keep their own), a parent-based ratio
 * sampler, a batch span processor sending OTLP/HTTP (JSON) to
 * OTEL_EXPORTER_OTLP_ENDPOINT. Children are made only under a recording parent:
 * an unsampled request costs its one sampling decision, and work outside any
 * request (start-up, the metrics writer, the pool monitor) makes no span.
 */
export class Tracing implements OnModuleDestroy {
  readonly tracer: Tracer | undefined;
  /** The span processors registered (none when off). */
  readonly processors: readonly SpanProcessor[];
  private readonly provider: BasicTracerProvider | undefined;
  private readonly contexts: AsyncLocalStorageContextManager | undefined;
  private readonly propagator = new W3CTraceContextPropagator();
  private readonly spans = new WeakMap<FastifyRequest, Span>();

  constructor(readonly cfg: AppConfig['tracing'] & { role?: string }) {
    if (!cfg.enabled) {
      this.processors = [];
      return;
    }
    const exporter = new OTLPTraceExporter({
      url: `${cfg.endpoint}/v1/traces`,
      timeoutMillis: 5_000,
    });
    this.processors = [
      new BatchSpanProcessor(exporter, {
        maxQueueSize: 4_096,
        maxExportBatchSize: 512,
        scheduledDelayMillis: 1_000,
      }),
    ];
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        'service.name': cfg.serviceName,
        ...(cfg.role ? { 'postroom.role': cfg.role } : {}),
      }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(cfg.sampleRatio) }),
      spanProcessors: [...this.processors],
    });
    this.contexts = new AsyncLocalStorageContextManager().enable();
    this.tracer = this.provider.getTracer('postroom');
  }

  get on(): boolean {
    return this.tracer !== undefined;
  }

  /** The recording span of the current async scope, if any. */
  active(): Span | undefined {
    if (!this.contexts) return undefined;
    const span = trace.getSpan(this.contexts.active());
    return span?.isRecording() ? span : undefined;
  }

  /** A span under `parent` (default: the active span); none unless that parent is recording. */
  child(
    name: string,
    attributes?: Attributes,
    parent?: Span,
    kind: SpanKind = SpanKind.INTERNAL,
  ): Span | undefined {
    if (!this.tracer) return undefined;
    const p = parent ?? this.active();
    if (!p?.isRecording()) return undefined;
    return this.tracer.startSpan(name, { kind, attributes }, trace.setSpan(ROOT_CONTEXT, p));
  }

  /** A statement's span under the span of the connection it runs on. */
  statement(parent: Span, sql: string): Span | undefined {
    return this.child(
      `${verb(sql)}`,
      {
        'db.system.name': 'postgresql',
        'db.query.text': sql.length > MAX_SQL_TEXT ? sql.slice(0, MAX_SQL_TEXT) : sql,
      },
      parent,
      SpanKind.CLIENT,
    );
  }

  /** fn with `span` as the active span (fn alone when there is none). */
  within<T>(span: Span | undefined, fn: () => T): T {
    if (!span || !this.contexts) return fn();
    return this.contexts.with(trace.setSpan(this.contexts.active(), span), fn);
  }

  /** fn inside a child span of the active one (when recording), ended when fn settles. */
  async inChild<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
    const span = this.child(name, attributes);
    return span ? this.runEnded(span, fn) : fn();
  }

  /** fn with `span` active, the span marked failed when fn throws and ended when it settles. */
  private async runEnded<T>(span: Span, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.within(span, fn);
    } catch (e) {
      fail(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  /**
   * The traceparent to carry into queued work: that of `span`, or of the active
   * span, sampled or not (so the job follows the request's decision).
   */
  traceparent(span?: Span): string | undefined {
    const s = span ?? (this.contexts && trace.getSpan(this.contexts.active()));
    return s ? traceparentOf(s) : undefined;
  }

  /**
   * Runs a queued job (in its own request context) inside a CONSUMER span whose
   * parent is the traceparent the producer carried (none: a new trace, sampled
   * at the ratio). The job's log lines carry its trace id.
   */
  async job<T>(
    name: string,
    traceparent: string | undefined,
    attributes: Attributes,
    fn: () => Promise<T>,
  ): Promise<T> {
    if (!this.tracer) return fn();
    const parent = this.extract(traceparent);
    const span = this.tracer.startSpan(name, { kind: SpanKind.CONSUMER, attributes }, parent);
    const store = currentStore();
    if (store) store.traceId = span.spanContext().traceId;
    // Unsampled too: the job's work must not fall into whatever context it was called from.
    if (!span.isRecording()) return this.within(span, fn);
    return this.runEnded(span, fn);
  }

  /**
   * The SERVER span of each request (probes excepted), started when the request
   * arrived and ended in onResponse; its admission wait as a child span of the
   * same start. A caller's traceparent is continued and the answer carries ours.
   * Add after the request-context hook: the trace id goes into its store.
   */
  attachHttp(fastify: FastifyInstance): void {
    const tracer = this.tracer;
    if (!tracer) return;
    fastify.addHook('onRequest', (request, reply, done) => {
      if (isProbePath(request.url)) {
        done();
        return;
      }
      const now = Date.now();
      const started = now - reply.elapsedTime;
      const route = request.routeOptions.url;
      const parent = this.extract(request.headers.traceparent, request.headers.tracestate);
      const span = tracer.startSpan(
        route ? `${request.method} ${route}` : request.method,
        {
          kind: SpanKind.SERVER,
          startTime: started,
          attributes: {
            'http.request.method': request.method,
            'url.path': request.url.split('?', 1)[0],
            ...(route ? { 'http.route': route } : {}),
            'postroom.request_id': request.id,
          },
        },
        parent,
      );
      reply.raw.setHeader('traceparent', traceparentOf(span));
      const store = currentStore();
      if (store) store.traceId = span.spanContext().traceId;
      // Entered also when not sampled: a request the admission gate lets in from
      // another one's answer runs its hooks in that one's context, and would
      // otherwise add its spans to that trace. Its children see an unsampled
      // parent and make none; its queued work carries the unsampled traceparent.
      const ctx = trace.setSpan(parent, span);
      const contexts = this.contexts as AsyncLocalStorageContextManager;
      if (!span.isRecording()) {
        contexts.with(ctx, done);
        return;
      }
      this.spans.set(request, span);
      const waited = admissionWaitMs(request);
      tracer
        .startSpan(
          'admission.wait',
          {
            startTime: started,
            attributes: { 'postroom.admission.queued': waited > 0 },
          },
          ctx,
        )
        .end(started + waited);
      contexts.with(ctx, done);
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      const span = this.spans.get(request);
      if (span) {
        this.spans.delete(request);
        span.setAttribute('http.response.status_code', reply.statusCode);
        if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      done();
    });
  }

  /** Sends what is buffered (tests, shutdown). */
  async flush(): Promise<void> {
    await this.provider?.forceFlush();
  }

  async onModuleDestroy(): Promise<void> {
    await this.provider?.shutdown().catch(() => undefined);
    this.contexts?.disable();
  }

  private extract(traceparent: unknown, tracestate?: unknown): Context {
    if (typeof traceparent !== 'string') return ROOT_CONTEXT;
    const carrier: Record<string, string> = { traceparent };
    if (typeof tracestate === 'string') carrier.tracestate = tracestate;
    return this.propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
  }
}

/** Marks a span failed with the error's message. */
export function fail(span: Span, e: unknown): void {
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: e instanceof Error ? e.message : String(e),
  });
  if (e instanceof Error) span.recordException(e);
}

function currentStore(): RequestStore | undefined {
  const cls = ClsServiceManager.getClsService<RequestStore>();
  return cls.isActive() ? cls.get() : undefined;
}
