export type AlertChange = 'raised' | 'recovered';

/**
 * Pool utilization alert as a small state machine fed with observations: it is
 * raised once utilization has stayed at or above `threshold` for `sustainMs`
 * (every observation in between above it), and recovers on the first
 * observation below it. Pure, so it is tested with made-up clocks.
 */
export class UtilizationAlert {
  active = false;
  /** When the current alert was raised (epoch ms). */
  raisedAt: number | null = null;
  /** How many times it was raised since start. */
  raisedCount = 0;
  private aboveSince: number | null = null;

  constructor(
    readonly threshold: number,
    readonly sustainMs: number,
  ) {}

  observe(utilization: number, now: number): AlertChange | null {
    if (utilization >= this.threshold) {
      this.aboveSince ??= now;
      if (!this.active && now - this.aboveSince >= this.sustainMs) {
        this.active = true;
        this.raisedAt = now;
        this.raisedCount++;
        return 'raised';
      }
      return null;
    }
    this.aboveSince = null;
    if (!this.active) return null;
    this.active = false;
    return 'recovered';
  }
}
