import type { LoggerService } from '@nestjs/common';
import { Logger, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module';
import type { AppConfig } from './core/config/config.schema';
import { openRequestContexts } from './core/context/request-context.hook';
import type { DatabaseRuntime } from './core/database/database.runtime';
import { RequestObserver } from './core/observability/request-observer';
import { Metrics } from './core/observability/metrics';
import { AdmissionGate, attachAdmission } from './core/http/admission-gate';
import {
  LOGIN_LANE_METRICS,
  MAIN_GATE_METRICS,
  registerAdmissionMetrics,
} from './core/http/admission-metrics';
import { acceptJsonBodiesOnly, clientErrorHandler } from './core/http/http-layer-errors';
import { applyRouteBodyLimits } from './core/http/route-body-limit';
import { securityHeaders } from './core/http/security-headers';
import { createValidationPipe } from './core/http/validation.pipe';

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

/** Builds the HTTP application (used by main and by the e2e tests alike). */
export async function createApp(
  cfg: AppConfig,
  db: DatabaseRuntime,
  logger: LoggerService | false,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: cfg.http.bodyLimitBytes,
    trustProxy: cfg.http.trustProxy,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Idle keep-alive sockets are closed on shutdown; in-flight requests finish.
    forceCloseConnections: 'idle',
    // 431 (URL/headers over 16 KB), 408 and bad HTTP in the standard error shape.
    clientErrorHandler,
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
  if (gate || login) attachAdmission(adapter.getInstance(), gate, { login });
  // Everything after this hook runs in the request's context.
  openRequestContexts(adapter.getInstance());
  applyRouteBodyLimits(adapter.getInstance());
  acceptJsonBodiesOnly(adapter.getInstance());
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
  new Logger('Observability').log(
    observing.length > 0
      ? `on: ${observing.join(', ')}`
      : 'request logging, performance monitoring and request metrics are off',
  );
  if (gate) registerAdmissionMetrics(app.get(Metrics).registry, gate, MAIN_GATE_METRICS);
  if (login) registerAdmissionMetrics(app.get(Metrics).registry, login, LOGIN_LANE_METRICS);
  // On every answer, 404s and errors included, as helmet itself would set them.
  adapter.getInstance().addHook('onRequest', (_req, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
  app.enableCors({
    origin: cfg.http.corsOrigins.length > 0 ? cfg.http.corsOrigins : false,
    credentials: true,
    exposedHeaders: ['Retry-After', 'X-Request-Id'],
  });
  app.setGlobalPrefix('api', {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'health/*path', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  if (cfg.role === 'worker') return app;

  const openApi = new DocumentBuilder()
    .setTitle('Postroom API')
    .setDescription(
      'Document management and digital mailroom. Every list is a server-side grid: sort, filter, search, keyset paging and column-value discovery.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, openApi), {
    jsonDocumentUrl: 'docs-json',
  });
  return app;
}
