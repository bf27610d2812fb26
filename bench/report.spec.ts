import type { LoadResult } from './load';
import type { ScenarioResult } from './report';
import {
  checkTargets,
  formatTable,
  formatVariants,
  unexpectedFailures,
  withRatios,
} from './report';

const MB = 1_048_576;

function load(reqPerSec: number, p50Ms = 10, statusCodes: Record<string, number> = {}): LoadResult {
  return {
    reqPerSec,
    p50Ms,
    meanMs: p50Ms * 1.1,
    p99Ms: p50Ms * 3,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    statusCodes: { '200': 1000, ...statusCodes },
    requests: 1000,
    durationSec: 15,
    clientCpuMsPerReq: 0.2,
  };
}

function scenario(name: ScenarioResult['name'], over: Partial<ScenarioResult>): ScenarioResult {
  return withRatios({ name, path: '/', caller: 'user', connections: 32, pool: 32, ...over });
}

const verdict = (checks: ReturnType<typeof checkTargets>, target: string) =>
  checks.find((c) => c.target.startsWith(target))?.pass;

describe('checkTargets', () => {
  const floors = {
    runtimeFloor: load(2000),
    sqlFloor: { tps: 8000, latencyAvgMs: 4, failed: 0, transactions: 1 },
  };

  it('passes grid scenarios at 0.6 of the runtime floor and 0.15 of the SQL floor, misses below', () => {
    const results = [
      scenario('grid-user', { api: load(1200), ...floors }), // 0.60 and 0.15
      scenario('grid-admin', { api: load(1100), ...floors }), // 0.55 and 0.1375
    ];
    const checks = checkTargets(results, 200 * MB);
    expect(verdict(checks, 'grid-user ≥ 0.6')).toBe(true);
    expect(verdict(checks, 'grid-user ≥ 0.15')).toBe(true);
    expect(verdict(checks, 'grid-admin ≥ 0.6')).toBe(false);
    expect(verdict(checks, 'grid-admin ≥ 0.15')).toBe(false);
  });

  it('compares grid-deep p50 with the first page measured alongside it', () => {
    const user = scenario('grid-user', { api: load(1000, 10) });
    const deep = (p50: number) =>
      scenario('grid-deep', { api: load(900, p50), reference: load(1000, 20) });
    expect(verdict(checkTargets([user, deep(24)], 0), 'grid-deep')).toBe(true);
    expect(verdict(checkTargets([user, deep(25)], 0), 'grid-deep')).toBe(false);
  });

  it('compares grid-deep p50 with grid-user p50 when no first page ran alongside', () => {
    const user = scenario('grid-user', { api: load(1000, 20) });
    expect(
      verdict(checkTargets([user, scenario('grid-deep', { api: load(900, 24) })], 0), 'grid-deep'),
    ).toBe(true);
    expect(
      verdict(checkTargets([user, scenario('grid-deep', { api: load(900, 25) })], 0), 'grid-deep'),
    ).toBe(false);
  });

  it('lets the burst answer 503 but nothing else, at 0.9 of grid-user throughput', () => {
    const user = scenario('grid-user', { api: load(1000) });
    const ok = scenario('burst', { api: load(900, 300, { '503': 40 }) });
    const checks = checkTargets([user, ok], 0);
    expect(verdict(checks, 'burst: no failures')).toBe(true);
    expect(verdict(checks, 'burst throughput')).toBe(true);
    const bad = scenario('burst', { api: { ...load(850, 300, { '500': 1 }), errors: 2 } });
    const badChecks = checkTargets([user, bad], 0);
    expect(verdict(badChecks, 'burst: no failures')).toBe(false);
    expect(verdict(badChecks, 'burst throughput')).toBe(false);
    expect(unexpectedFailures(bad.api as LoadResult)).toBe(3);
  });

  it('wants every signed-in request 2xx during a login storm, and shows its p99 against alone', () => {
    const flood = (during: LoadResult) =>
      scenario('login-flood', { api: during, reference: load(1000, 10) });
    const ok = checkTargets([flood(load(600, 20))], 0).find((c) =>
      c.target.startsWith('login-flood'),
    );
    expect(ok).toMatchObject({
      pass: true,
      measured: '0 non-2xx or failed of 1,000; p99 60 ms during the storm vs 30 ms alone (2.00×)',
    });
    const shed = { ...load(600, 20, { '503': 7 }), non2xx: 7, errors: 1 };
    expect(verdict(checkTargets([flood(shed)], 0), 'login-flood')).toBe(false);
    expect(verdict(checkTargets([], 0), 'login-flood')).toBeNull();
  });

  it('holds parallel loaders to the mean latency of the serial variant', () => {
    const loaders = (parallelMs: number, serialMs: number) =>
      scenario('parallel-loaders', {
        variants: [
          { label: 'parallel loaders', load: load(100, parallelMs) },
          { label: 'serial, one connection', load: load(80, serialMs) },
        ],
      });
    expect(verdict(checkTargets([loaders(8, 12)], 0), 'parallel loaders')).toBe(true);
    expect(verdict(checkTargets([loaders(12, 8)], 0), 'parallel loaders')).toBe(false);
    expect(verdict(checkTargets([], 0), 'parallel loaders')).toBeNull();
  });

  it('checks the peak RSS under 300 MB and says n/a for what was not run', () => {
    expect(verdict(checkTargets([], 299 * MB), 'peak RSS')).toBe(true);
    expect(verdict(checkTargets([], 300 * MB), 'peak RSS')).toBe(false);
    expect(verdict(checkTargets([], 0), 'grid-user ≥ 0.6')).toBeNull();
    expect(verdict(checkTargets([], 0), 'burst throughput')).toBeNull();
  });
});

