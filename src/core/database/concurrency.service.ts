import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { RequestContext } from '../context/request-context.service';
import type { RequestStore } from '../context/request-context.service';
import type { Queryable } from './db.service';
import { Db } from './db.service';

export type Loader<T> = (q: Queryable) => Promise<T>;
type Results<L extends readonly Loader<unknown>[]> = {
  [K in keyof L]: L[K] extends Loader<infer R> ? R : never;
};

/**
 * Runs independent loaders of one request at the same time, each on a fresh
 * pooled connection released in `finally`. A request holds at most
 * DB_CONCURRENCY_PER_REQUEST connections at once: extra loaders wait for their
 * own request's slots, not for the pool. A loader that itself runs loaders
 * reuses the connection it already holds (serially), so a request can never
 * wait on itself for a connection: no self-deadlock, whatever the pool size.
 */
@Injectable()
export class Concurrency {
  private readonly held = new AsyncLocalStorage<Queryable>();

  constructor(
    private readonly db: Db,
    private readonly ctx: RequestContext,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async all<L extends readonly Loader<unknown>[]>(loaders: L): Promise<Results<L>> {
    const current = this.held.getStore();
    if (current) {
      const results: unknown[] = [];
      for (const load of loaders) results.push(await load(current));
      return results as Results<L>;
    }
    if (loaders.length === 1) {
      return [await this.runOne(loaders[0])] as Results<L>;
    }
    return (await Promise.all(loaders.map((load) => this.runOne(load)))) as Results<L>;
  }

  /** The same work one after another on one connection (the benchmark's serial baseline). */
  async serial<L extends readonly Loader<unknown>[]>(loaders: L): Promise<Results<L>> {
    return this.db.withClient(async (q) => {
      const results: unknown[] = [];
      for (const load of loaders) results.push(await load(q));
      return results as Results<L>;
    });
  }

  private async runOne<T>(load: Loader<T>): Promise<T> {
    const store = this.ctx.store();
    await this.takeSlot(store);
    try {
      return await this.db.withClient((q) => this.held.run(q, () => load(q)));
    } finally {
      this.giveSlot(store);
    }
  }

  private takeSlot(store: RequestStore | undefined): Promise<void> | void {
    if (!store) return;
    store.slots ??= { inUse: 0, waiters: [] };
    const slots = store.slots;
    if (slots.inUse < this.cfg.grid.concurrencyPerRequest) {
      slots.inUse++;
      return;
    }
    return new Promise<void>((resolve) => slots.waiters.push(resolve));
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
