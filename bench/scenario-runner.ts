import type { BenchArgs } from './bench-args';
import { join } from 'node:path';
import { RssSampler, freePort, sleep } from './child-process';
import { SlicedLoad } from './load';
import type { LoadResult } from './load';
import type { PostroomOptions, RunningPostroom } from './postroom-process';
import { startPostroom } from './postroom-process';
import type { ScenarioResult } from './report';
import type { PreparedScenario, Variant } from './scenarios';
import { SlicedPgbench } from './sql-floor';
import { startOtlpSink } from './otlp-sink';

const say = (m: string) => process.stdout.write(`${m}\n`);
/** A breath between runs: pgbench's and autocannon's connections close. */
export const SETTLE_MS = 500;
const settle = () => sleep(SETTLE_MS);

export interface Floors {
  baseUrl: string;
  pid: number;
  pgbench: string | undefined;
  scripts: Map<string, string>;
}

export interface Measured {
  warmup(seconds: number): Promise<void>;
  slice(seconds: number): Promise<void>;
}

/**
 * Warms every target up, then measures them in alternating slices (A B C A B C
 * …): on a machine shared with other work the ratios of one scenario are then
 * taken under the same conditions, which back-to-back runs cannot promise.
 */
export async function alternate(targets: Measured[], args: BenchArgs): Promise<void> {
  for (const t of targets) {
    await t.warmup(args.warmupSec);
    await settle();
  }
  const sliceSec = args.durationSec / args.slices;
  for (let i = 0; i < args.slices; i++) {
    for (const t of targets) {
      await t.slice(sliceSec);
      await settle();
    }
  }
}

/**
 * The API, its runtime floor and its SQL floor: same SQL, concurrency and
 * duration. With a reference path (grid-deep: the first page), that request
 * on the API too, in the same alternation, so the two compare under the same
 * conditions.
 */
export async function runScenario(
  r: ScenarioResult,
  s: PreparedScenario,
  api: RunningPostroom,
  rss: RssSampler,
  headers: Record<string, string>,
  args: BenchArgs,
  floors: Floors,
): Promise<ScenarioResult> {
  say(
    `▸ ${r.name}: API, runtime floor${s.referencePath ? ', SQL floor and the reference' : ' and SQL floor'} in ${args.slices} alternating slices …`,
  );
  const apiLoad = loadOn(api, r.path, headers, args.connections);
  const reference = s.referencePath
    ? loadOn(api, s.referencePath, headers, args.connections)
    : undefined;
  const floorLoad = new SlicedLoad({
    url: `${floors.baseUrl}/${r.name}`,
    connections: args.connections,
    serverPid: floors.pid,
  });
  const script = floors.scripts.get(r.name);
  const sql =
    floors.pgbench && script
      ? new SlicedPgbench({
          pgbench: floors.pgbench,
          databaseUrl: args.databaseUrl,
          scriptPath: script,
          clients: args.connections,
        })
      : undefined;
  const window = rss.window();
  const targets: Measured[] = [apiLoad, floorLoad];
  if (sql) targets.push(sql);
  if (reference) targets.push(reference);
  await alternate(targets, args);
  return {
    ...r,
    api: apiLoad.result(),
    runtimeFloor: floorLoad.result(),
    sqlFloor: sql?.result(),
    reference: reference?.result(),
    peakRssBytes: window.close(),
  };
}

/** What a scenario needs to start Postrooms of its own beside the main one and load them. */
export interface ExtraPostrooms {
  /** The scenario caller's Authorization header. */
  headers: Record<string, string>;
  args: BenchArgs;
  main: RunningPostroom;
  /** The main Postroom's LIVENESS_PORT. */
  livenessPort: number;
  base: Omit<PostroomOptions, 'port' | 'poolMax'>;
  /** A scratch folder (their standard output and log files). */
  work: string;
  cpuProfDir: string | undefined;
}

/**
 * grid-user at many connections on Postrooms of their own with a small pool,
 * one with the admission gate (the default) and one without, alternating with
 * the same request at the usual connections on the first of them (same
 * process, same pool: only the number of connections differs) and on the main
 * Postroom (grid-user as the other scenarios see it).
 */
export async function runBurst(
  r: ScenarioResult,
  s: PreparedScenario,
  { headers, args, main, base, cpuProfDir }: ExtraPostrooms,
): Promise<ScenarioResult> {
  const variants: Variant[] = s.variants ?? [];
  say(
    `▸ burst: ${variants.map((v) => v.label).join(' / ')}, each a Postroom with a pool of ${args.burstPool} ` +
      `at ${args.burstConnections} connections, alternating with grid-user on the first …`,
  );
  const started: RunningPostroom[] = [];
  const samplers: RssSampler[] = [];
  try {
    for (const v of variants) {
      const p = await startPostroom(
        `Postroom (burst, ${v.label})`,
        { ...base, port: await freePort(), poolMax: args.burstPool, env: v.env },
        cpuProfDir,
      );
      started.push(p);
      samplers.push(new RssSampler(p.child.pid));
    }
    const loads = started.map((p) => loadOn(p, s.path, headers, args.burstConnections));
    const reference = loadOn(started[0], s.path, headers, args.connections);
    const onMain = loadOn(main, s.path, headers, args.connections);
    await alternate([...loads, reference, onMain], args);
    const results = loads.map((l, i) => ({ label: variants[i].label, load: l.result() }));
    return {
      ...r,
      api: results[0].load,
      variants: [
        ...results,
        {
          label: `${variants[0].label}, ${args.connections} connections`,
          load: reference.result(),
        },
        {
          label: `main Postroom (pool ${main.poolMax}), ${args.connections} connections`,
          load: onMain.result(),
        },
      ],
      reference: reference.result(),
      peakRssBytes: samplers[0]?.peak,
    };
  } finally {
    for (const sampler of samplers) sampler.stop();
    for (const p of started) await p.child.stop();
    await settle();
  }
}

