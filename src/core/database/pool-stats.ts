import { Injectable } from '@nestjs/common';

const WINDOW = 2048;

/** Counters of this process's pool use, read by the pool monitor and /metrics. */
@Injectable()
export class PoolStats {
  waiting = 0;
  acquisitions = 0;
  timeouts = 0;
  replacedConnections = 0;
  private readonly waits = new Float64Array(WINDOW);
  private next = 0;
  private filled = 0;

  recordAcquire(ms: number): void {
    this.acquisitions++;
    this.waits[this.next] = ms;
    this.next = (this.next + 1) % WINDOW;
    if (this.filled < WINDOW) this.filled++;
  }

  recordTimeout(): void {
    this.timeouts++;
  }

  /** Acquire-wait percentiles over the last WINDOW acquisitions, in ms. */
  waitPercentiles(): { p50: number; p95: number; p99: number; max: number } {
    if (this.filled === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
    const sorted = Array.from(this.waits.subarray(0, this.filled)).sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    const round = (v: number) => Math.round(v * 100) / 100;
    return {
      p50: round(at(0.5)),
      p95: round(at(0.95)),
      p99: round(at(0.99)),
      max: round(sorted[sorted.length - 1]),
    };
  }
}
