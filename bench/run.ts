import { PgCostMeter, usePgCostMeter } from './pg-cost';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchArgs } from './bench-args';
import { loadConfig } from '../src/core/config/config.schema';
import { BENCH_USAGE, BenchArgsError, parseBenchArgs } from './bench-args';
import { NodeChild, RssSampler, freePort } from './child-process';
import { ensureLargeSeed } from './ensure-seed';
import { machineFacts } from './machine';
import type { PostroomOptions } from './postroom-process';
import { DIST_ROOT, REPO_ROOT, postroomEnv, startPostroom } from './postroom-process';
import type { ScenarioResult } from './report';
import { checkTargets, formatTable, formatTargets, formatVariants, withRatios } from './report';
import type { RuntimeFloorConfig } from './runtime-floor-server';
import type { Caller, PreparedScenario } from './scenarios';
import { benchLogins, login, prepareScenarios } from './scenarios';
import type { Floors } from './scenario-runner';
import { runBurst, runScenario, runVariants, summarize } from './scenario-runner';
import { runLoginFlood } from './login-flood';
import { runBulkUpload } from './bulk-upload';
import { findPgbench, pgbenchScript } from './sql-floor';
import { SqlRecorder } from './sql-recorder';

const say = (m: string) => process.stdout.write(`${m}\n`);
const MB = 1_048_576;

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    say(BENCH_USAGE);
    return;
  }
  const args = parseBenchArgs(process.argv.slice(2), process.env);
  const started = new Date();
  const pgbench = findPgbench();
  say(
    `Postroom benchmark: ${args.connections} connections, ${args.warmupSec} s warm-up + ${args.durationSec} s per run; ` +
      `scenarios ${args.only.join(', ')}`,
  );
  if (!pgbench) say('pgbench not found under /usr/lib/postgresql/*/bin: no SQL floor this time');
  if ((await ensureLargeSeed(args.databaseUrl, say)) === 'present') {
    say('the large data set is loaded');
  }
  const machine = await machineFacts(args.databaseUrl, pgbench);
  say(
    `machine: ${machine.nproc} cores (${machine.cpuModel}), load ${machine.loadAverage.join(' ')}, ` +
      `node ${machine.node}, ${machine.postgres.split(' on ')[0]}`,
  );

  const work = mkdtempSync(join(tmpdir(), 'postroom-bench-'));
  const base: Omit<PostroomOptions, 'port' | 'poolMax'> = {
    databaseUrl: args.databaseUrl,
    maxConnections: args.pool + 3, // DB_RESERVED_CONNECTIONS stays at its default, 3
    redisPrefix: `postroom-bench-${process.pid}`,
    jwtSecret: randomBytes(32).toString('hex'),
  };
  const cpuProfDir = args.cpuProf ? join(REPO_ROOT, 'bench', 'results', 'profiles') : undefined;
  // As docker/k8s runs it: liveness from its own thread on a port of its own.
  const livenessPort = await freePort();
  const mainOpts: PostroomOptions = {
    ...base,
    port: await freePort(),
    poolMax: args.pool,
    env: { LIVENESS_PORT: String(livenessPort) },
  };
  say(
    `starting Postroom (NODE_ENV=production, api role) with a pool of ${args.pool} ` +
      `(DB_MAX_CONNECTIONS ${mainOpts.maxConnections}, DB_POOL_MAX ${args.pool}); runtime floor pool ${args.pool}; ` +
      `pgbench -c ${args.connections} -j 2`,
  );
  const api = await startPostroom('Postroom', mainOpts, cpuProfDir);
  const rss = new RssSampler(api.child.pid);
  // PostgreSQL's work per request beside Node's: the database is what does not scale out.
  const pgMeter = new PgCostMeter(args.databaseUrl);
  usePgCostMeter(pgMeter);
  let floorServer: NodeChild | undefined;
  try {
    const logins = benchLogins();
    const tokens = {} as Record<Caller, string>;
    for (const caller of ['admin', 'user', 'inbox'] as const) {
      tokens[caller] = await login(api.baseUrl, logins[caller].email, logins[caller].password);
    }
    say('preparing the scenarios');
    const prepared = await prepareScenarios(api.baseUrl, tokens, args.only, say);
    const results = await captureSql(prepared, tokens, args, mainOpts);

    const routes: RuntimeFloorConfig['routes'] = {};
    const scripts = new Map<string, string>();
    for (const r of results) {
      const kind = prepared.find((p) => p.name === r.name)?.kind;
      if (!r.statements || kind !== 'floors') continue;
      routes[r.name] = r.statements;
      const script = join(work, `${r.name}.sql`);
      writeFileSync(script, pgbenchScript(r.statements));
      scripts.set(r.name, script);
    }
    const floorPort = await freePort();
    const floorConfig: RuntimeFloorConfig = {
      port: floorPort,
      databaseUrl: args.databaseUrl,
      poolMax: args.pool,
      idleTimeoutMs: loadConfig({}).db.idleTimeoutMs, // Postroom's default, kept warm alike
      routes,
    };
    writeFileSync(join(work, 'runtime-floor.json'), JSON.stringify(floorConfig));
    floorServer = new NodeChild(
      'runtime floor',
      join(DIST_ROOT, 'bench', 'runtime-floor-server.js'),
      [join(work, 'runtime-floor.json')],
      { PATH: process.env.PATH ?? '' },
      cpuProfDir
        ? [
            '--cpu-prof',
            '--cpu-prof-dir',
            cpuProfDir,
            '--cpu-prof-name',
            'runtime-floor.cpuprofile',
          ]
        : [],
    );
    const floors: Floors = {
      baseUrl: `http://127.0.0.1:${floorPort}`,
      pid: floorServer.pid,
      pgbench,
      scripts,
    };
    await floorServer.waitReady(`${floors.baseUrl}/ready`);

    const extra = { args, main: api, livenessPort, base, work, cpuProfDir };
    for (const [i, r] of results.entries()) {
      if (r.skipped) {
        say(`▸ ${r.name}: ${r.skipped}`);
        continue;
      }
      const scenario = prepared.find((p) => p.name === r.name) as PreparedScenario;
      const auth = { authorization: `Bearer ${tokens[scenario.caller]}` };
      switch (scenario.kind) {
        case 'burst':
          results[i] = await runBurst(r, scenario, { ...extra, headers: auth });
          break;
        case 'variants':
          results[i] = await runVariants(r, scenario, { ...extra, headers: auth });
          break;
        case 'floors':
          results[i] = await runScenario(r, scenario, api, rss, auth, args, floors);
          break;
        case 'login-flood':
          results[i] = await runLoginFlood(r, scenario, { ...extra, headers: auth });
          break;
        case 'bulk-upload':
          results[i] = await runBulkUpload(r, scenario, { ...extra, headers: auth });
          break;
      }
      summarize(results[i]);
    }

    const finished = new Date();
    const final = results.map(withRatios);
    const targets = checkTargets(final, rss.peak);
    say(`\n${formatTable(final)}`);
    for (const r of final) if (r.variants) say(`\n${formatVariants(r)}`);
    say(`\npeak RSS of the API process under load: ${(rss.peak / MB).toFixed(0)} MB`);
    say(`\ntargets:\n${formatTargets(targets)}`);
    const file = writeResults({
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      args,
      machine: { ...machine, loadAverageAfter: loadavg() },
      pool: { api: args.pool, runtimeFloor: args.pool, burst: args.burstPool },
      pgbench: { clients: args.connections, threads: 2, protocol: 'simple, literals inlined' },
      peakRssBytes: rss.peak,
      scenarios: final,
      targets,
    });
    say(`\nresults: ${file}`);
  } finally {
    rss.stop();
    usePgCostMeter(undefined);
    await pgMeter.close();
    await floorServer?.stop();
    await api.child.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The SQL of one warm request of each scenario, recorded in-process (see SqlRecorder). */
async function captureSql(
  prepared: PreparedScenario[],
  tokens: Record<Caller, string>,
  args: BenchArgs,
  mainOpts: PostroomOptions,
): Promise<ScenarioResult[]> {
  // The main Postroom's settings, less its liveness port (taken by that process).
  const env = postroomEnv({ ...mainOpts, port: 0, poolMax: 2 });
  delete env.LIVENESS_PORT;
  const recorder = await SqlRecorder.open(env, args.databaseUrl);
  try {
    const results: ScenarioResult[] = [];
    for (const s of prepared) {
      const r: ScenarioResult = {
        name: s.name,
        path: s.path,
        caller: s.caller,
        connections: scenarioConnections(s, args),
        pool: s.kind === 'burst' ? args.burstPool : (s.variantPool ?? args.pool),
        note: s.note,
        skipped: s.skipped,
      };
      if (!s.skipped) {
        const cap = await recorder.capture(s.path, tokens[s.caller]);
        if (cap.status !== 200) {
          throw new Error(`${s.name}: GET ${s.path} answered ${cap.status}: ${cap.body}`);
        }
        r.statements = cap.statements;
        r.sqlPerRequest = cap.statements.length;
        r.coldSqlPerRequest = cap.coldStatements;
      }
      results.push(r);
    }
    return results;
  } finally {
    await recorder.close();
  }
}

function scenarioConnections(s: PreparedScenario, args: BenchArgs): number {
  if (s.kind === 'burst') return args.burstConnections;
  return s.name === 'parallel-loaders' ? args.lowConnections : args.connections;
}

function writeResults(data: unknown): string {
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

main().catch((e: unknown) => {
  if (e instanceof BenchArgsError) {
    process.stderr.write(`${e.message}\n${BENCH_USAGE}\n`);
    process.exit(64);
  }
  process.stderr.write(
    `\nbench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  process.exit(1);
});
