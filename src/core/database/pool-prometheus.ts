import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { METRIC_PREFIX, Metrics, counterReading, gaugeReading } from '../observability/metrics';
import { PoolMonitor } from './pool-monitor.service';
import type { PoolTargetFigures, ReplicaStatus } from './pool-monitor.types';
import { PoolStats } from './pool-stats';

const P = `${METRIC_PREFIX}db_`;

/**
 * The pool monitor's figures in the Prometheus registry. Every value is read in
 * collect() at scrape time: nothing is added to the request path.
 */
@Injectable()
export class PoolPrometheus {
  constructor(monitor: PoolMonitor, stats: PoolStats, metrics: Metrics) {
    register(metrics.registry, monitor, stats);
  }
}

function register(registry: Registry, monitor: PoolMonitor, stats: PoolStats): void {
  const registers = [registry];

  const poolGauge = (name: string, help: string, read: () => number) =>
    gaugeReading(registry, `${P}pool_${name}`, help, read);
  poolGauge('max', 'Connections this process may hold at most', () => monitor.pool().max);
  poolGauge('total', 'Connections open in this process', () => monitor.pool().total);
  poolGauge('idle', 'Open connections not in use', () => monitor.pool().idle);
  poolGauge('in_use', 'Connections checked out', () => monitor.pool().inUse);
  poolGauge('waiting', 'Callers queued for a connection', () => monitor.pool().waiting);
  poolGauge('utilization', 'in_use ÷ max', () => monitor.pool().utilization);
  poolGauge('alert_active', '1 while the utilization alert is raised', () =>
    monitor.alert.active ? 1 : 0,
  );

  new Gauge({
    name: `${P}pool_acquire_wait_ms`,
    help: 'Wait for a pooled connection over the most recent acquisitions, by quantile',
    labelNames: ['quantile'],
    registers,
    collect() {
      const w = stats.waitPercentiles();
      this.set({ quantile: '0.5' }, w.p50);
      this.set({ quantile: '0.95' }, w.p95);
      this.set({ quantile: '0.99' }, w.p99);
      this.set({ quantile: '1' }, w.max);
    },
  });

  const counter = (name: string, help: string, read: () => number) =>
    counterReading(registry, `${P}${name}_total`, help, read);
  counter('pool_acquisitions', 'Connections handed out', () => stats.acquisitions);
  counter('pool_acquire_timeouts', 'Waits that ran out (answered 503)', () => stats.timeouts);
  counter(
    'pool_connect_failures',
    'New connections refused or too slow',
    () => stats.connectFailures,
  );
  counter('pool_dropped_connections', 'Dead connections dropped', () => stats.droppedConnections);
  counter(
    'pool_replaced_connections',
    'Idle connections failing validation',
    () => stats.replacedConnections,
  );
  counter('retries', 'Reads sent again after their connection died', () => stats.retries);

  // Every server's pool by target (primary, replica-0, …), and each replica's state.
  const byTarget = (
    name: string,
    help: string,
    read: (t: PoolTargetFigures) => number | undefined,
  ) =>
    new Gauge({
      name: `${P}${name}`,
      help,
      labelNames: ['target'],
      registers,
      collect() {
        this.reset();
        for (const t of monitor.targets()) {
          const v = read(t);
          if (v !== undefined) this.set({ target: t.target }, v);
        }
      },
    });
  const targetGauge = (name: string, help: string, read: (t: PoolTargetFigures) => number) =>
    byTarget(`target_${name}`, help, read);
  targetGauge(
    'pool_max',
    'Connections this process may hold at most, by server',
    (t) => t.pool.max,
  );
  targetGauge('pool_total', 'Connections open, by server', (t) => t.pool.total);
  targetGauge('pool_idle', 'Open connections not in use, by server', (t) => t.pool.idle);
  targetGauge('pool_in_use', 'Connections checked out, by server', (t) => t.pool.inUse);
  targetGauge('pool_waiting', 'Callers queued for a connection, by server', (t) => t.pool.waiting);
  targetGauge(
    'pool_acquisitions',
    'Connections handed out since start, by server',
    (t) => t.acquisitions,
  );
  targetGauge(
    'pool_acquire_timeouts',
    'Waits that ran out since start, by server',
    (t) => t.timeouts,
  );
  targetGauge(
    'pool_connect_failures',
    'New connections refused or too slow, by server',
    (t) => t.connectFailures,
  );
  const replicaGauge = (name: string, help: string, read: (r: ReplicaStatus) => number) =>
    byTarget(`replica_${name}`, help, (t) => (t.replica ? read(t.replica) : undefined));
  replicaGauge('in_rotation', '1 while the replica serves reads', (r) => (r.inRotation ? 1 : 0));
  replicaGauge(
    'lag_ms',
    'Time the replica is behind the primary (-1: unknown)',
    (r) => r.lagMs ?? -1,
  );
  replicaGauge('departures', 'Times the replica left the rotation', (r) => r.departures);
  replicaGauge(
    'fallbacks',
    'Reads the replica failed that the primary answered',
    (r) => r.fallbacks,
  );

  // Server side: one cached query per scrape at most (PoolMonitor.server()).
  new Gauge({
    name: `${P}server_max_connections`,
    help: 'max_connections of the PostgreSQL server',
    registers,
    async collect() {
      const s = await monitor.server();
      if (s.available) this.set(s.maxConnections);
    },
  });
  new Gauge({
    name: `${P}server_backends`,
    help: "Client backends of this application's database by application_name and state",
    labelNames: ['application_name', 'state'],
    registers,
    async collect() {
      this.reset();
      const s = await monitor.server();
      if (!s.available) return;
      for (const b of s.backends)
        this.set({ application_name: b.applicationName, state: b.state }, b.count);
    },
  });
  new Gauge({
    name: `${P}server_idle_in_transaction_max_seconds`,
    help: "Longest time a backend of this application's database has been idle in a transaction",
    registers,
    async collect() {
      const s = await monitor.server();
      this.set(s.available ? (s.oldestIdleInTransactionSeconds ?? 0) : 0);
    },
  });
  new Gauge({
    name: `${P}server_up`,
    help: '1 when the server figures could be read through the pool',
    registers,
    async collect() {
      this.set((await monitor.server()).available ? 1 : 0);
    },
  });
}
