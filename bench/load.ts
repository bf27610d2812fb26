import autocannon from 'autocannon';
import { cpuMs, waitUntilIdle } from './child-process';
import type { PgCost } from './pg-cost';
import { PgCostMeter, addCost, perRequest, pgCostMeter } from './pg-cost';

export interface LoadTarget {
  url: string;
  headers?: Record<string, string>;
  /** POST a body made afresh for each request (default GET). */
  bodyOf?: () => string;
  connections: number;
  /** The server's process: its CPU time per answered request is measured. */
  serverPid?: number;
}

export interface LoadResult {
  /** 2xx answers per second of the measured runs. */
  reqPerSec: number;
  p50Ms: number;
  /** Finer than p50 at low load, where autocannon's percentiles come in whole milliseconds. */
  meanMs: number;
  p99Ms: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  requests: number;
  durationSec: number;
  /** CPU time of the server process per request (user + system), when its pid was given. */
  serverCpuMsPerReq?: number;
  /** CPU time of the load generator (this process) per request: it shares the machine. */
  clientCpuMsPerReq: number;
  /** PostgreSQL's work per request (see PgCostMeter), when it could be read. */
  pgPerReq?: PgCost;
}

/** What autocannon returns with skipAggregateResult (latencies as an encoded histogram). */
interface RawRun {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '1xx': number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  statusCodeStats: Record<string, { count: number }>;
}

// Not in @types/autocannon: merges runs made with skipAggregateResult.
const aggregate = (
  autocannon as unknown as {
    aggregateResult: (
      runs: RawRun[],
      opts: { url: string; connections: number },
    ) => autocannon.Result;
  }
).aggregateResult;

/**
 * Load on one target in slices (see runScenario: the slices of the API and
 * of its floors alternate, so that a neighbour's burst of work on the shared
 * machine weighs on both alike). Latency percentiles are taken over the
 * merged histograms of all slices.
 */
export class SlicedLoad {
  private readonly runs: RawRun[] = [];
  private cpu = 0;
  private cpuKnown = true;
  private clientCpuMicros = 0;
  private pg: PgCost | undefined;
  private pgKnown = true;

  constructor(private readonly target: LoadTarget) {}

  async warmup(seconds: number): Promise<void> {
    if (seconds <= 0) return;
    await autocannon({ ...this.options(), duration: seconds });
    await this.drain();
  }

  async slice(seconds: number): Promise<void> {
    const pid = this.target.serverPid;
    const meter = pgCostMeter();
    const pgBefore = meter ? await meter.snapshot() : undefined;
    const before = pid === undefined ? undefined : cpuMs(pid);
    const client = process.cpuUsage();
    const run = (await autocannon({
      ...this.options(),
      duration: seconds,
      skipAggregateResult: true,
    })) as unknown as RawRun;
    const used = process.cpuUsage(client);
    this.clientCpuMicros += used.user + used.system;
    const after = pid === undefined ? undefined : cpuMs(pid);
    if (before === undefined || after === undefined) this.cpuKnown = false;
    else this.cpu += after - before;
    this.runs.push(run);
    await this.drain();
    const pgAfter = meter ? await meter.snapshot() : undefined;
    if (pgBefore && pgAfter) {
      const spent = PgCostMeter.between(pgBefore, pgAfter);
      this.pg = this.pg ? addCost(this.pg, spent) : spent;
    } else {
      this.pgKnown = false;
    }
  }

  result(): LoadResult {
    if (this.runs.length === 0) throw new Error('no measured run');
    const durationSec = this.runs.reduce((s, r) => s + r.duration, 0);
    const ok = this.runs.reduce((s, r) => s + r['2xx'], 0);
    const requests = this.runs.reduce(
      (s, r) => s + r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'],
      0,
    );
    // aggregateResult folds the runs into the first one: hand it copies.
    const merged = aggregate(
      this.runs.map((r) => structuredClone(r)),
      { url: this.target.url, connections: this.target.connections },
    );
    const statusCodes: Record<string, number> = {};
    for (const [code, s] of Object.entries(merged.statusCodeStats ?? {})) {
      statusCodes[code] = s.count ?? 0;
    }
    return {
      reqPerSec: ok / durationSec,
      p50Ms: merged.latency.p50,
      meanMs: merged.latency.mean,
      p99Ms: merged.latency.p99,
      non2xx: merged.non2xx,
      errors: merged.errors,
      timeouts: merged.timeouts,
      statusCodes,
      requests,
      durationSec,
      serverCpuMsPerReq: this.cpuKnown && requests > 0 ? this.cpu / requests : undefined,
      clientCpuMsPerReq: requests > 0 ? this.clientCpuMicros / 1000 / requests : 0,
      ...(this.pgKnown && this.pg ? { pgPerReq: perRequest(this.pg, requests) } : {}),
    };
  }

  private options() {
    const { bodyOf } = this.target;
    // autocannon's own idReplacement sends a wrong Content-Length: the body is set per request here.
    const post: autocannon.Request = {
      method: 'POST',
      setupRequest: (req) => ({ ...req, body: bodyOf?.() }),
    };
    return {
      url: this.target.url,
      headers: this.target.headers,
      ...(bodyOf ? { requests: [post] } : {}),
      connections: this.target.connections,
      // A request waiting on a saturated pool still answers within the acquire timeout.
      timeout: 30,
    };
  }

  /**
   * When a run ends the load generator closes its connections, yet the server
   * still works off what they left queued (hundreds of requests in the burst):
   * that must not count against whatever is measured next.
   */
  private async drain(): Promise<void> {
    if (this.target.serverPid !== undefined) await waitUntilIdle(this.target.serverPid);
  }
}
