import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Ports handed out by freePort: a port closed again may come back from the kernel. */
const handedOut = new Set<number>();

/**
 * A port nothing listens on, never one handed out before in this run: two
 * ports taken before either is listened on (a Postroom's HTTP and liveness
 * ports) could otherwise be the same one, closed and offered again.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const address = s.address();
        const p = typeof address === 'object' && address ? address.port : 0;
        s.close(() => resolve(p));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

const running = new Set<ChildProcess>();
// Whatever way the bench ends, it leaves no server of its own behind.
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

/**
 * A Node child process whose output is kept (the last lines) for when it fails.
 * With `stdoutFile` its standard output goes straight to that file instead, as
 * a container runtime would take it: a server logging every request must not
 * make the load generator (this process) read its log.
 */
export class NodeChild {
  private readonly tail: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    script: string,
    args: string[],
    env: Record<string, string>,
    nodeArgs: string[] = [],
    stdoutFile?: string,
  ) {
    const out = stdoutFile === undefined ? 'pipe' : openSync(stdoutFile, 'a');
    this.child = spawn(process.execPath, [...nodeArgs, script, ...args], {
      env,
      stdio: ['ignore', out, 'pipe'],
    });
    if (typeof out === 'number') closeSync(out); // the child holds its own copy
    running.add(this.child);
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line) this.tail.push(line);
      if (this.tail.length > 200) this.tail.splice(0, this.tail.length - 200);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        running.delete(this.child);
        resolve(code);
      }),
    );
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} did not start`);
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Also shows the child's output live (the seed's progress bar). */
  pipeTo(out: NodeJS.WritableStream, err: NodeJS.WritableStream): void {
    this.child.stdout?.pipe(out, { end: false });
    this.child.stderr?.pipe(err, { end: false });
  }

  exitCode(): Promise<number | null> {
    return this.exited;
  }

  output(lines = 40): string {
    return this.tail.slice(-lines).join('\n');
  }

  /** Polls url until it answers 200; fails early when the process dies. */
  async waitReady(url: string, timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (!this.alive) {
        throw new Error(`${this.name} exited before it was ready:\n${this.output()}`);
      }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`${this.name} was not ready within ${timeoutMs} ms:\n${this.output()}`);
  }

  /** SIGTERM, then SIGKILL when it takes longer than graceMs. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resident set size of a process in bytes (VmRSS), undefined once it is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

let clockTicks: number | undefined;

/** CPU time (user + system) a process has used so far, in milliseconds. */
export function cpuMs(pid: number): number | undefined {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are 14th and 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return undefined;
  }
}

/**
 * Waits until a process has (nearly) stopped using CPU: after a warm-up the
 * load generator closes its connections, yet the server still works off the
 * requests they left queued (hundreds in the burst), which must not count
 * against the measured run.
 */
export async function waitUntilIdle(pid: number, timeoutMs = 15_000): Promise<void> {
  const stepMs = 250;
  let quiet = 0;
  let last = cpuMs(pid);
  for (let waited = 0; waited < timeoutMs && quiet < 2; waited += stepMs) {
    await sleep(stepMs);
    const now = cpuMs(pid);
    if (now === undefined || last === undefined) return;
    quiet = now - last < stepMs * 0.1 ? quiet + 1 : 0;
    last = now;
  }
}

/** Samples a process's RSS; `window()` gives the peak between two moments. */
export class RssSampler {
  peak = 0;
  private readonly windows = new Set<{ peak: number }>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 200,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
    this.sample();
  }

  window(): { peak: number; close(): number } {
    const w = {
      peak: 0,
      close: () => {
        this.sample();
        this.windows.delete(w);
        return w.peak;
      },
    };
    this.windows.add(w);
    this.sample();
    return w;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const rss = rssBytes(this.pid);
    if (rss === undefined) return;
    this.peak = Math.max(this.peak, rss);
    for (const w of this.windows) w.peak = Math.max(w.peak, rss);
  }
}
