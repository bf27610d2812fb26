import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * The liveness thread (see LivenessThread): answers GET /health/live on a port
 * of its own from the main event loop's last heartbeat, so that a probe is
 * answered at once however busy the main loop is, and 503 only when that loop
 * has really stopped turning for longer than the allowed stall.
 */
export interface LivenessWorkerData {
  /** One BigInt64: the main loop's last heartbeat, milliseconds since the epoch. */
  heartbeat: SharedArrayBuffer;
  host: string;
  port: number;
  maxStallMs: number;
}

const { heartbeat, host, port, maxStallMs } = workerData as LivenessWorkerData;
const lastBeat = new BigInt64Array(heartbeat);
const JSON_TYPE = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

const server = createServer((req, res) => {
  const path = (req.url ?? '').split('?')[0];
  if ((req.method !== 'GET' && req.method !== 'HEAD') || path !== '/health/live') {
    res.writeHead(404, JSON_TYPE);
    const message = `${req.method ?? ''} ${path}: this port answers GET /health/live only`;
    res.end(JSON.stringify({ statusCode: 404, code: 'ROUTE_NOT_FOUND', message }));
    return;
  }
  const stalledMs = Math.max(0, Date.now() - Number(Atomics.load(lastBeat, 0)));
  const up = stalledMs <= maxStallMs;
  const check = { status: up ? 'up' : 'down', eventLoopStalledMs: stalledMs, maxStallMs };
  const body = up
    ? { status: 'ok', info: { process: check }, error: {}, details: { process: check } }
    : { status: 'error', info: {}, error: { process: check }, details: { process: check } };
  res.writeHead(up ? 200 : 503, JSON_TYPE);
  res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
});
server.keepAliveTimeout = 5_000;
server.listen(port, host, () => {
  parentPort?.postMessage({ port: (server.address() as AddressInfo).port });
});
server.on('error', (e) => {
  throw e;
});
