import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { withTimeout } from '../async/with-timeout';
import type { RequestMetricRow } from './request-metric.repository';
import { RequestMetricRepository } from './request-metric.repository';

const FLUSH_EVERY_MS = 1_000;
const MAX_BUFFERED = 10_000;
const ROWS_PER_INSERT = 1_000;

/**
 * Persisted request metrics, off the request's path: a request only appends a
 * row to an in-memory buffer; a background timer writes the buffer in bulk
 * inserts. The buffer is bounded (rows beyond it are counted and dropped, never
 * waited for); a write that fails drops its rows and is logged once per streak.
 */
@Injectable()
export class RequestMetricsWriter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RequestMetrics');
  private buffer: RequestMetricRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private failing = false;
  dropped = 0;
  written = 0;

  constructor(private readonly repo: RequestMetricRepository) {}

  push(row: RequestMetricRow): void {
    if (this.buffer.length >= MAX_BUFFERED) this.dropped++;
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
      const rows = this.buffer.splice(0, ROWS_PER_INSERT);
      try {
        await this.repo.insertMany(rows);
        this.written += rows.length;
        this.failing = false;
      } catch (e) {
        this.dropped += rows.length;
        if (!this.failing) this.logger.warn(`request metrics not written: ${String(e)}`);
        this.failing = true;
        return;
      }
    }
  }
}
