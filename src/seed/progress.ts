/** Reports the steps of a long seed: each has a name and a number of units (rows) to do. */
export interface SeedProgress {
  begin(step: string, total: number): void;
  /** Units done so far in the current step. */
  update(done: number): void;
  end(): void;
}

export const silentProgress: SeedProgress = {
  begin: () => undefined,
  update: () => undefined,
  end: () => undefined,
};

export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

const BAR_WIDTH = 24;

/**
 * A progress bar for a terminal: one line redrawn with \r while a step runs.
 * When the output is not a terminal (CI logs, a pipe) it prints one line per
 * finished step instead, so logs are not filled with redraws.
 */
export class ConsoleProgress implements SeedProgress {
  private step = '';
  private total = 0;
  private done = 0;
  private stepStarted = 0;

  constructor(
    private readonly out: ProgressOutput,
    private readonly now: () => number = () => performance.now(),
    private readonly started = now(),
  ) {}

  begin(step: string, total: number): void {
    this.step = step;
    this.total = Math.max(0, total);
    this.done = 0;
    this.stepStarted = this.now();
    if (this.out.isTTY) this.draw();
  }

  update(done: number): void {
    this.done = Math.min(done, this.total);
    if (this.out.isTTY) this.draw();
  }

  end(): void {
    this.done = this.total;
    const line = `${this.line()}  (${seconds(this.now() - this.stepStarted)})`;
    this.out.write(this.out.isTTY ? `\r${line}\x1b[K\n` : `${line}\n`);
  }

  private draw(): void {
    this.out.write(`\r${this.line()}\x1b[K`);
  }

  private line(): string {
    const ratio = this.total === 0 ? 1 : this.done / this.total;
    const filled = Math.round(ratio * BAR_WIDTH);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
    const counts = `${this.done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')}`;
    const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
    return `${this.step.padEnd(16)} ${bar} ${counts} ${percent}  elapsed ${clock(this.now() - this.started)}`;
  }
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
