import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Span } from '@opentelemetry/api';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import {
  ConnectionLostError,
  DatabaseUnavailableError,
  PoolExhaustedError,
  isAcquireTimeout,
  isConnectionError,
  isNotQueryable,
  isReadOnlySql,
} from './database.errors';
import { Tracing, fail } from '../observability/tracing';
import { PoolStats } from './pool-stats';

/** Something SQL can be sent to: the pool, one held connection, or a transaction. */
export interface Queryable {
  query<T extends QueryResultRow = QueryResultRow>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<T[]>;
}

const LAST_RELEASED = Symbol('postroomLastReleased');
const BROKEN = Symbol('postroomBroken');
const WATCHED = Symbol('postroomWatched');
type TrackedClient = PoolClient & {
  [LAST_RELEASED]?: number;
  /** Why the connection is dead, once anything said so. */
  [BROKEN]?: Error;
  [WATCHED]?: true;
};

/** `target`: the server it went to (`primary`, `replica-0`, …). */
type QueryListener = (sql: string, params: readonly unknown[], target: string) => void;
/** A wait for a connection: when it began and when the connection was handed out (performance.now()). */
type AcquireListener = (startedAt: number, acquiredAt: number) => void;

/** The connection the current async scope holds (inside withClient / transaction / a loader). */
interface Held {
  q: Queryable;
  released: boolean;
  /** The server it is on (the primary or a replica). */
  target: PgTarget;
  /** A statement on it may have written (tracked on the primary while replicas are configured). */
  wrote: boolean;
}

/**
 * What the primary and the replicas of one Db share: the statement and acquire
 * observers, tracing, the held connection of the async scope, and the hooks of
 * the replica router (unset without replicas: nothing is checked per statement).
 */
interface Shared {
  listeners: Set<QueryListener>;
  acquireListeners: Set<AcquireListener>;
  tracing: Tracing | undefined;
  held: AsyncLocalStorage<Held>;
  /** Set by the replica router: the request wrote (its next reads stay on the primary). */
  markWrote?: () => void;
  /** Set by the replica router: runs on the connection after a write committed, before its release. */
  afterWrite?: (q: Queryable) => Promise<void>;
}

/** Routes replica-eligible reads; implemented by ReplicaRouter. */
export interface ReadRouter {
  /** The replica a read of this scope should go to, or undefined for the primary. */
  pick(): Promise<PgTarget | undefined>;
  /** A read failed on `replica`: true when it may be sent to the primary instead. */
  fallback(replica: PgTarget, e: unknown): boolean;
}

const ACQUIRE_SPAN_ATTRIBUTES = { 'db.system.name': 'postgresql' } as const;

/** Thrown by the private deadline race; turned into PoolExhaustedError or DatabaseUnavailableError. */
class DeadlineReached extends Error {}

/**
 * The application's access to PostgreSQL: one pg pool (TypeORM's, sized from the
 * connection budget), bounded waits, validation of long-idle connections, dead
 * connections dropped, and the counters the pool monitor reads. Repositories and
 * the grid engine send their SQL through here; nothing else does.
 *
 * Failure policy (what happens when a connection dies under a request):
 * - A dead connection is never handed out again: pg-pool drops idle ones when
 *   the server closes them, and one that broke while checked out is destroyed on
 *   release instead of going back to the pool.
 * - `query()` sends one statement again, once, on a fresh connection when its
 *   connection died and either the statement never left (the connection was known
 *   dead first) or it is a plain read (`isReadOnlySql`). Anything that may have
 *   written is not repeated: a lost COMMIT may or may not have happened, and only
 *   the client can decide; it gets 503 DB_UNAVAILABLE with Retry-After.
 * - `withClient()` / `transaction()` never retry: their callback may have had
 *   effects. Concurrency loaders are reads by contract and are retried there.
 * - Within a held connection's scope, `query()` reuses that connection (a request
 *   that holds one never waits on the pool for a second: no self-deadlock).
 */
export class PgTarget implements Queryable {
  protected readonly logger: Logger;
  private readonly begin: string;

