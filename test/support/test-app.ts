import type { LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AppConfig } from '../../src/core/config/config.schema';
import { loadConfig } from '../../src/core/config/config.schema';
import { computePoolBudget, replicaRuntimes } from '../../src/core/database/pool-budget';
import { enforceReplicaBudgets, enforceServerBudget } from '../../src/core/database/server-budget';
import { createApp } from '../../src/create-app';
import type { TestDatabase } from './test-db';
import { createTestDatabase } from './test-db';

export interface TestApp {
  app: NestFastifyApplication;
  /** For supertest: request(t.server). */
  server: Server;
  cfg: AppConfig;
  db: TestDatabase;
  close(): Promise<void>;
}

/**
 * The whole application on a database of its own, configured as in production
 * except for what `env` overrides. Redis keys get a prefix of their own. In
 * PgBouncer mode (TEST_PGBOUNCER_URL) the pool goes through PgBouncer with
 * USE_PGBOUNCER=true and the direct URL stays for session-bound work. The
 * connection budget is checked against the server, as main does at start.
 * `logger`: where the app logs (default: nowhere).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  db?: TestDatabase,
  logger: LoggerService | false = false,
): Promise<TestApp> {
  const database = db ?? (await createTestDatabase());
  const cfg = loadConfig({
    NODE_ENV: 'test',
    // No processors, sweeper or heartbeats unless a test asks for them (APP_ROLE all or
    // worker): background work would change rows under tests of the APIs.
    APP_ROLE: 'api',
    DATABASE_URL: database.pooledUrl,
    DATABASE_DIRECT_URL: database.url,
    ...(database.viaPgbouncer ? { USE_PGBOUNCER: 'true' } : {}),
    REDIS_KEY_PREFIX: `test-${randomBytes(4).toString('hex')}`,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123',
    REQUEST_LOGGING: 'false',
    FILE_LOGGING: 'false',
    PERFORMANCE_MONITORING: 'false',
    LOAD_DEMO_DATA: 'false',
    ...env,
  });
  await enforceServerBudget(cfg, cfg.db.directUrl ?? database.url);
  await enforceReplicaBudgets(cfg);
  const app = await createApp(
    cfg,
    {
      url: cfg.db.url ?? database.pooledUrl,
      poolMax: computePoolBudget(cfg.db).poolMax,
      replicas: replicaRuntimes(cfg.db),
    },
    logger,
  );
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    server: app.getHttpServer(),
    cfg,
    db: database,
    close: async () => {
      await app.close();
      if (!db) await database.drop();
    },
  };
}
