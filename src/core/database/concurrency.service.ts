import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { RequestContext } from '../context/request-context.service';
import type { RequestStore } from '../context/request-context.service';
import { ConnectionLostError, PoolExhaustedError } from './database.errors';
import type { Queryable } from './db.service';
import { Db } from './db.service';

/** A read: it may run on any connection, at the same time as others, and again. */
export type Loader<T> = (q: Queryable) => Promise<T>;
type Results<L extends readonly Loader<unknown>[]> = {
  [K in keyof L]: L[K] extends Loader<infer R> ? R : never;
};

/**
 * Runs independent loaders of one request at the same time, each on a fresh
 * pooled connection released in `finally`.
 *
 * - A request holds at most DB_CONCURRENCY_PER_REQUEST connections at once:
 *   extra loaders wait for their own request's slots, not for the pool. With a
 *   cap of 1 the loaders run one after another on one connection (one
 *   checkout instead of one each): for budgets too tight to share.
 * - A loader that itself runs loaders (or runs inside withClient/transaction)
 *   reuses the connection already held, serially, so a request never waits on
 *   itself for a connection: no self-deadlock, whatever the pool size.
 * - Every wait is bounded: the slot wait and the pool wait of one loader share
 *   one DB_POOL_ACQUIRE_TIMEOUT_MS; past it the loader fails with
 *   PoolExhaustedError (503 DB_POOL_EXHAUSTED, counted).
 * - Loaders are reads by contract, so a loader whose connection died under it
 *   runs once more on a fresh connection (within a fresh acquire timeout).
 * - Being reads, loaders are replica-eligible: Db.withReadClient sends them to
 *   a read replica when the request has not written (see ReplicaRouter).
 */
@Injectable()
export class Concurrency {
  constructor(
    private readonly db: Db,
    private readonly ctx: RequestContext,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async all<L extends readonly Loader<unknown>[]>(loaders: L): Promise<Results<L>> {
    const current = this.db.current();
    if (current) return (await inSequence(loaders, current)) as Results<L>;
    if (loaders.length === 1) {
      return [await this.runOne(loaders[0])] as Results<L>;
    }
    if (this.cfg.grid.concurrencyPerRequest === 1) {
      return (await this.runOne((q) => inSequence(loaders, q))) as Results<L>;
    }
    // Settle every loader before answering: a failed request leaves no loader
    // of its own behind still holding or waiting for a connection.
    const settled = await Promise.allSettled(loaders.map((load) => this.runOne(load)));
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as Results<L>;
  }

  private async runOne<T>(load: Loader<T>): Promise<T> {
    const store = this.ctx.store();
    const started = performance.now();
    const deadline = started + this.cfg.db.acquireTimeoutMs;
    await this.takeSlot(store, started, deadline);
    try {
      try {
        return await this.db.withReadClient(load, deadline);
      } catch (e) {
        if (!(e instanceof ConnectionLostError)) throw e;
        this.db.stats.retries++;
        return await this.db.withReadClient(load);
      }
    } finally {
      this.giveSlot(store);
    }
  }

  private takeSlot(
    store: RequestStore | undefined,
    started: number,
    deadline: number,
  ): Promise<void> | void {
    if (!store) return;
    store.slots ??= { inUse: 0, waiters: [] };
    const slots = store.slots;
    if (slots.inUse < this.cfg.grid.concurrencyPerRequest) {
      slots.inUse++;
      return;
    }
    return new Promise<void>((resolve, reject) => {
      const granted = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const i = slots.waiters.indexOf(granted);
        if (i >= 0) slots.waiters.splice(i, 1);
        this.db.stats.recordTimeout(true);
        reject(new PoolExhaustedError(performance.now() - started));
      }, deadline - started);
      slots.waiters.push(granted);
    });
  }

  private giveSlot(store: RequestStore | undefined): void {
    const slots = store?.slots;
    if (!slots) return;
    const next = slots.waiters.shift();
    if (next)
      next(); // the slot passes straight to the next loader of this request
    else slots.inUse--;
  }
}

async function inSequence(loaders: readonly Loader<unknown>[], q: Queryable): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const load of loaders) results.push(await load(q));
  return results;
}