  constructor(
    /** `primary`, `replica-0`, … (pool figures and metrics are labelled with it). */
    readonly name: string,
    readonly pool: Pool,
    protected readonly cfg: AppConfig,
    readonly stats: PoolStats,
    protected readonly shared: Shared,
  ) {
    this.logger = new Logger(name === 'primary' ? 'Db' : `Db ${name}`);
    // Behind PgBouncer statement_timeout cannot ride in the startup packet; a
    // transaction carries it as SET LOCAL instead (same round trip as BEGIN).
    const timeout = cfg.db.statementTimeoutMs;
    this.begin =
      cfg.db.usePgbouncer && timeout > 0
        ? `BEGIN; SET LOCAL statement_timeout = ${Math.floor(timeout)}`
        : 'BEGIN';
    // pg-pool removes an idle connection whose server went away and reports it here.
    this.pool.on('error', (e) => {
      this.stats.droppedConnections++;
      this.logger.warn(`dropped a dead idle connection: ${e.message}`);
    });
  }

  get isPrimary(): boolean {
    return this.name === 'primary';
  }

  /**
   * One statement on a pooled connection, released at once (or on the connection
   * this scope already holds). Retried once on a fresh connection when the
   * connection died and repeating cannot do harm (see the class comment).
   */
  async query<T extends QueryResultRow = QueryResultRow>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<T[]> {
    const held = this.shared.held.getStore();
    // A write never goes to a replica connection held for reads: it takes its own.
    if (held && !held.released && (held.target === this || isReadOnlySql(sql))) {
      return held.q.query<T>(sql, params);
    }
    try {
      return await this.withClient((c) => c.query<T>(sql, params));
    } catch (e) {
      if (!(e instanceof ConnectionLostError) || (e.sent && !isReadOnlySql(sql))) throw e;
      this.stats.retries++;
      return this.withClient((c) => c.query<T>(sql, params));
    }
  }

  /**
   * Holds one connection for fn (statements on it run one after another).
   * The wait for it ends by `deadline` (a performance.now() time), by default
   * DB_POOL_ACQUIRE_TIMEOUT_MS from now.
   */
  async withClient<T>(fn: (q: Queryable) => Promise<T>, deadline?: number): Promise<T> {
    // Tracing: one span from the wait for the connection to its release, its
    // statements as children (under the active span only; none when off).
    const span = this.shared.tracing?.child('db.pool.acquire', ACQUIRE_SPAN_ATTRIBUTES);
    let client: TrackedClient;
    if (span) {
      const started = performance.now();
      try {
        client = await this.acquire(deadline);
      } catch (e) {
        fail(span, e);
        span.end();
        throw e;
      }
      span.setAttribute('db.pool.wait_ms', Math.round((performance.now() - started) * 100) / 100);
      span.addEvent('acquired');
    } else {
      client = await this.acquire(deadline);
    }
    const held: Held = {
      q: this.wrap(client, () => held, span),
      released: false,
      target: this,
      wrote: false,
    };
    try {
      const result = await this.shared.held.run(held, () => fn(held.q));
      // Committed (a transaction's fn ends with its COMMIT): the router notes where the WAL is.
      // It never fails what has committed (the router falls back to a time window itself).
      if (held.wrote && this.shared.afterWrite) {
        await this.shared.held
          .run(held, () => this.shared.afterWrite?.(held.q))
          ?.catch((e: unknown) => this.logger.warn(`after a write: ${String(e)}`));
      }
      return result;
    } finally {
      held.released = true;
      this.release(client, client[BROKEN]);
      span?.end();
    }
  }

