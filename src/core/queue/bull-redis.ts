import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { withTimeout } from '../async/with-timeout';

/**
 * Redis options of Bull's connections (Bull creates and closes them). Commands
 * wait for a reconnect instead of failing (maxRetriesPerRequest: null): a worker
 * whose Redis restarts resumes by itself, and nothing Bull starts on its own
 * (process loop, stalled-job checks) rejects unhandled meanwhile. Callers on a
 * request's path must therefore never send a command to a connection that is
 * not ready: see whenReady.
 */
export const BULL_REDIS_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: null,
  enableReadyCheck: false,
  connectTimeout: 2_000,
  // Quick reconnects: waiting workers and the sweeper resume soon after Redis returns.
  retryStrategy: (attempt: number) => Math.min(attempt * 250, 2_000),
};

/** Resolves once the connection is ready, rejects after ms (never queues a command offline). */
export function whenReady(client: Redis, ms: number, what: string): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'end') return Promise.reject(new Error(`${what}: connection closed`));
  let onReady: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
    client.once('ready', resolve);
  });
  return withTimeout(ready, ms, what).finally(() => {
    if (onReady) client.removeListener('ready', onReady);
  });
}
