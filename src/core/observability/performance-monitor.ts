import { Injectable } from '@nestjs/common';

interface RouteFigures {
  count: number;
  totalMs: number;
  maxMs: number;
  statements: number;
  errors: number;
}

/**
 * Per-route request timing and statement counts in memory (PERFORMANCE_MONITORING):
 * count, mean and max duration, mean statements, server errors. Read by /health.
 */
@Injectable()
export class PerformanceMonitor {
  private readonly routes = new Map<string, RouteFigures>();

  record(route: string, durationMs: number, statements: number, statusCode: number): void {
    let r = this.routes.get(route);
    if (!r)
      this.routes.set(route, (r = { count: 0, totalMs: 0, maxMs: 0, statements: 0, errors: 0 }));
    r.count++;
    r.totalMs += durationMs;
    if (durationMs > r.maxMs) r.maxMs = durationMs;
    r.statements += statements;
    if (statusCode >= 500) r.errors++;
  }

  /** The routes that took the most time overall. */
  top(n = 10) {
    const round = (v: number) => Math.round(v * 10) / 10;
    return [...this.routes]
      .sort((a, b) => b[1].totalMs - a[1].totalMs)
      .slice(0, n)
      .map(([route, r]) => ({
        route,
        count: r.count,
        meanMs: round(r.totalMs / r.count),
        maxMs: round(r.maxMs),
        meanStatements: round(r.statements / r.count),
        serverErrors: r.errors,
      }));
  }
}
