import type { LoggerService } from '@nestjs/common';
import { Logger, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { AppModule } from './app.module';
import type { AppConfig } from './core/config/config.schema';
import { openRequestContexts } from './core/context/request-context.hook';
import type { DatabaseRuntime } from './core/database/database.runtime';
import { RequestObserver } from './core/observability/request-observer';
import { Metrics } from './core/observability/metrics';
import { Tracing } from './core/observability/tracing';
import { SystemMonitor, registerEventLoopMetrics } from './core/health/system-monitor';
import { AdmissionGate, attachAdmission } from './core/http/admission-gate';
import {
  HEAVY_BODY_LANE_METRICS,
  LOGIN_LANE_METRICS,
  MAIN_GATE_METRICS,
  registerBodyParseMetrics,
  registerAdmissionMetrics,
} from './core/http/admission-metrics';
import { defaultConsoleDir, serveConsole } from './core/http/console-assets';
import { corsOptions } from './core/http/cors';
import {
  acceptJsonBodiesOnly,
  clientErrorHandler,
  frameworkErrors,
} from './core/http/http-layer-errors';
import { registerJsonBodyParser } from './core/http/json-body-parser';
import type { BodyParseFigures } from './core/http/json-body-parser';
import { applyRouteBodyLimits } from './core/http/route-body-limit';
import { securityHeaders } from './core/http/security-headers';
import { createValidationPipe } from './core/http/validation.pipe';
import { openApiDocument } from './openapi-document';

/** The port a role listens on: the worker serves only its health port. */
export function listenPort(cfg: AppConfig): number {
  return cfg.role === 'worker' ? cfg.health.port : cfg.http.port;
}

/**
 * The in-flight cap of an api process: HTTP_MAX_IN_FLIGHT, by default four
 * requests per pooled connection (a request holds a connection only while its
 * SQL runs); none for the worker, which serves only health.
 */
function admissionGate(
  cfg: AppConfig,
  db: DatabaseRuntime,
  headers: readonly (readonly [string, string])[],
): AdmissionGate | undefined {
  const max = cfg.http.maxInFlight ?? 4 * db.poolMax;
  if (cfg.role === 'worker' || max === 0) return undefined;
  return new AdmissionGate({
    maxInFlight: max,
    queueTimeoutMs: cfg.http.queueTimeoutMs,
    headers,
    corsOrigins: cfg.http.corsOrigins,
  });
}

/**
 * Sign-ins wait in a lane of their own (LOGIN_MAX_IN_FLIGHT): each costs a
 * ~50 ms password hash, so a flood of them in the main gate would hold every
 * slot signed-in requests need. The cap also bounds the hashes running at once
 * on libuv's threadpool (see HashSlots for clients that leave mid-hash).
 */
function loginLane(
  cfg: AppConfig,
  headers: readonly (readonly [string, string])[],
): AdmissionGate | undefined {
  if (cfg.role === 'worker') return undefined;
  return new AdmissionGate({
    maxInFlight: cfg.http.loginMaxInFlight,
    queueTimeoutMs: cfg.http.loginQueueTimeoutMs,
    headers,
    corsOrigins: cfg.http.corsOrigins,
    busyCode: 'LOGIN_BUSY',
    admits: 'sign-ins',
  });
}

/**
 * Requests whose declared body is above BODY_OFFLOAD_BYTES wait in a lane of
 * their own (BODY_HEAVY_MAX_IN_FLIGHT at once), not in the main gate: their
 * bytes are read only once admitted, and a few large uploads cannot hold the
 * slots everything else needs.
 */
function heavyBodyLane(
  cfg: AppConfig,
  headers: readonly (readonly [string, string])[],
): { gate: AdmissionGate; minBytes: number } | undefined {
  if (cfg.role === 'worker') return undefined;
  return {
    gate: new AdmissionGate({
      maxInFlight: cfg.http.bodyHeavyMaxInFlight,
      queueTimeoutMs: cfg.http.bodyHeavyQueueTimeoutMs,
      headers,
      corsOrigins: cfg.http.corsOrigins,
      busyCode: 'BODY_BUSY',
      admits: 'requests with a large body',
    }),
    minBytes: cfg.http.bodyOffloadBytes,
  };
}

/**
 * The body-parse threads' script: the compiled one, or under the test runner
 * (running the TypeScript sources) the source with a require hook.
 */
function bodyParseWorker(): { workerFile: string; workerExecArgv?: string[] } {
  if (__filename.endsWith('.js')) return { workerFile: join(__dirname, 'body-parse.worker.js') };
  return {
    workerFile: join(__dirname, 'body-parse.worker.ts'),
    workerExecArgv: ['--require', join(__dirname, '..', 'test', 'support', 'ts-register.js')],
  };
}

/** A request id a caller may choose: up to 128 characters of letters, digits and . _ : - */
function callerRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && /^[\w.:-]{1,128}$/.test(header) ? header : undefined;
}