describe('formatTable', () => {
  it('shows ratios with two decimals and a skipped scenario with its reason', () => {
    const table = formatTable([
      scenario('grid-user', {
        api: load(1234),
        sqlPerRequest: 1,
        runtimeFloor: load(2000),
        sqlFloor: { tps: 8000, latencyAvgMs: 4, failed: 0, transactions: 1 },
      }),
      scenario('inbox', { skipped: 'skipped: route missing' }),
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^scenario\s+conn\s+req\/s/);
    expect(lines[2]).toMatch(/^grid-user\s+32\s+1,234\s.*\s2,000\s+—\s+0\.62\s+8,000\s+0\.15\s/);
    expect(lines[3]).toMatch(/^inbox .*\(skipped: route missing\)$/);
  });
});

describe('formatVariants', () => {
  it('shows every variant against the first: throughput, mean latency and CPU per request', () => {
    const table = formatVariants(
      scenario('observability', {
        variants: [
          { label: 'off', load: { ...load(1000, 10), serverCpuMsPerReq: 0.8 } },
          {
            label: 'request logging',
            load: {
              ...load(900, 11),
              serverCpuMsPerReq: 0.9,
              pgPerReq: {
                backendCpuUs: 1380,
                tuplesReturned: 10_100,
                tuplesFetched: 52,
                blocksHit: 312,
                blocksRead: 0,
              },
            },
          },
        ],
      }),
    );
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^observability\s+req\/s\s+×base\s+p50 ms.*PG µs\/req\s+tup ret\/req/);
    // PostgreSQL's figures unknown: shown as such.
    expect(lines[2]).toMatch(/^off\s+1,000\s+1\.00\s.*\s800\s+1\.00\s+—\s+—\s+—\s+—$/);
    expect(lines[3]).toMatch(
      /^request logging\s+900\s+0\.90\s+11\s+12\.1\s+1\.10\s.*\s900\s+1\.13\s+1,380\s+10,100\s+52\s+312$/,
    );
  });

  it('is empty for a scenario without variants', () => {
    expect(formatVariants(scenario('grid-user', { api: load(1) }))).toBe('');
  });
});
