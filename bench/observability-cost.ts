import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import { format, transports } from 'winston';
import { loadConfig } from '../src/core/config/config.schema';
import { runMigrations } from '../src/core/database/migrations';
import { computePoolBudget } from '../src/core/database/pool-budget';
import { createApp } from '../src/core/http/create-app';
import { createAppLogger, WinstonNestLogger } from '../src/core/observability/logger';
import { withDirectClient } from '../src/seed/seed-runner';
import { seedSmall } from '../src/seed/small-seed';

export interface ObservabilityCostOptions {
  adminUrl?: string;
  redisUrl?: string;
  /** Seconds of load per variant and round. */
  seconds?: number;
  connections?: number;
  /** Rounds over every variant (interleaved, so drift hits them alike). */
  rounds?: number;
  log?: (line: string) => void;
}

export interface VariantResult {
  variant: string;
  requestsPerSecond: number;
  /** requests/s of this variant ÷ requests/s with everything off. */
  ratioToOff: number;
  p99Ms: number;
}

const VARIANTS: Record<string, Record<string, string>> = {
  off: {},
  'request logging': { REQUEST_LOGGING: 'true' },
  'performance monitoring': { PERFORMANCE_MONITORING: 'true' },
  'metrics sample 1%': { REQUEST_METRICS_MODE: 'sample', REQUEST_METRICS_SAMPLE_RATE: '0.01' },
  'all on': {
    REQUEST_LOGGING: 'true',
    PERFORMANCE_MONITORING: 'true',
    REQUEST_METRICS_MODE: 'sample',
    REQUEST_METRICS_SAMPLE_RATE: '0.01',
  },
};

/**
 * The cost of each observability switch on a hot grid route (GET
 * /api/documents?limit=50 as the platform admin): one api app per variant on
 * a scratch database with the small demo seed, production defaults otherwise,
 * log lines formatted as JSON into a sink (as stdout would get them).
 */
export async function runObservabilityCostBench(
  opts: ObservabilityCostOptions = {},
): Promise<VariantResult[]> {
  const adminUrl = opts.adminUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const seconds = opts.seconds ?? 8;
  const rounds = opts.rounds ?? 2;
  const log = opts.log ?? (() => undefined);
  const name = `postroom_bench_obs_${randomBytes(4).toString('hex')}`;
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const base = {
      NODE_ENV: 'production',
      APP_ROLE: 'api',
      DATABASE_URL: url,
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-01',
      REDIS_URL: opts.redisUrl ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `bench-${randomBytes(4).toString('hex')}`,
      DB_MAX_CONNECTIONS: '20',
    };
    await runMigrations(loadConfig(base), url);
    await withDirectClient(url, (q) =>
      seedSmall(q, {
        adminEmail: 'admin@postroom.local',
        adminPassword: 'bench',
        demoPassword: 'bench',
      }),
    );
    const samples = new Map<string, { rps: number[]; p99: number[] }>();
    for (let round = 0; round < rounds; round++) {
      for (const [variant, env] of Object.entries(VARIANTS)) {
        const r = await measure({ ...base, ...env }, url, seconds, opts.connections ?? 16);
        const s = samples.get(variant) ?? { rps: [], p99: [] };
        s.rps.push(r.rps);
        s.p99.push(r.p99);
        samples.set(variant, s);
        log(
          `observability cost, round ${round + 1}: ${variant}: ${Math.round(r.rps)} req/s, p99 ${r.p99} ms`,
        );
      }
    }
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const off = mean(samples.get('off')!.rps);
    return [...samples].map(([variant, s]) => ({
      variant,
      requestsPerSecond: Math.round(mean(s.rps)),
      ratioToOff: Math.round((mean(s.rps) / off) * 1000) / 1000,
      p99Ms: Math.round(mean(s.p99) * 10) / 10,
    }));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function measure(
  env: Record<string, string>,
  url: string,
  seconds: number,
  connections: number,
): Promise<{ rps: number; p99: number }> {
  const cfg = loadConfig(env);
  const sink = new Writable({ write: (_chunk, _enc, done) => done() });
  const logger = createAppLogger(cfg, [
    new transports.Stream({ stream: sink, format: format.json() }),
  ]);
  for (const t of logger.transports) if (t instanceof transports.Console) t.silent = true;
  const app = await createApp(
    cfg,
    { url, poolMax: computePoolBudget(cfg.db).poolMax },
    new WinstonNestLogger(logger),
  );
  await app.listen(0, '127.0.0.1');
  try {
    const base = await app.getUrl();
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@postroom.local', password: 'bench' }),
    });
    const { token } = (await login.json()) as { token: string };
    const target = {
      url: `${base}/api/documents?limit=50`,
      headers: { authorization: `Bearer ${token}` },
      connections,
    };
    await autocannon({ ...target, duration: 2 }); // warm-up
    const r = await autocannon({ ...target, duration: seconds });
    if (r.non2xx > 0) throw new Error(`${r.non2xx} answers were not 2xx`);
    return { rps: r.requests.average, p99: r.latency.p99 };
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  runObservabilityCostBench({ log: (l) => process.stdout.write(`${l}\n`) })
    .then((r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${String(e)}\n`);
      process.exit(1);
    });
}
