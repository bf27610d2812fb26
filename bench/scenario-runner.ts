import type { BenchArgs } from './bench-args';
import { RssSampler, freePort, sleep } from './child-process';
import { runLoad } from './load';
import type { LoadResult } from './load';
import type { PostroomOptions, RunningPostroom } from './postroom-process';
import { startPostroom } from './postroom-process';
import type { ScenarioResult } from './report';
import type { PreparedScenario } from './scenarios';
import { runPgbench } from './sql-floor';

const say = (m: string) => process.stdout.write(`${m}\n`);
/** Longer than the pools' idle timeout: between runs idle connections close. */
export const SETTLE_MS = 2_500;

export interface Floors {
  baseUrl: string;
  pid: number;
  pgbench: string | undefined;
  scripts: Map<string, string>;
}

/** The API, then the runtime floor, then the SQL floor: one scenario, same concurrency and duration. */
export async function runScenario(
  r: ScenarioResult,
  api: RunningPostroom,
  rss: RssSampler,
  headers: Record<string, string>,
  args: BenchArgs,
  floors: Floors,
): Promise<ScenarioResult> {
  const load = { connections: args.connections, durationSec: args.durationSec };
  say(`▸ ${r.name}: API …`);
  const window = rss.window();
  const apiResult = await runLoad({
    ...load,
    url: `${api.baseUrl}${r.path}`,
    headers,
    warmupSec: args.warmupSec,
    serverPid: api.child.pid,
  });
  const peakRssBytes = window.close();
  await sleep(SETTLE_MS);
  say(`  runtime floor …`);
  const runtimeFloor = await runLoad({
    ...load,
    url: `${floors.baseUrl}/${r.name}`,
    warmupSec: args.warmupSec,
    serverPid: floors.pid,
  });
  await sleep(SETTLE_MS);
  const script = floors.scripts.get(r.name);
  let sqlFloor: ScenarioResult['sqlFloor'];
  if (floors.pgbench && script) {
    say(`  SQL floor (pgbench) …`);
    const run = {
      pgbench: floors.pgbench,
      databaseUrl: args.databaseUrl,
      scriptPath: script,
      clients: args.connections,
    };
    if (args.warmupSec > 0) await runPgbench({ ...run, durationSec: args.warmupSec });
    sqlFloor = await runPgbench({ ...run, durationSec: args.durationSec });
  }
  return { ...r, api: apiResult, runtimeFloor, sqlFloor, peakRssBytes };
}

/** grid-user at many connections on a Postroom of its own with a small pool. */
export async function runBurst(
  r: ScenarioResult,
  s: PreparedScenario,
  headers: Record<string, string>,
  args: BenchArgs,
  base: Omit<PostroomOptions, 'port' | 'poolMax'>,
  cpuProfDir: string | undefined,
): Promise<ScenarioResult> {
  say(`▸ burst: starting a second Postroom with a pool of ${args.burstPool} …`);
  const burst = await startPostroom(
    'Postroom (burst)',
    { ...base, port: await freePort(), poolMax: args.burstPool },
    cpuProfDir,
  );
  const rss = new RssSampler(burst.child.pid);
  try {
    const apiResult: LoadResult = await runLoad({
      url: `${burst.baseUrl}${s.path}`,
      headers,
      connections: args.burstConnections,
      durationSec: args.durationSec,
      warmupSec: args.warmupSec,
      serverPid: burst.child.pid,
    });
    return { ...r, api: apiResult, peakRssBytes: rss.peak };
  } finally {
    rss.stop();
    await burst.child.stop();
    await sleep(SETTLE_MS);
  }
}

export function summarize(r: ScenarioResult): void {
  const f = (v: number | undefined) =>
    v === undefined ? '—' : Math.round(v).toLocaleString('en-US');
  const codes = r.api
    ? Object.entries(r.api.statusCodes)
        .map(([c, n]) => `${c}×${n}`)
        .join(' ')
    : '';
  const cpu = (l: LoadResult | undefined) =>
    l?.serverCpuMsPerReq === undefined
      ? ''
      : `, ${Math.round(l.serverCpuMsPerReq * 1000)} µs CPU/req`;
  say(
    `  ${r.name}: API ${f(r.api?.reqPerSec)} req/s (p50 ${r.api?.p50Ms ?? '—'} ms, p99 ${r.api?.p99Ms ?? '—'} ms, ${codes}${cpu(r.api)}), ` +
      `runtime floor ${f(r.runtimeFloor?.reqPerSec)} req/s${cpu(r.runtimeFloor)}, SQL floor ${f(r.sqlFloor?.tps)} tps`,
  );
}
