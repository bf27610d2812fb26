import autocannon from 'autocannon';
import { cpuMs, waitUntilIdle } from './child-process';

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  durationSec: number;
  warmupSec: number;
  /** The server's process: its CPU time per answered request is measured. */
  serverPid?: number;
}

export interface LoadResult {
  /** 2xx answers per second of the measured run. */
  reqPerSec: number;
  p50Ms: number;
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
}

/** A warm-up (discarded), then the measured run, both at the same concurrency. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const base = {
    url: o.url,
    headers: o.headers,
    connections: o.connections,
    // A request waiting on a saturated pool still answers within the acquire timeout.
    timeout: 30,
  };
  if (o.warmupSec > 0) {
    await autocannon({ ...base, duration: o.warmupSec });
    if (o.serverPid !== undefined) await waitUntilIdle(o.serverPid);
  }
  const cpuBefore = o.serverPid === undefined ? undefined : cpuMs(o.serverPid);
  const r = await autocannon({ ...base, duration: o.durationSec });
  const cpuAfter = o.serverPid === undefined ? undefined : cpuMs(o.serverPid);
  const statusCodes: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) {
    statusCodes[code] = s.count ?? 0;
  }
  const requests = r['1xx'] + r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'];
  return {
    reqPerSec: r['2xx'] / r.duration,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    requests,
    durationSec: r.duration,
    serverCpuMsPerReq:
      cpuBefore !== undefined && cpuAfter !== undefined && requests > 0
        ? (cpuAfter - cpuBefore) / requests
        : undefined,
  };
}
