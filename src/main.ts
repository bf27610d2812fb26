import 'reflect-metadata';
import { appConfig } from './core/config/config.module';
import type { AppConfig } from './core/config/config.schema';
import { ConfigError, redact } from './core/config/config.schema';
import type { EmbeddedDatabase } from './core/database/embedded-postgres';
import { EmbeddedPostgresError, startEmbeddedPostgres } from './core/database/embedded-postgres';
import { runMigrations } from './core/database/migrations';
import { computePoolBudget, replicaRuntimes } from './core/database/pool-budget';
import { enforceReplicaBudgets, enforceServerBudget } from './core/database/server-budget';
import { HealthChecks } from './core/health/health-checks.service';
import { HealthState } from './core/health/health-state';
import { createApp, listenPort } from './create-app';
import { createAppLogger, WinstonNestLogger } from './core/observability/logger';
import { loadDemoDataOnce } from './seed/demo-data';

async function main(): Promise<void> {
  let cfg: AppConfig;
  let poolMax: number;
  let replicas: ReturnType<typeof replicaRuntimes>;
  try {
    cfg = appConfig();
    poolMax = computePoolBudget(cfg.db).poolMax;
    replicas = replicaRuntimes(cfg.db);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const log = createAppLogger(cfg);
  const say = (message: string) => log.info(message, { context: 'Startup' });

  let embedded: EmbeddedDatabase | undefined;
  let url = cfg.db.url;
  let directUrl = cfg.db.directUrl;
  if (url === undefined) {
    say(`no DATABASE_URL: using the embedded PostgreSQL in ${cfg.db.embeddedDir}`);
    embedded = await startEmbeddedPostgres(cfg.db.embeddedDir, cfg.db.embeddedPort, say);
    url = directUrl = embedded.url;
  }
  directUrl ??= url;
  await enforceServerBudget(cfg, directUrl, say);
  await enforceReplicaBudgets(cfg, say);

  if (cfg.db.migrateOnStart) {
    const applied = await runMigrations(cfg, directUrl);
    say(
      applied.length > 0
        ? `applied migrations: ${applied.join(', ')}`
        : 'database schema is up to date',
    );
  }
  const demo = cfg.seed.loadDemoData ? await loadDemoDataOnce(cfg, directUrl) : undefined;
  if (demo?.loaded) say('loaded the demo data set');

  const app = await createApp(cfg, { url, poolMax, replicas }, new WinstonNestLogger(log));
  await app.listen(listenPort(cfg), cfg.http.host);

  const shown = cfg.http.host === '0.0.0.0' ? 'localhost' : cfg.http.host;
  const base = `http://${shown}:${listenPort(cfg)}`;
  const serves =
    cfg.role === 'worker' ? `health only, ${base}/health` : `API ${base}/api, docs ${base}/docs`;
  say(
    `Postroom (${cfg.role}, ${cfg.nodeEnv}) listening on ${base} — ${serves}, ` +
      `database ${redact(url)}, pool ${poolMax}` +
      (replicas.length > 0
        ? `, ${replicas.length} read replica(s) with a pool of ${replicas[0].poolMax} each`
        : ''),
  );
  say(await app.get(HealthChecks).summary());
  if (demo && demo.logins.length > 0) {
    say(
      `demo logins:\n${demo.logins.map((l) => `    ${l.email.padEnd(28)} ${l.password.padEnd(16)} ${l.what}`).join('\n')}`,
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.get(HealthState).beginShutdown();
    say(`${signal}: finishing in-flight requests, then closing the pool and queues`);
    setTimeout(() => {
      log.error(`shutdown took longer than ${cfg.http.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, cfg.http.shutdownTimeoutMs).unref();
    try {
      await app.close();
      await embedded?.stop();
      process.exit(0);
    } catch (e) {
      log.error(`shutdown failed: ${String(e)}`);
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  const message =
    e instanceof EmbeddedPostgresError || e instanceof ConfigError
      ? e.message
      : e instanceof Error
        ? (e.stack ?? e.message)
        : String(e);
  process.stderr.write(`Postroom could not start: ${message}\n`);
  process.exit(1);
});
