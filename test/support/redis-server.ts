import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { spawn } from 'node:child_process';
import Redis from 'ioredis';

/**
 * A redis-server of the test's own, on a port of its own, without persistence:
 * tests may stop and restart it without touching anyone else's Redis.
 */
export class OwnRedis {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<OwnRedis> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const server = new OwnRedis(6390 + Math.floor(Math.random() * 2000));
      if (await server.startOnce()) return server;
    }
    throw new Error('could not start a redis-server on a free port');
  }

  async restart(): Promise<void> {
    if (!(await this.startOnce())) throw new Error(`redis-server did not restart on ${this.port}`);
  }

  /** Stops the server (our own child, by its pid) and waits until it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.child = undefined;
  }

  /** A client of the test's own (never the app's connection). */
  client(): Redis {
    return new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  }

  private async startOnce(): Promise<boolean> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    for (let i = 0; i < 100; i++) {
      if (child.exitCode !== null) return false; // the port was taken
      const c = this.client();
      try {
        await c.connect();
        // Ours, not another test's server that already had the port.
        const info = await c.info('server');
        if (child.exitCode !== null || !info.includes(`process_id:${child.pid}\r`)) return false;
        return true;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        c.disconnect();
      }
    }
    await this.stop();
    return false;
  }
}

/** Waits until check() holds, polling; fails after `tries` × 50 ms. */
export async function eventually(check: () => boolean, what: string, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`still not true: ${what}`);
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  if (!/^test-|^bench-/.test(prefix)) throw new Error(`refusing to drop keys of prefix ${prefix}`);
  const c = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await c.connect();
    let cursor = '0';
    do {
      const [next, keys] = await c.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await c.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Redis away (a test stopped it): nothing to clean.
  } finally {
    c.disconnect();
  }
}