  /** fn inside BEGIN … COMMIT on one connection; any error rolls everything back. */
  async transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.withClient(async (q) => {
      await q.query(this.begin);
      try {
        const result = await fn(q);
        await q.query('COMMIT');
        return result;
      } catch (e) {
        await q.query('ROLLBACK').catch(() => undefined);
        throw e;
      }
    });
  }

  /** The connection this async scope holds, if any and not yet released. */
  current(): Queryable | undefined {
    const held = this.shared.held.getStore();
    return held && !held.released ? held.q : undefined;
  }

  /** Observes every statement sent with its parameters (tests and the benchmark count and replay them). */
  onQuery(listener: QueryListener): () => void {
    this.shared.listeners.add(listener);
    return () => this.shared.listeners.delete(listener);
  }

  /** Observes each connection handed out with its wait (request metrics add the waits of a request up). */
  onAcquire(listener: AcquireListener): () => void {
    this.shared.acquireListeners.add(listener);
    return () => this.shared.acquireListeners.delete(listener);
  }

  /**
   * True while a connection could not be had at once: nothing idle and no room
   * to open one, or callers already queued. Background writers skip their turn
   * then, so they never compete with requests for the last connections.
   */
  saturated(): boolean {
    const p = this.pool;
    return p.waitingCount > 0 || (p.idleCount === 0 && p.totalCount >= this.poolMax());
  }

  /**
   * A pooled connection by `deadline` (default: DB_POOL_ACQUIRE_TIMEOUT_MS from
   * now), validated when it idled long. Past the deadline: PoolExhaustedError
   * when the pool is full (counted), DatabaseUnavailableError when the server
   * did not accept a new connection in time.
   */
  async acquire(deadline?: number): Promise<PoolClient> {
    const started = performance.now();
    const end = deadline ?? started + this.cfg.db.acquireTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      let client: TrackedClient;
      try {
        // The first plain wait is pg-pool's own, bounded by the same timeout.
        client = await (deadline === undefined && attempt === 0
          ? this.pool.connect()
          : this.connectBy(end));
      } catch (e) {
        const waited = performance.now() - started;
        const timedOut = e instanceof DeadlineReached || isAcquireTimeout(e);
        if (timedOut && this.pool.totalCount >= this.poolMax()) {
          this.stats.recordTimeout();
          throw new PoolExhaustedError(waited);
        }
        this.stats.connectFailures++;
        throw new DatabaseUnavailableError(e);
      }
      this.watch(client);
      if (attempt < 2 && !(await this.validate(client))) continue;
      const acquiredAt = performance.now();
      this.stats.recordAcquire(acquiredAt - started);
      for (const l of this.shared.acquireListeners) l(started, acquiredAt);
      return client;
    }
  }

  release(client: PoolClient, error?: Error): void {
    const tracked = client as TrackedClient;
    tracked[LAST_RELEASED] = Date.now();
    if (error) this.stats.droppedConnections++;
    client.release(error ?? false);
  }

  poolMax(): number {
    return (this.pool.options as { max: number }).max;
  }

  /**
   * pg-pool bounds its own queue wait by DB_POOL_ACQUIRE_TIMEOUT_MS (and removes
   * the waiter). When less time is left (a replacement after validation, or a
   * loader that already waited for its request's slot) a timer races it; a
   * connection that arrives after the race is lost goes straight back to the pool.
   */
  private connectBy(deadline: number): Promise<TrackedClient> {
    const remaining = deadline - performance.now();
    if (remaining <= 0) return Promise.reject(new DeadlineReached());
    return new Promise<TrackedClient>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new DeadlineReached());
      }, remaining);
      this.pool.connect().then(
        (client) => {
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            resolve(client);
          } else client.release();
        },
        (e: unknown) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  /**
   * pg emits 'error' on a client whose server went away while no statement was
   * running; pg-pool listens only while the client is idle, and an unheard
   * 'error' event would crash the process. So every client gets a listener of
   * ours for life: it marks the client dead, and release() destroys it.
   */
  private watch(client: TrackedClient): void {
    if (client[WATCHED]) return;
    client[WATCHED] = true;
    client.on('error', (e: Error) => {
      client[BROKEN] ??= e;
    });
  }

  /**
   * pool_pre_ping, only where it helps: a connection idle for longer than
   * DB_VALIDATE_IDLE_MS is pinged before use and replaced if dead. Never behind
   * PgBouncer, which owns the server connections and answers for them.
   */
  private async validate(client: TrackedClient): Promise<boolean> {
    const last = client[LAST_RELEASED];
    if (this.cfg.db.usePgbouncer || last === undefined) return true;
    if (Date.now() - last < this.cfg.db.validateIdleMs) return true;
    try {
      await client.query('SELECT 1');
      return true;
    } catch (e) {
      client.release(e instanceof Error ? e : true);
      this.stats.replacedConnections++;
      return false;
    }
  }

  private wrap(client: TrackedClient, holder: () => Held, span?: Span): Queryable {
    const markWrote = this.isPrimary ? this.shared.markWrote : undefined;
    return {
      query: async <T extends QueryResultRow>(sql: string, params: readonly unknown[] = []) => {
        const held = holder();
        if (held.released) throw new Error('a database connection was used after its release');
        if (client[BROKEN]) throw new ConnectionLostError(client[BROKEN], false);
        if (markWrote && !held.wrote && !isReadOnlySql(sql)) {
          held.wrote = true;
          markWrote();
        }
        for (const l of this.shared.listeners) l(sql, params, this.name);
        // Its parameterized text only: the values never go into a span.
        const statement = span && this.shared.tracing?.statement(span, sql);
        try {
          const res = await client.query<T>(sql, params as unknown[]);
          return res.rows;
        } catch (e) {
          if (statement) fail(statement, e);
          if (!isConnectionError(e)) throw e;
          client[BROKEN] ??= e as Error;
          throw new ConnectionLostError(e, !isNotQueryable(e));
        } finally {
          statement?.end();
        }
      },
    };
  }
}

