import { loadConfig } from '../src/core/config/config.schema';
import { computePoolBudget } from '../src/core/database/pool-budget';

/** The scenarios `npm run bench` knows, in the order it runs them. */
export const SCENARIOS = [
  'grid-admin',
  'grid-user',
  'grid-filtered',
  'grid-deep',
  'grid-offset',
  'grid-offset-admin',
  'values-user',
  'values-filtered',
  'inbox',
  'item',
  'parallel-loaders',
  'observability',
  'burst',
  'login-flood',
  'bulk-upload',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/**
 * Postroom's own default pool, ⌊(DB_MAX_CONNECTIONS 20 − DB_RESERVED_CONNECTIONS 3) ÷ 1⌋:
 * a request holds a connection only while its SQL runs, so 32 requests in flight
 * never wait on 17 connections when 2 cores run PostgreSQL (measured: the same
 * throughput as a pool of 32, within the noise).
 */
export const DEFAULT_POOL = computePoolBudget(loadConfig({}).db).poolMax;

export interface BenchArgs {
  durationSec: number;
  warmupSec: number;
  /** The measured duration is taken in this many slices, alternating API and floors. */
  slices: number;
  connections: number;
  /** Connections of the low-load scenario (parallel-loaders): latency, not throughput. */
  lowConnections: number;
  /** Pool of the Postroom under test and of the runtime floor (same size for both). */
  pool: number;
  burstConnections: number;
  burstPool: number;
  /** Connections of the sign-in storm of the login-flood scenario. */
  loginStormConnections: number;
  only: ScenarioName[];
  databaseUrl: string;
  /** Run Postroom and the runtime floor with --cpu-prof (profiles under bench/results/profiles). */
  cpuProf: boolean;
}

export const BENCH_USAGE = `usage: npm run bench -- [options]
  --duration <s>          measured seconds per run (default 15)
  --warmup <s>            warm-up seconds before each run (default 5)
  --slices <n>            measure in n slices alternating API, runtime floor and
                          SQL floor (default 3: 3 × 5 s each)
  --connections <n>       concurrent connections (default 32)
  --low-connections <n>   connections of the low-load scenario parallel-loaders (default 1)
  --pool <n>              pool of Postroom and of the runtime floor (default ${DEFAULT_POOL},
                          Postroom's production default)
  --burst-connections <n> connections of the burst scenario (default 500)
  --burst-pool <n>        pool of the Postroom answering the burst (default 10)
  --login-storm-connections <n>
                          connections signing in with unknown emails in the
                          login-flood scenario (default 1000)
  --only <a,b,...>        scenarios to run: ${SCENARIOS.join(', ')}
  --database-url <url>    the large data set (default BENCH_DATABASE_URL or
                          postgres://postgres@127.0.0.1:5432/postroom_large)
  --cpu-prof              profile Postroom and the runtime floor (node --cpu-prof,
                          under bench/results/profiles)`;

export class BenchArgsError extends Error {}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postroom_large';

function positiveInt(flag: string, v: string, max: number): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) {
    throw new BenchArgsError(`${flag}: got "${v}", accepts an integer 1..${max}`);
  }
  return Number(v);
}

/** Flags first; the environment only supplies the database when no flag does. */
export function parseBenchArgs(
  argv: readonly string[],
  env: Record<string, string | undefined> = {},
): BenchArgs {
  let pool: number | undefined;
  const args: Omit<BenchArgs, 'pool'> = {
    durationSec: 15,
    warmupSec: 5,
    slices: 3,
    connections: 32,
    lowConnections: 1,
    burstConnections: 500,
    burstPool: 10,
    loginStormConnections: 1000,
    only: [...SCENARIOS],
    databaseUrl: env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL,
    cpuProf: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new BenchArgsError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--duration':
        args.durationSec = positiveInt(flag, value(), 3600);
        break;
      case '--warmup': {
        const v = value();
        args.warmupSec = v === '0' ? 0 : positiveInt(flag, v, 600);
        break;
      }
      case '--slices':
        args.slices = positiveInt(flag, value(), 100);
        break;
      case '--connections':
        args.connections = positiveInt(flag, value(), 10_000);
        break;
      case '--low-connections':
        args.lowConnections = positiveInt(flag, value(), 10_000);
        break;
      case '--pool':
        pool = positiveInt(flag, value(), 1000);
        break;
      case '--burst-connections':
        args.burstConnections = positiveInt(flag, value(), 10_000);
        break;
      case '--burst-pool':
        args.burstPool = positiveInt(flag, value(), 1000);
        break;
      case '--login-storm-connections':
        args.loginStormConnections = positiveInt(flag, value(), 10_000);
        break;
      case '--only':
        args.only = parseOnly(value());
        break;
      case '--database-url': {
        const v = value();
        if (!/^postgres(ql)?:\/\//.test(v)) {
          throw new BenchArgsError(`--database-url: got "${v}", accepts a postgres:// URL`);
        }
        args.databaseUrl = v;
        break;
      }
      case '--cpu-prof':
        args.cpuProf = true;
        break;
      default:
        throw new BenchArgsError(`unknown argument "${argv[i]}"`);
    }
  }
  if (args.slices > args.durationSec) {
    throw new BenchArgsError(
      `--slices: ${args.slices} slices of a ${args.durationSec} s run are under a second each`,
    );
  }
  if ((pool ?? DEFAULT_POOL) < 2 || args.burstPool < 2) {
    throw new BenchArgsError('--pool and --burst-pool: Postroom needs a pool of at least 2');
  }
  return { ...args, pool: pool ?? DEFAULT_POOL };
}

function parseOnly(v: string): ScenarioName[] {
  const names = v.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(SCENARIOS as readonly string[]).includes(n)) {
      throw new BenchArgsError(
        `--only: unknown scenario "${n}"; scenarios: ${SCENARIOS.join(', ')}`,
      );
    }
  }
  // Always in the canonical order, each once.
  return SCENARIOS.filter((s) => names.includes(s));
}
