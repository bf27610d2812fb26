import type { OnModuleDestroy } from '@nestjs/common';
import { Injectable } from '@nestjs/common';

/**
 * Whether this process is on its way out. From the SIGTERM on, readiness
 * answers 503 at once, so the load balancer stops sending traffic while
 * in-flight requests finish.
 */
@Injectable()
export class HealthState implements OnModuleDestroy {
  private since: number | undefined;

  get shuttingDown(): boolean {
    return this.since !== undefined;
  }

  beginShutdown(): void {
    this.since ??= Date.now();
  }

  /** app.close() without a signal (tests, embedding) counts as shutting down too. */
  onModuleDestroy(): void {
    this.beginShutdown();
  }
}
