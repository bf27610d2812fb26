import type { ScenarioName } from './bench-args';
import type { CapturedStatement } from './captured-statement';
import type { LoadResult } from './load';
import type { PgbenchResult } from './sql-floor';

export interface ScenarioResult {
  name: ScenarioName;
  path: string;
  caller: string;
  connections: number;
  pool: number;
  note?: string;
  skipped?: string;
  api?: LoadResult;
  statements?: CapturedStatement[];
  sqlPerRequest?: number;
  coldSqlPerRequest?: number;
  runtimeFloor?: LoadResult;
  /**
   * Measured alternately with this scenario: for the burst the same request at
   * the usual connections on the same Postroom, for grid-deep the first page.
   */
  reference?: LoadResult;
  sqlFloor?: PgbenchResult;
  /** variants scenarios: each variant's load, the baseline first (see PreparedScenario). */
  variants?: VariantResult[];
  /** login-flood: the sign-in storm itself (POST /api/auth/login, unknown emails). */
  storm?: LoadResult;
  /** API req/s ÷ runtime-floor req/s. */
  runtimeRatio?: number;
  /** API req/s ÷ SQL-floor tps. */
  sqlRatio?: number;
  peakRssBytes?: number;
}

export interface VariantResult {
  label: string;
  load: LoadResult;
}

export interface TargetCheck {
  target: string;
  measured: string;
  pass: boolean | null; // null: not measured in this run
}

const MB = 1_048_576;

export function withRatios(r: ScenarioResult): ScenarioResult {
  const api = r.api?.reqPerSec;
  return {
    ...r,
    runtimeRatio:
      api !== undefined && r.runtimeFloor?.reqPerSec ? api / r.runtimeFloor.reqPerSec : undefined,
    sqlRatio: api !== undefined && r.sqlFloor?.tps ? api / r.sqlFloor.tps : undefined,
  };
}

/** The targets, each PASS, MISS or not measured. */
export function checkTargets(results: ScenarioResult[], peakRssBytes: number): TargetCheck[] {
  const by = (n: ScenarioName) => results.find((r) => r.name === n && r.api);
  const checks: TargetCheck[] = [];
  for (const name of ['grid-user', 'grid-admin'] as const) {
    const r = by(name);
    checks.push({
      target: `${name} ≥ 0.6 × runtime floor`,
      measured: ratio(r?.runtimeRatio),
      pass: r?.runtimeRatio === undefined ? null : r.runtimeRatio >= 0.6,
    });
    checks.push({
      target: `${name} ≥ 0.15 × SQL floor`,
      measured: ratio(r?.sqlRatio),
      pass: r?.sqlRatio === undefined ? null : r.sqlRatio >= 0.15,
    });
  }
  const deep = by('grid-deep');
  const user = by('grid-user');
  // The first page measured alongside the deep one, else grid-user's own run.
  const first = deep?.reference ?? user?.api;
  if (deep?.api && first) {
    const f = deep.api.p50Ms / first.p50Ms;
    checks.push({
      target: 'grid-deep p50 ≤ 1.2 × first page p50',
      measured: `${deep.api.p50Ms} ms vs ${first.p50Ms} ms (${f.toFixed(2)}×)`,
      pass: f <= 1.2,
    });
  } else {
    checks.push({ target: 'grid-deep p50 ≤ 1.2 × first page p50', measured: '—', pass: null });
  }
  const burst = by('burst');
  if (burst?.api) {
    const bad = unexpectedFailures(burst.api);
    checks.push({
      target: 'burst: no failures but designed 503s',
      measured: `${bad} (503s: ${burst.api.statusCodes['503'] ?? 0})`,
      pass: bad === 0,
    });
    const against = burst.reference ?? user?.api;
    const f = against ? burst.api.reqPerSec / against.reqPerSec : undefined;
    checks.push({
      target: 'burst throughput ≥ 0.9 × the usual connections',
      measured:
        f === undefined || !against
          ? '—'
          : `${Math.round(burst.api.reqPerSec)} vs ${Math.round(against.reqPerSec)} req/s (${f.toFixed(2)}×; ` +
            `${burst.reference ? 'vs the same Postroom at the usual connections' : 'vs grid-user'})`,
      pass: f === undefined ? null : f >= 0.9,
    });
  } else {
    checks.push({ target: 'burst: no failures but designed 503s', measured: '—', pass: null });
    checks.push({
      target: 'burst throughput ≥ 0.9 × the usual connections',
      measured: '—',
      pass: null,
    });
  }
  checks.push(loginFloodCheck(by('login-flood')));
  const loaders = results.find((r) => r.name === 'parallel-loaders')?.variants;
  const target = 'parallel loaders: latency ≤ serial on one connection, low load';
  if (loaders && loaders.length >= 2) {
    const [parallel, serial] = loaders.map((v) => v.load);
    // The mean, not p50: at one connection autocannon's percentiles are whole milliseconds.
    const f = parallel.meanMs / serial.meanMs;
    checks.push({
      target,
      measured: `mean ${parallel.meanMs.toFixed(2)} vs ${serial.meanMs.toFixed(2)} ms (${f.toFixed(2)}×), p50 ${parallel.p50Ms} vs ${serial.p50Ms} ms`,
      pass: f <= 1,
    });
  } else {
    checks.push({ target, measured: '—', pass: null });
  }
  checks.push({
    target: 'peak RSS of the API < 300 MB',
    measured: peakRssBytes > 0 ? `${(peakRssBytes / MB).toFixed(0)} MB` : '—',
    pass: peakRssBytes > 0 ? peakRssBytes < 300 * MB : null,
  });
  return checks;
}