export function loadOn(
  p: RunningPostroom,
  path: string,
  headers: Record<string, string>,
  connections: number,
): SlicedLoad {
  return new SlicedLoad({
    url: `${p.baseUrl}${path}`,
    headers,
    connections,
    serverPid: p.child.pid,
  });
}

/**
 * The same request on Postrooms configured differently (one per variant, the
 * main one where a variant has no environment of its own), measured in
 * alternating slices at the scenario's connections.
 */
export async function runVariants(
  r: ScenarioResult,
  s: PreparedScenario,
  { headers, args, main, base, work, cpuProfDir }: ExtraPostrooms,
): Promise<ScenarioResult> {
  const variants: Variant[] = s.variants ?? [];
  say(
    `▸ ${r.name}: ${variants.map((v) => v.label).join(' / ')} in ${args.slices} alternating slices at ${r.connections} connections …`,
  );
  const started: RunningPostroom[] = [];
  const sink = variants.some((v) => v.env?.TRACING === 'true') ? await startOtlpSink() : undefined;
  try {
    const loads: SlicedLoad[] = [];
    for (const [i, v] of variants.entries()) {
      let target = main;
      if (v.env) {
        const traced: Record<string, string> =
          sink && v.env.TRACING === 'true' ? { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } : {};
        target = await startPostroom(
          `Postroom (${v.label})`,
          {
            ...base,
            port: await freePort(),
            poolMax: s.variantPool ?? main.poolMax,
            env: { ...v.env, ...traced, LOG_DIR: join(work, `${r.name}-${i}-logs`) },
            stdoutFile: join(work, `${r.name}-${i}.stdout`),
          },
          cpuProfDir,
        );
        started.push(target);
      }
      loads.push(loadOn(target, s.path, headers, r.connections));
    }
    await alternate(loads, args);
    const results = loads.map((l, i) => ({ label: variants[i].label, load: l.result() }));
    if (sink) {
      const f = sink.figures();
      say(`  OTLP sink: ${f.exports} exports, ${Math.round(f.bytes / 1024)} KiB of spans`);
    }
    return { ...r, api: results[0].load, variants: results };
  } finally {
    for (const p of started) await p.child.stop();
    await sink?.close();
    await settle();
  }
}

export function summarize(r: ScenarioResult): void {
  const f = (v: number | undefined) =>
    v === undefined ? '—' : Math.round(v).toLocaleString('en-US');
  const codes = (l: LoadResult) =>
    Object.entries(l.statusCodes)
      .map(([c, n]) => `${c}×${n}`)
      .join(' ');
  const cpu = (l: LoadResult | undefined) =>
    (l?.serverCpuMsPerReq === undefined
      ? ''
      : `, ${Math.round(l.serverCpuMsPerReq * 1000)} µs CPU/req`) +
    (l?.clientCpuMsPerReq ? ` (load generator ${Math.round(l.clientCpuMsPerReq * 1000)} µs)` : '') +
    (l?.pgPerReq
      ? `; PostgreSQL ${Math.round(l.pgPerReq.backendCpuUs)} µs CPU, ` +
        `${Math.round(l.pgPerReq.tuplesReturned).toLocaleString('en-US')} tuples returned, ` +
        `${Math.round(l.pgPerReq.tuplesFetched).toLocaleString('en-US')} fetched, ` +
        `${Math.round(l.pgPerReq.blocksHit).toLocaleString('en-US')} buffers hit per request`
      : '');
  const line = (what: string, l: LoadResult | undefined, rest: string) =>
    say(
      `  ${what}: ${f(l?.reqPerSec)} req/s (p50 ${l?.p50Ms ?? '—'} ms, mean ${l?.meanMs.toFixed(2) ?? '—'} ms, ` +
        `p99 ${l?.p99Ms ?? '—'} ms, ${l ? codes(l) : ''}${cpu(l)})${rest}`,
    );
  if (r.variants) {
    for (const { label, load } of r.variants) line(`${r.name}: ${label}`, load, '');
    if (r.storm) {
      say(
        `  ${r.name}: the storm itself: ${f(r.storm.requests)} sign-ins answered (${codes(r.storm)}), ` +
          `${r.storm.errors} errors, p99 ${r.storm.p99Ms} ms`,
      );
    }
    return;
  }
  line(
    `${r.name}: API`,
    r.api,
    `, runtime floor ${f(r.runtimeFloor?.reqPerSec)} req/s${cpu(r.runtimeFloor)}, SQL floor ${f(r.sqlFloor?.tps)} tps`,
  );
  if (r.reference) line(`${r.name}: reference (first page) alongside`, r.reference, '');
}
