import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DATABASE_URL, DEFAULT_POOL } from './bench-args';
import { freePort } from './child-process';
import { ensureLargeSeed } from './ensure-seed';
import type { LoadResult } from './load';
import { SlicedLoad } from './load';
import type { PgCost } from './pg-cost';
import { ServerCostMeters, addCost, perRequest } from './pg-cost';
import type { RunningPostroom } from './postroom-process';
import { REPO_ROOT, startPostroom } from './postroom-process';
import { benchLogins, documentsPath, login } from './scenarios';
import type { StreamingReplica } from './streaming-replica';
import { startReplica } from './streaming-replica';

/**
 * Read replicas: grid-user and values-user on a Postroom with the primary alone
 * and on one with a streaming replica beside it (DATABASE_READ_URLS), the same
 * pool on every server, and how PostgreSQL's backend CPU splits between the two
 * servers. Both servers run on this machine and share its cores: the figures
 * show where the work goes, not a speed-up.
 *
 *   npm run build && npm run bench:replicas -- [--duration 10] [--slices 2]
 *     [--connections 16] [--pool N] [--database postgres://…/postroom_large]
 */
const say = (m: string) => process.stdout.write(`${m}\n`);

interface Args {
  durationSec: number;
  slices: number;
  connections: number;
  pool: number;
  databaseUrl: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    durationSec: 10,
    slices: 2,
    connections: 16,
    pool: DEFAULT_POOL,
    databaseUrl: process.env.BENCH_DATABASE_URL || DEFAULT_DATABASE_URL,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, v] = [argv[i], argv[i + 1]];
    const n = Number(v);
    const int = () => {
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`${flag}: got "${v}", accepts an integer ≥ 1`);
      return n;
    };
    if (flag === '--duration') a.durationSec = int();
    else if (flag === '--slices') a.slices = int();
    else if (flag === '--connections') a.connections = int();
    else if (flag === '--pool') a.pool = int();
    else if (flag === '--database') a.databaseUrl = v;
    else throw new Error(`unknown flag ${flag}`);
  }
  return a;
}

interface SetupResult {
  setup: string;
  load: LoadResult;
  /** Backend CPU per answered request on each server, µs. */
  pgCpuUsPerReq: Record<string, number>;
  /** Each server's share of the PostgreSQL CPU. */
  pgCpuShare: Record<string, number>;
  pgPerReq: Record<string, PgCost>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const database = new URL(args.databaseUrl).pathname.slice(1);
  say(
    `read-replica bench: ${args.connections} connections, ${args.slices} × ${args.durationSec / args.slices} s per setup and scenario, pool ${args.pool} per server`,
  );
  await ensureLargeSeed(args.databaseUrl, say);
  say('starting a streaming replica (pg_basebackup of the whole server: takes a while)');
  const replica: StreamingReplica = await startReplica(withDatabase(args.databaseUrl, 'postgres'));
  const running: RunningPostroom[] = [];
  const meters = new ServerCostMeters({
    primary: args.databaseUrl,
    'replica-0': replica.url(database),
  });
  try {
    await replica.waitForDatabase(database);
    await replica.catchUp();
    const common = {
      databaseUrl: args.databaseUrl,
      maxConnections: args.pool + 3,
      redisPrefix: `postroom-bench-replicas-${process.pid}`,
      jwtSecret: randomBytes(32).toString('hex'),
    };
    const setups: [string, RunningPostroom][] = [];
    for (const [label, env] of [
      ['primary alone', {}],
      [
        'primary + replica',
        {
          DATABASE_READ_URLS: replica.url(database),
          DB_REPLICA_MAX_CONNECTIONS: String(args.pool + 3),
        },
      ],
    ] as const) {
      const p = await startPostroom(label, {
        ...common,
        port: await freePort(),
        poolMax: args.pool,
        env,
      });
      running.push(p);
      setups.push([label, p]);
    }
    const u = benchLogins().user;
    const token = await login(setups[0][1].baseUrl, u.email, u.password);
    const headers = { authorization: `Bearer ${token}` };
    const scenarios: [string, string][] = [
      ['grid-user', documentsPath()],
      ['values-user', '/api/documents/columns/status/values'],
    ];
    const results: Record<string, SetupResult[]> = {};
    for (const [name, path] of scenarios) {
      const loads = setups.map(
        ([, p]) =>
          new SlicedLoad({
            url: p.baseUrl + path,
            headers,
            connections: args.connections,
            serverPid: p.child.pid,
          }),
      );
      for (const l of loads) await l.warmup(2);
      const spent: Record<string, PgCost>[] = setups.map(() => ({}));
      // Slices of the two setups alternate: a neighbour's burst weighs on both alike.
      for (let s = 0; s < args.slices; s++) {
        for (const [i, l] of loads.entries()) {
          const before = await meters.snapshot();
          await l.slice(args.durationSec / args.slices);
          const cost = ServerCostMeters.between(before, await meters.snapshot());
          for (const [server, c] of Object.entries(cost)) {
            spent[i][server] = spent[i][server] ? addCost(spent[i][server], c) : c;
          }
        }
      }
      results[name] = setups.map(([label], i) => {
        const load = loads[i].result();
        const total = Object.values(spent[i]).reduce((n, c) => n + c.backendCpuUs, 0);
        const pgPerReq: Record<string, PgCost> = {};
        const pgCpuUsPerReq: Record<string, number> = {};
        const pgCpuShare: Record<string, number> = {};
        for (const [server, c] of Object.entries(spent[i])) {
          pgPerReq[server] = perRequest(c, load.requests);
          pgCpuUsPerReq[server] = Math.round(pgPerReq[server].backendCpuUs);
          pgCpuShare[server] = total > 0 ? Math.round((c.backendCpuUs / total) * 1000) / 1000 : 0;
        }
        return { setup: label, load, pgCpuUsPerReq, pgCpuShare, pgPerReq };
      });
    }
    say('');
    say(
      'scenario     setup              req/s    p50 ms  p99 ms  non-2xx  PG CPU µs/req (primary | replica)  split',
    );
    for (const [name, rows] of Object.entries(results)) {
      for (const r of rows) {
        const p = r.pgCpuUsPerReq.primary ?? 0;
        const q = r.pgCpuUsPerReq['replica-0'] ?? 0;
        const split = `${Math.round((r.pgCpuShare.primary ?? 0) * 100)}% | ${Math.round((r.pgCpuShare['replica-0'] ?? 0) * 100)}%`;
        say(
          `${name.padEnd(12)} ${r.setup.padEnd(18)} ${r.load.reqPerSec.toFixed(0).padStart(6)} ${String(r.load.p50Ms).padStart(8)} ${String(r.load.p99Ms).padStart(7)} ${String(r.load.non2xx).padStart(8)}  ${String(p).padStart(8)} | ${String(q).padEnd(8)}              ${split}`,
        );
      }
    }
    const dir = join(REPO_ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `replicas-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ args, results }, null, 2)}\n`);
    say(`\nresults: ${file}`);
  } finally {
    for (const p of running) await p.child.stop();
    await meters.close();
    await replica.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(
    `\nbench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