/**
 * Signed-in requests during a sign-in storm: every one answered 2xx; their p99
 * beside the same requests alone (measured alternately) is reported, not judged.
 */
function loginFloodCheck(flood: ScenarioResult | undefined): TargetCheck {
  const target = 'login-flood: every signed-in request 2xx during a login storm';
  const during = flood?.api;
  const alone = flood?.reference;
  if (!during || !alone) return { target, measured: '—', pass: null };
  const failed = during.non2xx + during.errors;
  const f = during.p99Ms / alone.p99Ms;
  return {
    target,
    measured:
      `${failed} non-2xx or failed of ${during.requests.toLocaleString('en-US')}; ` +
      `p99 ${during.p99Ms} ms during the storm vs ${alone.p99Ms} ms alone (${f.toFixed(2)}×)`,
    pass: failed === 0,
  };
}

/** Non-2xx answers other than 503, plus connection errors and timeouts. */
export function unexpectedFailures(r: LoadResult): number {
  const non2xxBut503 = Object.entries(r.statusCodes)
    .filter(([code]) => !code.startsWith('2') && code !== '503')
    .reduce((n, [, count]) => n + count, 0);
  return non2xxBut503 + r.errors;
}

/**
 * One line per variant: throughput, latency and server CPU per request, each
 * also as a ratio to the first variant (the baseline).
 */
export function formatVariants(r: ScenarioResult): string {
  const variants = r.variants ?? [];
  if (variants.length === 0) return '';
  const base = variants[0].load;
  const per = (v: number | undefined, b: number | undefined) =>
    v === undefined || !b ? '—' : (v / b).toFixed(2);
  const header = [
    r.name,
    'req/s',
    '×base',
    'p50 ms',
    'mean ms',
    '×base',
    'p99 ms',
    'non-2xx',
    'cpu µs/req',
    '×base',
    'PG µs/req',
    'tup ret/req',
    'tup fetch/req',
    'blks hit/req',
  ];
  const rows = variants.map(({ label, load }) => [
    label,
    num(load.reqPerSec),
    per(load.reqPerSec, base.reqPerSec),
    num(load.p50Ms, 1),
    num(load.meanMs, 2),
    per(load.meanMs, base.meanMs),
    num(load.p99Ms, 1),
    num(load.non2xx),
    cpuMicros(load),
    per(load.serverCpuMsPerReq, base.serverCpuMsPerReq),
    ...pgCells(load),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** PostgreSQL per request: backend CPU µs, tuples returned and fetched, buffers hit. */
function pgCells(l: LoadResult | undefined): string[] {
  const pg = l?.pgPerReq;
  if (!pg) return ['—', '—', '—', '—'];
  return [num(pg.backendCpuUs), num(pg.tuplesReturned), num(pg.tuplesFetched), num(pg.blocksHit)];
}

function cpuMicros(l: LoadResult | undefined): string {
  return l?.serverCpuMsPerReq === undefined ? '—' : num(l.serverCpuMsPerReq * 1000);
}

function ratio(v: number | undefined): string {
  return v === undefined ? '—' : v.toFixed(2);
}

const num = (v: number | undefined, digits = 0) =>
  v === undefined ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: digits });

/** One table, right-aligned numbers, the first column left-aligned. */
export function formatTable(results: ScenarioResult[]): string {
  const header = [
    'scenario',
    'conn',
    'req/s',
    'p50 ms',
    'p99 ms',
    'non-2xx',
    'errors',
    'SQL/req',
    'cpu µs/req',
    'PG µs/req',
    'tup ret/req',
    'tup fetch/req',
    'blks hit/req',
    'floor req/s',
    'floor cpu',
    'API/floor',
    'SQL tps',
    'API/SQL',
    'RSS MB',
  ];
  const rows = results.map((r) =>
    r.skipped
      ? [r.name, String(r.connections), ...Array<string>(header.length - 2).fill('—')]
      : [
          r.name,
          String(r.connections),
          num(r.api?.reqPerSec),
          num(r.api?.p50Ms, 1),
          num(r.api?.p99Ms, 1),
          num(r.api?.non2xx),
          num(r.api === undefined ? undefined : r.api.errors),
          num(r.sqlPerRequest),
          cpuMicros(r.api),
          ...pgCells(r.api),
          num(r.runtimeFloor?.reqPerSec),
          cpuMicros(r.runtimeFloor),
          ratio(r.runtimeRatio),
          num(r.sqlFloor?.tps),
          ratio(r.sqlRatio),
          r.peakRssBytes ? (r.peakRssBytes / MB).toFixed(0) : '—',
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map((cells, i) => {
      const r = results[i];
      const extra = r.skipped ?? r.note;
      return extra ? `${line(cells)}  (${extra})` : line(cells);
    }),
  ].join('\n');
}

export function formatTargets(checks: TargetCheck[]): string {
  const w = Math.max(...checks.map((c) => c.target.length));
  return checks
    .map(
      (c) =>
        `  ${c.pass === null ? 'n/a ' : c.pass ? 'PASS' : 'MISS'}  ${c.target.padEnd(w)}  ${c.measured}`,
    )
    .join('\n');
}