/**
 * The application's access to PostgreSQL: the primary (the pool TypeORM opened,
 * sized from the connection budget) and, with DATABASE_READ_URLS, a pool per
 * read replica attached by ReplicaRouter. `query`, `withClient` and
 * `transaction` always run on the primary; `read` and `withReadClient` are the
 * replica-eligible reads (grid loaders, item reads, permission loads), which
 * the router sends to a replica or back to the primary (see ReplicaRouter).
 */
@Injectable()
export class Db extends PgTarget {
  private router: ReadRouter | undefined;
  private replicaTargets: PgTarget[] = [];

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) cfg: AppConfig,
    stats: PoolStats,
    @Optional() tracing?: Tracing,
  ) {
    super('primary', (dataSource.driver as PostgresDriver).master as Pool, cfg, stats, {
      listeners: new Set(),
      acquireListeners: new Set(),
      // Present only when tracing is on: the one check the hot path makes.
      tracing: tracing?.on ? tracing : undefined,
      held: new AsyncLocalStorage<Held>(),
    });
  }

  /** A target over another server's pool that shares this Db's observers and held scope. */
  createReplica(name: string, pool: Pool, stats: PoolStats): PgTarget {
    return new PgTarget(name, pool, this.cfg, stats, this.shared);
  }

  /** Called once by ReplicaRouter when DATABASE_READ_URLS names replicas. */
  attachRouter(
    router: ReadRouter,
    replicas: PgTarget[],
    hooks: Required<Pick<Shared, 'markWrote' | 'afterWrite'>>,
  ): void {
    this.router = router;
    this.replicaTargets = replicas;
    this.shared.markWrote = hooks.markWrote;
    this.shared.afterWrite = hooks.afterWrite;
  }

  /** The primary and every replica, in that order. */
  targets(): PgTarget[] {
    return [this, ...this.replicaTargets];
  }

  /**
   * A read a replica may serve (one statement). Within a held connection it
   * runs there; a replica that fails under it hands it to the primary.
   */
  async read<T extends QueryResultRow = QueryResultRow>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<T[]> {
    const replica = this.current() || !this.router ? undefined : await this.router.pick();
    if (!replica) return this.query<T>(sql, params);
    try {
      return await replica.query<T>(sql, params);
    } catch (e) {
      if (!this.router?.fallback(replica, e)) throw e;
      this.stats.retries++;
      return this.query<T>(sql, params);
    }
  }

  /**
   * withClient for reads (fn must only read: it may run twice): on a replica
   * when the router picks one, else on the primary; a replica failing under it
   * runs fn again on the primary.
   */
  async withReadClient<T>(fn: (q: Queryable) => Promise<T>, deadline?: number): Promise<T> {
    const replica = this.router ? await this.router.pick() : undefined;
    if (!replica) return this.withClient(fn, deadline);
    try {
      return await replica.withClient(fn, deadline);
    } catch (e) {
      if (!this.router?.fallback(replica, e)) throw e;
      this.stats.retries++;
      return this.withClient(fn);
    }
  }
}
