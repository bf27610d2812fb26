import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { sleep, waitUntilIdle } from './child-process';
import { SlicedLoad } from './load';
import type { ScenarioResult } from './report';
import type { ExtraPostrooms, Measured } from './scenario-runner';
import { alternate, loadOn } from './scenario-runner';
import type { PreparedScenario } from './scenarios';
import { benchLogins, login } from './scenarios';

const say = (m: string) => process.stdout.write(`${m}\n`);

/**
 * GET `url` every `everyMs` from a child process, each answer's time (ms, or
 * null for a failure) reported as it comes.
 */
function startProber(url: string, everyMs: number) {
  const code = `
    const url = process.argv[1], every = Number(process.argv[2]);
    const { performance } = require('node:perf_hooks');
    const tick = async () => {
      const started = performance.now();
      let line;
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        line = res.status === 200 ? String(performance.now() - started) : 'fail';
      } catch { line = 'fail'; }
      process.stdout.write(line + '\\n');
      setTimeout(tick, Math.max(0, every - (performance.now() - started)));
    };
    tick();`;
  const child = spawn(process.execPath, ['-e', code, url, String(everyMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const listeners: ((ms: number | null) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    const ms = line === 'fail' ? null : Number(line);
    for (const l of listeners) l(ms);
  });
  return {
    onSample: (l: (ms: number | null) => void) => listeners.push(l),
    stop: () => child.kill(),
  };
}

/** Uploads running at once, each a maximal batch, again and again. */
export const BULK_UPLOADS = 6;
/** The uploads start this long before a measured run, so it sees them at full tilt. */
const UPLOAD_LEAD_MS = 1_000;
const PROBE_EVERY_MS = 100;
const METRICS_EVERY_MS = 1_000;

/** A maximal POST /api/batches body: 10,000 items with their fields at their longest (~13.7 MB). */
export function maximalBatchBody(organizationId: number): string {
  const items = Array.from({ length: 10_000 }, (_, i) => ({
    subject: `${i} `.padEnd(500, 's'),
    sender: `${i}@`.padEnd(320, 'e'),
    documentTitle: `${i} `.padEnd(500, 'd'),
    receivedOn: '2025-03-01T08:00:00Z',
    priority: 'normal',
  }));
  return JSON.stringify({ name: 'Bench bulk upload', source: 'scan', organizationId, items });
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

interface LiveProbeFigures {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  failed: number;
}
interface EventLoopFigures {
  readings: number;
  p99MaxMs: number;
  p99MedianMs: number;
  maxMs: number;
}

export interface BulkUploadFigures {
  uploads: { accepted: number; other: Record<string, number>; meanSeconds: number };
  /** During the uploads (the targets): /health/live of the liveness thread (the probe Kubernetes uses). */
  liveProbe: LiveProbeFigures;
  /** /health/live on the HTTP port: its turn in the busy main loop. */
  httpLiveProbe: LiveProbeFigures;
  eventLoopDelay: EventLoopFigures;
  /** The same probes in the slices without uploads: what grid-user alone costs them. */
  alone: {
    liveProbe: LiveProbeFigures;
    httpLiveProbe: LiveProbeFigures;
    eventLoopDelay: EventLoopFigures;
  };
  gridUserRatio: number;
}

/** Probe times of one endpoint. */
class Probes {
  readonly ms: number[] = [];
  failures = 0;

  figures(): LiveProbeFigures {
    const sorted = [...this.ms].sort((a, b) => a - b);
    return {
      samples: sorted.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.at(-1) ?? 0,
      failed: this.failures,
    };
  }
}

/** /health/live times and event-loop readings of one condition (alone, or during uploads). */
class Watch {
  readonly thread = new Probes();
  readonly http = new Probes();
  readonly loopP99: number[] = [];
  readonly loopMax: number[] = [];

  eventLoopDelay(): EventLoopFigures {
    const sorted = [...this.loopP99].sort((a, b) => a - b);
    return {
      readings: sorted.length,
      p99MaxMs: sorted.at(-1) ?? 0,
      p99MedianMs: percentile(sorted, 50),
      maxMs: Math.max(0, ...this.loopMax),
    };
  }
}

/**
 * grid-user at the usual connections on the main Postroom, alone and while
 * BULK_UPLOADS maximal batches are uploaded over and over (by the platform
 * admin, into the first organization), in alternating slices; meanwhile
 * /health/live every 100 ms and the event-loop delay from /metrics.
 */
export async function runBulkUpload(
  r: ScenarioResult,
  s: PreparedScenario,
  { headers, args, main, livenessPort }: ExtraPostrooms,
): Promise<ScenarioResult & { bulkUpload: BulkUploadFigures }> {
  const admin = benchLogins().admin;
  const adminAuth = `Bearer ${await login(main.baseUrl, admin.email, admin.password)}`;
  const orgs = (await (
    await fetch(`${main.baseUrl}/api/organizations?limit=1`, {
      headers: { authorization: adminAuth },
    })
  ).json()) as { data: { id: number | string }[] };
  // Encoded once: the load generator shares the machine, and its own event loop times the probes.
  const body = Buffer.from(maximalBatchBody(Number(orgs.data[0].id)));
  say(
    `▸ bulk-upload: grid-user at ${args.connections} connections, alone and during ${BULK_UPLOADS} concurrent ` +
      `uploads of ${(body.length / 1_048_576).toFixed(1)} MB batches, in ${args.slices} alternating slices …`,
  );
  const aloneLoad = loadOn(main, s.path, headers, args.connections);
  const withUploads = new SlicedLoad({
    url: `${main.baseUrl}${s.path}`,
    headers,
    connections: args.connections,
  });
  const statuses: Record<string, number> = {};
  const uploadSeconds: number[] = [];
  const watching = { alone: new Watch(), during: new Watch() };

  const uploadLoop = async (running: () => boolean) => {
    while (running()) {
      const started = performance.now();
      let status = 'error';
      try {
        const res = await fetch(`${main.baseUrl}/api/batches`, {
          method: 'POST',
          headers: { authorization: adminAuth, 'content-type': 'application/json' },
          body,
        });
        status = String(res.status);
        await res.arrayBuffer();
      } catch {
        // counted as 'error'
      }
      statuses[status] = (statuses[status] ?? 0) + 1;
      uploadSeconds.push((performance.now() - started) / 1000);
    }
  };
  // The probe runs in a process of its own: this one's event loop, busy sending uploads
  // and grid requests, would time its own delays into the probe's answers.
  const probers = [
    { prober: startProber(`${main.baseUrl}/health/live`, PROBE_EVERY_MS), of: 'http' as const },
    {
      prober: startProber(`http://127.0.0.1:${livenessPort}/health/live`, PROBE_EVERY_MS),
      of: 'thread' as const,
    },
  ];
  let probing: Watch | undefined;
  for (const { prober, of } of probers) {
    prober.onSample((ms) => {
      if (!probing) return;
      if (ms === null) probing[of].failures++;
      else probing[of].ms.push(ms);
    });
  }
  const probeLoop = async (running: () => boolean, watch: Watch | undefined) => {
    probing = watch;
    while (running()) await sleep(50);
    probing = undefined;
  };
  const metricsLoop = async (running: () => boolean, watch: Watch | undefined) => {
    while (running()) {
      await sleep(METRICS_EVERY_MS);
      try {
        const text = await (await fetch(`${main.baseUrl}/metrics`)).text();
        const read = (q: string) =>
          Number(
            new RegExp(`^postroom_event_loop_delay_seconds\\{quantile="${q}"\\} (\\S+)$`, 'm').exec(
              text,
            )?.[1],
          ) * 1000;
        if (watch && Number.isFinite(read('0.99'))) {
          watch.loopP99.push(read('0.99'));
          watch.loopMax.push(read('1'));
        }
      } catch {
        // a missed reading
      }
    }
  };
  /** Runs `measure` with the probes (and, for `uploads`, the uploads) going on around it. */
  const watched = async (
    seconds: number,
    measure: (seconds: number) => Promise<void>,
    watch: Watch | undefined,
    uploads: boolean,
  ): Promise<void> => {
    if (seconds <= 0) return;
    let on = true;
    const running = () => on;
    const loops = [
      ...(uploads ? Array.from({ length: BULK_UPLOADS }, () => uploadLoop(running)) : []),
      probeLoop(running, watch),
      metricsLoop(running, watch),
    ];
    if (uploads) await sleep(UPLOAD_LEAD_MS);
    await measure(seconds);
    on = false;
    await Promise.all(loops);
    await waitUntilIdle(main.child.pid);
  };
  const alone: Measured = {
    warmup: (seconds) => watched(seconds, (sec) => aloneLoad.warmup(sec), undefined, false),
    slice: (seconds) => watched(seconds, (sec) => aloneLoad.slice(sec), watching.alone, false),
  };
  const during: Measured = {
    warmup: (seconds) => watched(seconds, (sec) => withUploads.warmup(sec), undefined, true),
    slice: (seconds) => watched(seconds, (sec) => withUploads.slice(sec), watching.during, true),
  };
  await alternate([alone, during], args);

  for (const { prober } of probers) prober.stop();
  const without = aloneLoad.result();
  const withLoad = withUploads.result();
  const accepted = (statuses['201'] ?? 0) + (statuses['202'] ?? 0);
  const other = Object.fromEntries(
    Object.entries(statuses).filter(([k]) => k !== '201' && k !== '202'),
  );
  const figures: BulkUploadFigures = {
    uploads: {
      accepted,
      other,
      meanSeconds: uploadSeconds.reduce((a, b) => a + b, 0) / Math.max(1, uploadSeconds.length),
    },
    liveProbe: watching.during.thread.figures(),
    httpLiveProbe: watching.during.http.figures(),
    eventLoopDelay: watching.during.eventLoopDelay(),
    alone: {
      liveProbe: watching.alone.thread.figures(),
      httpLiveProbe: watching.alone.http.figures(),
      eventLoopDelay: watching.alone.eventLoopDelay(),
    },
    gridUserRatio: withLoad.reqPerSec / without.reqPerSec,
  };
  const f = figures;
  say(
    `  uploads: ${f.uploads.accepted} accepted, other ${JSON.stringify(f.uploads.other)}, mean ${f.uploads.meanSeconds.toFixed(1)} s each\n` +
      `  /health/live, liveness thread: ${f.liveProbe.samples} samples, p50 ${f.liveProbe.p50Ms.toFixed(1)} ms, p99 ${f.liveProbe.p99Ms.toFixed(1)} ms, max ${f.liveProbe.maxMs.toFixed(1)} ms, ${f.liveProbe.failed} failed\n` +
      `  /health/live, HTTP port: ${f.httpLiveProbe.samples} samples, p50 ${f.httpLiveProbe.p50Ms.toFixed(1)} ms, p99 ${f.httpLiveProbe.p99Ms.toFixed(1)} ms, max ${f.httpLiveProbe.maxMs.toFixed(1)} ms, ${f.httpLiveProbe.failed} failed\n` +
      `  event-loop delay p99 (5 s windows): max ${f.eventLoopDelay.p99MaxMs.toFixed(1)} ms, median ${f.eventLoopDelay.p99MedianMs.toFixed(1)} ms; max ${f.eventLoopDelay.maxMs.toFixed(1)} ms\n` +
      `  without uploads: /health/live thread p99 ${f.alone.liveProbe.p99Ms.toFixed(1)} ms, HTTP port p50 ${f.alone.httpLiveProbe.p50Ms.toFixed(1)} ms, p99 ${f.alone.httpLiveProbe.p99Ms.toFixed(1)} ms; ` +
      `event-loop delay p99 max ${f.alone.eventLoopDelay.p99MaxMs.toFixed(1)} ms, median ${f.alone.eventLoopDelay.p99MedianMs.toFixed(1)} ms\n` +
      `  grid-user: ${without.reqPerSec.toFixed(0)} req/s alone, ${withLoad.reqPerSec.toFixed(0)} req/s during the uploads (ratio ${f.gridUserRatio.toFixed(2)})`,
  );
  return {
    ...r,
    api: withLoad,
    reference: without,
    variants: [
      { label: `alone, ${args.connections} connections`, load: without },
      { label: `during ${BULK_UPLOADS} concurrent maximal batch uploads`, load: withLoad },
    ],
    note:
      `during ${BULK_UPLOADS} maximal uploads: ${accepted} accepted; /health/live p99 ${f.liveProbe.p99Ms.toFixed(1)} ms (liveness thread), ${f.httpLiveProbe.p99Ms.toFixed(1)} ms (HTTP port); ` +
      `event-loop p99 ≤ ${f.eventLoopDelay.p99MaxMs.toFixed(1)} ms; grid-user ratio ${f.gridUserRatio.toFixed(2)}`,
    bulkUpload: figures,
  };
}
