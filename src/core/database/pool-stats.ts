import { Injectable } from '@nestjs/common';

const WINDOW = 2048;

export interface WaitPercentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Counters of this process's pool use, read by the pool monitor and /metrics. */
@Injectable()
export class PoolStats {
  /** Connections handed out. */
  acquisitions = 0;
  /** Waits for a connection that ran out of DB_POOL_ACQUIRE_TIMEOUT_MS (each answered 503). */
  timeouts = 0;
  /** Of those, waits that ran out while queued behind the request's own loaders. */
  slotTimeouts = 0;
  /** New connections the server did not accept (refused, unreachable, too slow). */
  connectFailures = 0;
  /** Connections found dead and dropped: terminated while idle, or broken while in use. */
  droppedConnections = 0;
  /** Long-idle connections that failed validation on checkout and were replaced. */
  replacedConnections = 0;
  /** Reads sent again on a fresh connection after theirs died. */
  retries = 0;
  private readonly waits = new Float64Array(WINDOW);
  private next = 0;
  private filled = 0;

  recordAcquire(ms: number): void {
    this.acquisitions++;
    this.waits[this.next] = ms;
    this.next = (this.next + 1) % WINDOW;
    if (this.filled < WINDOW) this.filled++;
  }

  recordTimeout(inSlot = false): void {
    this.timeouts++;
    if (inSlot) this.slotTimeouts++;
  }

  /** Acquire-wait percentiles over the last WINDOW acquisitions, in ms. */
  waitPercentiles(): WaitPercentiles {
    if (this.filled === 0) return { p50: 0, p95: 0, p99: 0, max: 0 };
    const sorted = this.waits.slice(0, this.filled).sort();
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
