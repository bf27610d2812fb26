import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';

/** One answer of a load run. */
export interface LoadResult {
  status: number;
  retryAfter: string | null;
  code: string | undefined;
}

/** Makes the app listen on a free local port and returns its base URL. */
export async function listen(app: NestFastifyApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

/** One GET, its status, Retry-After and error code (never throws on an HTTP status). */
export async function get(
  url: string,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<LoadResult> {
  const res = await fetch(url, { headers, signal });
  const text = await res.text();
  let code: string | undefined;
  if (res.status !== 200) {
    try {
      code = (JSON.parse(text) as { code?: string }).code;
    } catch {
      code = undefined;
    }
  }
  return { status: res.status, retryAfter: res.headers.get('retry-after'), code };
}

/** `n` calls of `one(i)`, all started at once. */
export function burst<T>(n: number, one: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => one(i)));
}

/**
 * `total` calls of `one(i)` by `workers` callers, each waiting for its answer
 * before the next; `after(done)` runs after each completed call.
 */
export async function waves<T>(
  total: number,
  workers: number,
  one: (i: number) => Promise<T>,
  after?: (done: number) => Promise<void> | void,
): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) {
        const i = next++;
        results[i] = await one(i);
        done++;
        await after?.(done);
      }
    }),
  );
  return results;
}

/** Counts by a key. */
export function tally<T>(items: T[], key: (t: T) => string | number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of items) out[String(key(t))] = (out[String(key(t))] ?? 0) + 1;
  return out;
}

/**
 * Samples pg_stat_activity over its own direct connection, as fast as it
 * answers, until stopped: the largest number of backends seen whose
 * application_name starts with `prefix`, overall and per name. With
 * `activeOnly` only backends doing something count (behind PgBouncer idle
 * server connections belong to PgBouncer, not to a client). `local` is sampled
 * at the same moments (the app side: its pool's open connections).
 */
export class BackendSampler {
  peak = 0;
  peakByName = new Map<string, number>();
  /** Largest value `local` returned (e.g. the app's own open pool connections). */
  localPeak = 0;
  samples = 0;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly client: Client;

  constructor(
    directUrl: string,
    private readonly prefix: string,
    private readonly activeOnly = false,
    private readonly local: () => number = () => 0,
  ) {
    this.client = new Client({ connectionString: directUrl, application_name: 'test-sampler' });
  }

  async start(): Promise<void> {
    await this.client.connect();
    await this.sampleOnce();
    this.loop = (async () => {
      while (!this.stopped) {
        await this.sampleOnce();
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
    await this.sampleOnce();
    await this.client.end();
  }

  private async sampleOnce(): Promise<void> {
    const { rows } = await this.client.query<{ application_name: string; n: number }>(
      `SELECT application_name, count(*)::int AS n FROM pg_stat_activity
       WHERE backend_type = 'client backend' AND starts_with(application_name, $1)
         AND ($2::boolean IS FALSE OR state IS DISTINCT FROM 'idle')
       GROUP BY 1`,
      [this.prefix, this.activeOnly],
    );
    this.samples++;
    this.localPeak = Math.max(this.localPeak, this.local());
    let total = 0;
    for (const r of rows) {
      total += r.n;
      this.peakByName.set(
        r.application_name,
        Math.max(this.peakByName.get(r.application_name) ?? 0, r.n),
      );
    }
    this.peak = Math.max(this.peak, total);
  }
}

/** Terminates every backend whose application_name starts with prefix; returns how many. */
export async function terminateBackends(directUrl: string, prefix: string): Promise<number> {
  const c = new Client({ connectionString: directUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ ok: boolean }>(
      `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
       WHERE backend_type = 'client backend' AND starts_with(application_name, $1)`,
      [prefix],
    );
    return rows.filter((r) => r.ok).length;
  } finally {
    await c.end();
  }
}
