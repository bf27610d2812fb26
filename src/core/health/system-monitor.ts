import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { loadavg } from 'node:os';
import type { IntervalHistogram } from 'node:perf_hooks';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';
import { METRIC_PREFIX } from '../observability/metrics';

const SAMPLE_EVERY_MS = 5_000;
export const EVENT_LOOP_WARN_MS = 200;
export const HEAP_WARN_RATIO = 0.9;

export interface SystemFigures {
  sampledAt: string;
  eventLoop: { p50Ms: number; p99Ms: number; maxMs: number };
  cpu: { processPercent: number; loadAverage1m: number };
  memory: {
    rssMb: number;
    heapUsedMb: number;
    heapLimitMb: number;
    heapRatio: number;
    externalMb: number;
  };
  uptimeSeconds: number;
}

const mb = (bytes: number) => Math.round(bytes / 1_048_576);
const ms = (ns: number) => Math.round(ns / 1e5) / 10;

/**
 * Process figures for health, sampled in the background every few seconds
 * (event-loop delay histogram, CPU share since the last sample, memory): a
 * probe only reads the last sample, it never measures anything itself.
 */
@Injectable()
export class SystemMonitor implements OnModuleInit, OnModuleDestroy {
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private timer: NodeJS.Timeout | undefined;
  private cpuBefore = process.cpuUsage();
  private at = performance.now();
  private last!: SystemFigures;

  onModuleInit(): void {
    this.loop.enable();
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_EVERY_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.loop.disable();
  }

  figures(): SystemFigures {
    return this.last;
  }

  /** Warnings worth a human's look (reported, never failing a probe). */
  warnings(f: SystemFigures = this.last): string[] {
    const w: string[] = [];
    if (f.eventLoop.p99Ms >= EVENT_LOOP_WARN_MS)
      w.push(`event-loop delay p99 ${f.eventLoop.p99Ms} ms (>= ${EVENT_LOOP_WARN_MS})`);
    if (f.memory.heapRatio >= HEAP_WARN_RATIO)
      w.push(`heap at ${Math.round(f.memory.heapRatio * 100)}% of its limit`);
    return w;
  }

  private sample(): void {
    const now = performance.now();
    const cpu = process.cpuUsage(this.cpuBefore);
    const elapsedMicros = Math.max(1, (now - this.at) * 1000);
    this.cpuBefore = process.cpuUsage();
    this.at = now;
    const mem = process.memoryUsage();
    const heapLimit = getHeapStatistics().heap_size_limit;
    const seen = this.loop.count > 0;
    this.last = {
      sampledAt: new Date().toISOString(),
      eventLoop: {
        p50Ms: seen ? ms(this.loop.percentile(50)) : 0,
        p99Ms: seen ? ms(this.loop.percentile(99)) : 0,
        maxMs: seen ? ms(this.loop.max) : 0,
      },
      cpu: {
        processPercent: Math.round(((cpu.user + cpu.system) / elapsedMicros) * 1000) / 10,
        loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
      },
      memory: {
        rssMb: mb(mem.rss),
        heapUsedMb: mb(mem.heapUsed),
        heapLimitMb: mb(heapLimit),
        heapRatio: Math.round((mem.heapUsed / heapLimit) * 1000) / 1000,
        externalMb: mb(mem.external),
      },
      uptimeSeconds: Math.round(process.uptime()),
    };
    this.loop.reset();
  }
}

/**
 * The event-loop delay of the monitor's last sample (the one histogram /health
 * shows too) in /metrics: postroom_event_loop_delay_seconds{quantile="0.5"|"0.99"|"1"}.
 */
export function registerEventLoopMetrics(registry: Registry, monitor: SystemMonitor): void {
  new Gauge({
    name: `${METRIC_PREFIX}event_loop_delay_seconds`,
    help: 'Event-loop delay over the last sampling window (5 s): p50, p99 and max (quantile 1)',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      const f = monitor.figures()?.eventLoop;
      if (!f) return;
      this.set({ quantile: '0.5' }, f.p50Ms / 1000);
      this.set({ quantile: '0.99' }, f.p99Ms / 1000);
      this.set({ quantile: '1' }, f.maxMs / 1000);
    },
  });
}
