import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import {
  DatabaseUnavailableError,
  PoolExhaustedError,
  isAcquireTimeout,
  isConnectionError,
} from './database.errors';
import { PoolStats } from './pool-stats';

/** Something SQL can be sent to: the pool, one held connection, or a transaction. */
export interface Queryable {
  query<T extends QueryResultRow = QueryResultRow>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<T[]>;
}

const LAST_RELEASED = Symbol('postroomLastReleased');
type TrackedClient = PoolClient & { [LAST_RELEASED]?: number };

type QueryListener = (sql: string, params: readonly unknown[]) => void;

/**
 * The application's access to PostgreSQL: one pg pool (TypeORM's, sized from the
 * connection budget), bounded waits, validation of long-idle connections, and
 * the counters the pool monitor reads. Repositories and the grid engine send
 * their SQL through here; nothing else does.
 */
@Injectable()
export class Db implements Queryable {
  readonly pool: Pool;
  private readonly listeners = new Set<QueryListener>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    readonly stats: PoolStats,
  ) {
    this.pool = (dataSource.driver as PostgresDriver).master as Pool;
  }

  /** One statement on a pooled connection, released at once. */
  async query<T extends QueryResultRow = QueryResultRow>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<T[]> {
    return this.withClient((c) => c.query<T>(sql, params));
  }

  /** Holds one connection for fn (statements on it run one after another). */
  async withClient<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.acquire();
    let broken: Error | undefined;
    try {
      return await fn(this.wrap(client));
    } catch (e) {
      if (isConnectionError(e)) broken = e as Error;
      throw e;
    } finally {
      this.release(client, broken);
    }
  }

  /** fn inside BEGIN … COMMIT on one connection; any error rolls everything back. */
  async transaction<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.withClient(async (q) => {
      await q.query('BEGIN');
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

  /** Observes every statement sent with its parameters (tests and the benchmark count and replay them). */
  onQuery(listener: QueryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A pooled connection within DB_POOL_ACQUIRE_TIMEOUT_MS, validated when it idled long. */
  async acquire(): Promise<PoolClient> {
    for (let attempt = 0; ; attempt++) {
      const started = performance.now();
      this.stats.waiting++;
      let client: TrackedClient;
      try {
        client = await this.pool.connect();
      } catch (e) {
        const waited = performance.now() - started;
        if (isAcquireTimeout(e) && this.pool.totalCount >= this.poolMax()) {
          this.stats.recordTimeout();
          throw new PoolExhaustedError(waited);
        }
        throw new DatabaseUnavailableError(e);
      } finally {
        this.stats.waiting--;
      }
      this.stats.recordAcquire(performance.now() - started);
      if (!(await this.validate(client)) && attempt < 2) continue;
      return client;
    }
  }

  release(client: PoolClient, error?: Error): void {
    (client as TrackedClient)[LAST_RELEASED] = Date.now();
    client.release(error ?? false);
  }

  poolMax(): number {
    return (this.pool.options as { max: number }).max;
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

  private wrap(client: PoolClient): Queryable {
    return {
      query: async <T extends QueryResultRow>(sql: string, params: readonly unknown[] = []) => {
        for (const l of this.listeners) l(sql, params);
        const res = await client.query<T>(sql, params as unknown[]);
        return res.rows;
      },
    };
  }
}
