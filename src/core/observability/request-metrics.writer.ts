import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { withTimeout } from '../async/with-timeout';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { Db } from '../database/db.service';
import { METRIC_PREFIX, Metrics } from './metrics';
import type { RequestMetricRow } from './request-metric.repository';
import { RequestMetricRepository } from './request-metric.repository';

const FLUSH_EVERY_MS = 1_000;
const MAX_BUFFERED = 10_000;
const ROWS_PER_INSERT = 1_000;
/** Longest wait for a connection to write with (one looked free when the flush began). */
const WRITE_ACQUIRE_WAIT_MS = 250;

export type DropReason = 'rate' | 'buffer' | 'failed';

/**
 * A token bucket: `perSecond` tokens a second, at most `perSecond` held (one
 * second's burst). No timer: the refill is worked out when a token is asked for.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    now = performance.now(),
  ) {
    this.tokens = perSecond;
    this.last = now;
  }

  take(now = performance.now()): boolean {
    if (this.tokens < 1) {
      this.tokens = Math.min(
        this.perSecond,
        this.tokens + ((now - this.last) * this.perSecond) / 1000,
      );
      this.last = now;
      if (this.tokens < 1) return false;
    } else {
      this.last = now;
    }
    this.tokens--;
    return true;
  }
}

/**
 * Persisted request metrics, off the request's path and unable to add load when
 * there is too much already:
 * - a request only takes a token (REQUEST_METRICS_MAX_PER_SECOND per process)
 *   and appends a row to an in-memory buffer; without a token the row is
 *   dropped and counted;
 * - a background timer writes the buffer in bulk inserts, but only while the
 *   pool has a connection to spare: while it is saturated (nothing idle and no
 *   room, or callers waiting) the flush waits for the next tick, as the pool
 *   monitor does, so the writer never takes one of the last connections;
 * - the buffer is bounded (rows beyond it are counted and dropped, never waited
 *   for); a write that fails drops its rows and is logged once per streak.
 * Everything dropped is in /metrics: postroom_request_metrics_dropped_total{reason}.
 */
@Injectable()
export class RequestMetricsWriter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RequestMetrics');
  private buffer: RequestMetricRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failing = false;
  private readonly bucket: TokenBucket;
  readonly dropped: Record<DropReason, number> = { rate: 0, buffer: 0, failed: 0 };
  written = 0;
  /** Flushes put off because the pool had no connection to spare. */
  deferred = 0;

  constructor(
    private readonly repo: RequestMetricRepository,
    private readonly db: Db,
    metrics: Metrics,
    @Inject(APP_CONFIG) cfg: AppConfig,
  ) {
    this.bucket = new TokenBucket(cfg.monitoring.maxPerSecond);
    const dropped = this.dropped;
    new Counter({
      name: `${METRIC_PREFIX}request_metrics_dropped_total`,
      help: 'Request metric rows not persisted: over the rate (token bucket), over the buffer, or their write failed',
      labelNames: ['reason'],
      registers: [metrics.registry],
      collect() {
        this.reset();
        for (const reason of Object.keys(dropped) as DropReason[]) {
          this.inc({ reason }, dropped[reason]);
        }
      },
    });
    const read = () => this.written;
    new Counter({
      name: `${METRIC_PREFIX}request_metrics_written_total`,
      help: 'Request metric rows persisted',
      registers: [metrics.registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
    const deferred = () => this.deferred;
    new Counter({
      name: `${METRIC_PREFIX}request_metrics_deferred_flushes_total`,
      help: 'Request metric flushes put off because the pool had no connection to spare',
      registers: [metrics.registry],
      collect() {
        this.reset();
        this.inc(deferred());
      },
    });
  }

  /** Whether a row may be persisted now (the rate limit); counts the refusal. */
  admit(): boolean {
    if (this.bucket.take()) return true;
    this.dropped.rate++;
    return false;
  }

  push(row: RequestMetricRow): void {
    if (this.buffer.length >= MAX_BUFFERED) this.dropped.buffer++;
    else this.buffer.push(row);
  }

  onModuleInit(): void {
    // Created outside any request: the writes never count as a request's statements.
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS).unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await withTimeout(this.flush(), 2_000, 'request metrics flush').catch(() => undefined);
  }

  /** Writes what is buffered (one flush at a time). */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(): Promise<void> {
    while (this.buffer.length > 0) {
      if (this.db.saturated()) {
        this.deferred++;
        return;
      }
      const rows = this.buffer.splice(0, ROWS_PER_INSERT);
      try {
        await this.db.withClient(
          () => this.repo.insertMany(rows),
          performance.now() + WRITE_ACQUIRE_WAIT_MS,
        );
        this.written += rows.length;
        this.failing = false;
      } catch (e) {
        this.dropped.failed += rows.length;
        if (!this.failing) this.logger.warn(`request metrics not written: ${String(e)}`);
        this.failing = true;
        return;
      }
    }
  }
}
