import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Schemas } from '../../client';
import { api, apiBase, ok } from './api';
import { el, errorText, notice } from './ui';

type PoolReport = Schemas['PoolReportDto'];
type Queues = Record<string, Schemas['QueueFiguresDto']>;

const POLL_MS = 2000;
/** Points kept per chart: ten minutes at the poll interval. */
const KEEP = 300;

/** The admission gate's figures from /metrics (Prometheus text): in flight, queued, shed. */
export function httpFigures(text: string): { inFlight: number; queued: number; shed: number } {
  const read = (name: string): number => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
    return m ? Number(m[1]) : 0;
  };
  return {
    inFlight: read('postroom_http_in_flight'),
    queued: read('postroom_http_queued'),
    shed: read('postroom_http_shed_requests_total'),
  };
}

/** A live chart: a time axis and named series, fed one point at a time. */
class LiveChart {
  private readonly data: number[][];
  private readonly plot: uPlot;

  constructor(parent: HTMLElement, title: string, series: { label: string; stroke: string }[]) {
    this.data = [[], ...series.map(() => [])];
    const box = el('div', { className: 'chart' });
    parent.append(box);
    this.plot = new uPlot(
      {
        title,
        width: 460,
        height: 200,
        scales: { x: { time: true } },
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2 }))],
      },
      this.data as uPlot.AlignedData,
      box,
    );
  }

  push(at: number, values: number[]): void {
    this.data[0].push(at);
    values.forEach((v, i) => this.data[i + 1].push(v));
    if (this.data[0].length > KEEP) for (const s of this.data) s.shift();
    this.plot.setData(this.data as uPlot.AlignedData);
  }
}

function stat(label: string, testId: string): [HTMLElement, HTMLElement] {
  const value = el('strong', { 'data-testid': testId }, '–');
  return [el('div', { className: 'stat' }, el('span', {}, label), value), value];
}

/**
 * The admin dashboard: the pool, acquire waits, server connections against the
 * budget, queues and the HTTP gate, polled every POLL_MS while the tab is
 * visible. Returns the function that stops it.
 */
export function dashboardPage(root: HTMLElement): () => void {
  const banner = el('div', { className: 'banner', hidden: true, 'data-testid': 'banner' });
  const [inUseBox, inUse] = stat('Pool in use', 'pool-in-use');
  const [waitingBox, waiting] = stat('Waiting', 'pool-waiting');
  const [timeoutsBox, timeouts] = stat('Acquire timeouts', 'pool-timeouts');
  const [serverBox, server] = stat('Server connections / max', 'server-connections');
  const [workersBox, workers] = stat('Live workers', 'live-workers');
  const [shedBox, shed] = stat('HTTP shed (503)', 'http-shed');
  const charts = el('div', { className: 'charts' });
  root.replaceChildren(
    el('h1', {}, 'Dashboard'),
    banner,
    el(
      'div',
      { className: 'stats' },
      inUseBox,
      waitingBox,
      timeoutsBox,
      serverBox,
      workersBox,
      shedBox,
    ),
    charts,
  );
  const pool = new LiveChart(charts, 'Pool connections', [
    { label: 'in use', stroke: '#d9480f' },
    { label: 'idle', stroke: '#2b8a3e' },
    { label: 'waiting', stroke: '#c92a2a' },
  ]);
  const waits = new LiveChart(charts, 'Acquire wait (ms)', [
    { label: 'p50', stroke: '#1971c2' },
    { label: 'p95', stroke: '#e67700' },
    { label: 'p99', stroke: '#c92a2a' },
  ]);
  const connections = new LiveChart(charts, 'Server connections vs budget', [
    { label: 'this app', stroke: '#1971c2' },
    { label: 'all clients', stroke: '#868e96' },
    { label: 'budget', stroke: '#c92a2a' },
  ]);
  const queues = new LiveChart(charts, 'Queues', [
    { label: 'waiting', stroke: '#e67700' },
    { label: 'active', stroke: '#1971c2' },
    { label: 'live workers', stroke: '#2b8a3e' },
  ]);
  const http = new LiveChart(charts, 'HTTP admission', [
    { label: 'in flight', stroke: '#1971c2' },
    { label: 'queued', stroke: '#e67700' },
    { label: 'shed (total)', stroke: '#c92a2a' },
  ]);

  const client = api();
  let peak = 0;
  let seeded = false;
  const seed = (report: PoolReport) => {
    // The pool's own 10-minute history fills the first chart at once.
    for (const s of report.history.samples)
      pool.push(Date.parse(s.at) / 1000, [s.inUse, s.idle, s.waiting]);
    seeded = true;
  };

  const poll = async () => {
    const [report, queueFigures, metricsText] = await Promise.all([
      client.GET('/api/admin/pool-metrics').then(ok),
      client.GET('/api/admin/queues').then((r): Queues => ok(r)),
      fetch(`${apiBase()}/metrics`).then((r) => (r.ok ? r.text() : '')),
    ]);
    const at = Date.parse(report.at) / 1000;
    if (!seeded) seed(report);
    const p = report.pool;
    peak = Math.max(peak, p.inUse);
    inUse.textContent = `${p.inUse} / ${p.max}`;
    inUse.dataset.value = String(p.inUse);
    inUse.dataset.peak = String(peak);
    waiting.textContent = String(p.waiting);
    timeouts.textContent = String(report.acquire.timeouts);
    pool.push(at, [p.inUse, p.idle, p.waiting]);
    waits.push(at, [
      report.acquire.waitMs.p50,
      report.acquire.waitMs.p95,
      report.acquire.waitMs.p99,
    ]);
    const budget = report.budget.maxConnections - report.budget.reservedConnections;
    if (report.server.available) {
      server.textContent = `${report.server.clientBackends} / ${report.server.maxConnections}`;
      connections.push(at, [report.server.ownBackends, report.server.clientBackends, budget]);
    } else {
      // Not asked while the pool is saturated (the report says why).
      server.textContent = 'not read';
      server.title = report.server.error;
    }
    const all = Object.values(queueFigures);
    const sum = (f: (q: Schemas['QueueFiguresDto']) => number) => all.reduce((n, q) => n + f(q), 0);
    workers.textContent = String(Math.max(0, ...all.map((q) => q.liveWorkers)));
    queues.push(at, [
      sum((q) => q.waiting),
      sum((q) => q.active),
      Math.max(0, ...all.map((q) => q.liveWorkers)),
    ]);
    const h = httpFigures(metricsText);
    shed.textContent = String(h.shed);
    http.push(at, [h.inFlight, h.queued, h.shed]);
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let polling = false;
  const tick = () => {
    timer = undefined;
    if (stopped || document.hidden) return;
    polling = true;
    poll()
      .then(() => {
        banner.hidden = true;
      })
      .catch((err: unknown) => notice(banner, errorText(err)))
      .finally(() => {
        polling = false;
        if (!stopped && !document.hidden) timer = setTimeout(tick, POLL_MS);
      });
  };
  // A hidden tab polls nothing; shown again, it polls at once.
  const onVisibility = () => {
    if (!document.hidden && timer === undefined && !polling) tick();
  };
  document.addEventListener('visibilitychange', onVisibility);
  tick();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
