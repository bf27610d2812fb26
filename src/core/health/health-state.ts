import type { OnModuleDestroy } from '@nestjs/common';
import { Injectable } from '@nestjs/common';

/**
 * Whether this process is on its way out. From the SIGTERM on, readiness
 * answers 503 at once, so the load balancer stops sending traffic while
 * in-flight requests finish. It also keeps the outcome of the last readiness
 * answer for /metrics: the probe already pays for the check, a scrape reads it.
 */
@Injectable()
export class HealthState implements OnModuleDestroy {
  private since: number | undefined;
  private lastReady: boolean | undefined;
  private notReady = 0;

  get shuttingDown(): boolean {
    return this.since !== undefined;
  }

  /** The last readiness answer (undefined before the first probe). */
  get ready(): boolean | undefined {
    return this.lastReady;
  }

  /** Readiness answers that were 503. */
  get notReadyAnswers(): number {
    return this.notReady;
  }

  recordReadiness(ready: boolean): void {
    this.lastReady = ready;
    if (!ready) this.notReady++;
  }

  beginShutdown(): void {
    this.since ??= Date.now();
  }

  /** app.close() without a signal (tests, embedding) counts as shutting down too. */
  onModuleDestroy(): void {
    this.beginShutdown();
  }
}