/** Builds the HTTP application (used by main and by the e2e tests alike). */
export async function createApp(
  cfg: AppConfig,
  db: DatabaseRuntime,
  logger: LoggerService | false,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: cfg.http.bodyLimitBytes,
    trustProxy: cfg.http.trustProxy,
    // A caller's X-Request-Id is kept when it looks like one (it goes into logs and the
    // audit log); anything else gets a fresh id. Either way the answer carries it.
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) =>
      callerRequestId(req.headers['x-request-id']) ?? randomUUID(),
    // Idle keep-alive sockets are closed on shutdown; in-flight requests finish.
    forceCloseConnections: 'idle',
    // 431 (URL/headers over 16 KB), 408 and bad HTTP in the standard error shape.
    clientErrorHandler,
    // A URL that does not decode, a path parameter too long: in the standard error shape.
    frameworkErrors,
  });
  const headers = securityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // The OpenAPI UI at /docs uses inline styles and scripts.
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  // First of all hooks: a request waiting for admission has nothing of its own running yet.
  const gate = admissionGate(cfg, db, headers);
  const login = loginLane(cfg, headers);
  const heavy = heavyBodyLane(cfg, headers);
  if (gate || login || heavy) attachAdmission(adapter.getInstance(), gate, { login }, heavy);
  // Everything after this hook runs in the request's context.
  openRequestContexts(adapter.getInstance());
  applyRouteBodyLimits(adapter.getInstance());
  acceptJsonBodiesOnly(adapter.getInstance());
  // Our JSON parser (limits, prototype keys, heavy bodies on threads) instead of Fastify's.
  const bodyParse: () => BodyParseFigures = registerJsonBodyParser(adapter.getInstance(), {
    offloadBytes: cfg.http.bodyOffloadBytes,
    threads: cfg.http.bodyParseThreads,
    ...bodyParseWorker(),
  });
  // Nest's own parsers: the URL-encoded one as before; marks them registered, so Nest adds no JSON one.
  adapter.useBodyParser(
    'application/x-www-form-urlencoded',
    false,
    undefined,
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body.toString())));
    },
  );
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(cfg, db),
    adapter,
    {
      logger,
      abortOnError: false,
    },
  );
  // Before the routes are registered (app.init): hooks switched off are never added.
  const observing = app.get(RequestObserver).attach(adapter.getInstance());
  // After the request-context hook: the trace id goes into the request's store.
  const tracing = app.get(Tracing);
  if (tracing.on) {
    tracing.attachHttp(adapter.getInstance());
    observing.push(
      `tracing (ratio ${cfg.tracing.sampleRatio}, OTLP/HTTP to ${cfg.tracing.endpoint}, service ${cfg.tracing.serviceName})`,
    );
  }
  new Logger('Observability').log(
    observing.length > 0
      ? `on: ${observing.join(', ')}`
      : 'request logging, performance monitoring, request metrics and tracing are off',
  );
  if (gate) registerAdmissionMetrics(app.get(Metrics).registry, gate, MAIN_GATE_METRICS);
  if (login) registerAdmissionMetrics(app.get(Metrics).registry, login, LOGIN_LANE_METRICS);
  if (heavy) {
    registerAdmissionMetrics(app.get(Metrics).registry, heavy.gate, HEAVY_BODY_LANE_METRICS);
  }
  registerBodyParseMetrics(app.get(Metrics).registry, bodyParse);
  registerEventLoopMetrics(app.get(Metrics).registry, app.get(SystemMonitor, { strict: false }));
  // On every answer, 404s and errors included, as helmet itself would set them.
  adapter.getInstance().addHook('onRequest', (req, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    reply.raw.setHeader('x-request-id', req.id);
    done();
  });
  app.enableCors(corsOptions(cfg.http.corsOrigins));
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/*path', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  if (cfg.role === 'worker') return app;

  SwaggerModule.setup('docs', app, () => openApiDocument(app), { jsonDocumentUrl: 'docs-json' });
  serveConsole(
    app,
    cfg.http.consoleDir ?? defaultConsoleDir(__dirname, __filename.endsWith('.js')),
  );
  return app;
}
