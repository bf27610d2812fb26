import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Pool } from 'pg';
import { withTimeout } from '../async/with-timeout';
import { RedisService } from '../cache/redis.service';
import type { AppConfig } from '../config/config.schema';
import { APP_CONFIG } from '../config/config.module';
import { RequestContext } from '../context/request-context.service';
import { applicationName, pooledConnectionOptions } from './data-source.options';
import {
  ConnectionLostError,
  DatabaseUnavailableError,
  PoolExhaustedError,
} from './database.errors';
import type { DatabaseRuntime } from './database.runtime';
import { DATABASE_RUNTIME } from './database.runtime';
import type { PgTarget, Queryable, ReadRouter } from './db.service';
import { Db } from './db.service';
import { PoolStats } from './pool-stats';
import type { ReplicaStatus } from './pool-monitor.types';

/** `X/Y` (pg_lsn as text) as one number. */
export function parseLsn(text: string): bigint {
  const [hi, lo] = text.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/**
 * How long ago the primary first stood past `replay`, from its positions seen
 * over time (oldest first): 0 when the replica has replayed every position
 * seen, whether or not the primary is busy; undefined before any was seen.
 */
export function lagBehind(
  samples: readonly { at: number; lsn: bigint }[],
  replay: bigint,
  now: number,
): number | undefined {
  if (samples.length === 0) return undefined;
  const ahead = samples.find((s) => s.lsn > replay);
  return ahead ? Math.max(0, now - ahead.at) : 0;
}

/** Keeps the larger LSN already stored (a concurrent earlier write never lowers it). */
const RAISE_LSN = `
local current = redis.call('GET', KEYS[1])
if (not current) or tonumber(current) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1`;

/** A write position past any replica's: the user's reads go to the primary while it is kept. */
const UNKNOWN_POSITION = (1n << 64n) - 1n;

/** Primary positions kept for the lag estimate. */
const SAMPLE_WINDOW_MS = 60_000;
const SAMPLE_MAX = 4_096;
/** Read-your-writes entries kept in process memory before the expired ones are swept. */
const MEMORY_SWEEP_AT = 10_000;

/** PostgreSQL errors on a replica that the primary would not give (the read may go there). */
const REPLICA_ONLY_CODES = new Set([
  '40001', // canceling statement due to conflict with recovery
  '25006', // read-only transaction: a write never belongs on a replica
  '57P03', // cannot connect now (starting up, or recovering)
]);

/** What the monitor knows of one replica. */
export interface ReplicaState {
  target: PgTarget;
  /** In the rotation: answering, a standby, and no further behind than DB_REPLICA_MAX_LAG_MS. */
  inRotation: boolean;
  /** pg_last_wal_replay_lsn() at the last poll. */
  replayLsn: bigint | undefined;
  /** Time behind the primary (see ReplicaRouter.lagOf); undefined while unknown. */
  lagMs: number | undefined;
  /** Why it is out of the rotation. */
  reason: string | undefined;
  checkedAt: number | undefined;
  /** Times it left the rotation. */
  departures: number;
  /** Reads it failed that the primary answered. */
  fallbacks: number;
}

/** A replica as /health, /metrics and the pool report show it. */
export type ReplicaFigures = ReplicaStatus & { target: string };

function lsnText(v: bigint): string {
  return `${(v >> 32n).toString(16).toUpperCase()}/${(v & 0xffffffffn).toString(16).toUpperCase()}`;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Read replicas (DATABASE_READ_URLS): a pool per replica, the routing of
 * replica-eligible reads (Db.read, Db.withReadClient), read-your-writes and the
 * lag monitor. Without replicas it attaches nothing and costs nothing.
 *
 * Routing: a read goes to the least busy replica in the rotation (fewest
 * connections in use plus callers waiting), unless this request already wrote
 * (RequestStore.wrote, set by the first statement on the primary that is not a
 * plain read), or no replica in the rotation has replayed the caller's last
 * write. Writes, transactions and withClient always run on the primary.
 *
 * Read-your-writes: after a signed-in user's write committed, the primary's WAL
 * position (pg_current_wal_lsn(), on the same connection before its release)
 * is kept for that user in Redis (the larger one wins, TTL 2 × max lag + 2
 * polls) and in this process's memory for the same time. A read of that user
 * goes to a replica only if the replay position its monitor last saw is at or
 * past it; with Redis down the memory entry alone decides (writes made through
 * other processes meanwhile are then not known: the TTL window is short).
 *
 * Lag: every DB_REPLICA_POLL_MS the monitor reads the primary's current WAL
 * position (kept with the time it was seen) and each replica's replay
 * position. A replica's lag is how long ago the primary first stood past the
 * replica's replay position: 0 when the replica has replayed everything the
 * primary had, however idle the primary is (now() − pg_last_xact_replay_timestamp()
 * grows without bound on an idle primary and is not used). A replica further
 * behind than DB_REPLICA_MAX_LAG_MS, not answering, or not a standby leaves the
 * rotation and comes back at the first good poll. A read that fails on a
 * replica (connection lost, unreachable, its pool exhausted, recovery
 * conflict) is sent to the primary and the replica leaves the rotation.
 */
@Injectable()
export class ReplicaRouter implements ReadRouter, OnApplicationBootstrap, OnModuleDestroy {
  readonly replicas: ReplicaState[];
  private readonly logger = new Logger('Replicas');
  private readonly samples: { at: number; lsn: bigint }[] = [];
  private readonly memory = new Map<number, { lsn: bigint; until: number }>();
  private readonly keepMs: number;
  private readonly keyPrefix: string;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly ctx: RequestContext,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
    @Inject(DATABASE_RUNTIME) runtime: DatabaseRuntime,
    @Optional() private readonly redis?: RedisService,
  ) {
    const name = applicationName(cfg);
    this.replicas = (runtime.connect === false ? [] : (runtime.replicas ?? [])).map((r, i) => {
      const pool = new Pool({
        connectionString: r.url,
        application_name: name,
        ...pooledConnectionOptions(cfg, r.poolMax),
      });
      return {
        target: db.createReplica(`replica-${i}`, pool, new PoolStats()),
        inRotation: false,
        replayLsn: undefined,
        lagMs: undefined,
        reason: 'not polled yet',
        checkedAt: undefined,
        departures: 0,
        fallbacks: 0,
      };
    });
    this.keepMs = Math.max(1_000, 2 * cfg.db.replicaMaxLagMs + 2 * cfg.db.replicaPollMs);
    this.keyPrefix = `${cfg.redis.keyPrefix}:rlsn:`;
    if (this.replicas.length > 0) {
      db.attachRouter(
        this,
        this.replicas.map((r) => r.target),
        { markWrote: () => this.markWrote(), afterWrite: (q) => this.afterWrite(q) },
      );
    }
  }

  get enabled(): boolean {
    return this.replicas.length > 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    // One poll before traffic: replicas that are fine serve from the first request.
    await this.poll();
    this.timer = setInterval(() => void this.poll(), this.cfg.db.replicaPollMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.polling?.catch(() => undefined);
    await Promise.all(this.replicas.map((r) => r.target.pool.end().catch(() => undefined)));
  }

  async pick(): Promise<PgTarget | undefined> {
    let candidates = this.replicas.filter((r) => r.inRotation);
    if (candidates.length === 0) return undefined;
    const store = this.ctx.store();
    if (store?.wrote) return undefined;
    const userId = this.ctx.principal?.userId;
    if (userId !== undefined) {
      const need = await (store
        ? (store.lastWriteLsn ??= this.lastWrite(userId))
        : this.lastWrite(userId));
      if (need !== undefined) {
        candidates = candidates.filter((r) => r.replayLsn !== undefined && r.replayLsn >= need);
      }
    }
    let best: ReplicaState | undefined;
    let bestBusy = Infinity;
    for (const r of candidates) {
      const p = r.target.pool;
      const busy = p.totalCount - p.idleCount + p.waitingCount;
      if (busy < bestBusy) {
        best = r;
        bestBusy = busy;
      }
    }
    return best?.target;
  }

  fallback(replica: PgTarget, e: unknown): boolean {
    const state = this.replicas.find((r) => r.target === replica);
    const down = e instanceof ConnectionLostError || e instanceof DatabaseUnavailableError;
    const code = (e as { code?: unknown } | undefined)?.code;
    const eligible =
      down ||
      e instanceof PoolExhaustedError ||
      (typeof code === 'string' && REPLICA_ONLY_CODES.has(code));
    if (!eligible || !state) return false;
    state.fallbacks++;
    if (down) this.leave(state, `failed a read: ${messageOf(e)}`);
    return true;
  }

  /** The replicas for /health, /metrics and the pool report. */
  figures(): ReplicaFigures[] {
    return this.replicas.map((r) => ({
      target: r.target.name,
      inRotation: r.inRotation,
      lagMs: r.lagMs ?? null,
      replayLsn: r.replayLsn === undefined ? null : lsnText(r.replayLsn),
      reason: r.reason ?? null,
      checkedAt: r.checkedAt === undefined ? null : new Date(r.checkedAt).toISOString(),
      departures: r.departures,
      fallbacks: r.fallbacks,
    }));
  }

  /**
   * How long ago the primary first stood past `replay`: 0 when the replica has
   * replayed every position seen on the primary; undefined before any was seen.
   */
  lagOf(replay: bigint, now = Date.now()): number | undefined {
    return lagBehind(this.samples, replay, now);
  }

  /** One poll of the primary and every replica now (the timer does it every DB_REPLICA_POLL_MS). */
  poll(): Promise<void> {
    this.polling ??= this.pollAll().finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async pollAll(): Promise<void> {
    const timeout = Math.max(this.cfg.db.replicaMaxLagMs, this.cfg.health.checkTimeoutMs);
    try {
      const { rows } = await withTimeout(
        this.db.pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'),
        timeout,
        'the primary',
      );
      this.sample(parseLsn(rows[0].lsn));
    } catch (e) {
      this.logger.debug(`primary WAL position not read: ${messageOf(e)}`);
    }
    await Promise.all(this.replicas.map((r) => this.pollReplica(r, timeout)));
  }

  private async pollReplica(r: ReplicaState, timeout: number): Promise<void> {
    if (this.closed) return;
    let replay: bigint | undefined;
    let reason: string | undefined;
    try {
      const { rows } = await withTimeout(
        r.target.pool.query<{ replay: string | null; recovery: boolean }>(
          'SELECT pg_last_wal_replay_lsn()::text AS replay, pg_is_in_recovery() AS recovery',
        ),
        timeout,
        r.target.name,
      );
      if (!rows[0].recovery || rows[0].replay === null) reason = 'not a standby (not in recovery)';
      else replay = parseLsn(rows[0].replay);
    } catch (e) {
      reason = `not answering: ${messageOf(e)}`;
    }
    const now = Date.now();
    r.checkedAt = now;
    if (replay !== undefined) r.replayLsn = replay;
    if (reason !== undefined) {
      r.lagMs = undefined;
      this.leave(r, reason);
      return;
    }
    r.lagMs = r.replayLsn === undefined ? undefined : this.lagOf(r.replayLsn, now);
    if (r.lagMs === undefined) {
      this.leave(r, "the primary's WAL position is not known yet");
    } else if (r.lagMs > this.cfg.db.replicaMaxLagMs) {
      this.leave(
        r,
        `${r.lagMs} ms behind the primary (DB_REPLICA_MAX_LAG_MS ${this.cfg.db.replicaMaxLagMs})`,
      );
    } else if (!r.inRotation) {
      r.inRotation = true;
      r.reason = undefined;
      this.logger.log(`${r.target.name} joins the rotation (${r.lagMs} ms behind)`);
    }
  }

  private leave(r: ReplicaState, reason: string): void {
    r.reason = reason;
    if (!r.inRotation) return;
    r.inRotation = false;
    r.departures++;
    this.logger.warn(`${r.target.name} leaves the rotation: ${reason}`);
  }

  private sample(lsn: bigint, at = Date.now()): void {
    this.samples.push({ at, lsn });
    while (
      this.samples.length > 1 &&
      (this.samples.length > SAMPLE_MAX || at - this.samples[0].at > SAMPLE_WINDOW_MS)
    ) {
      this.samples.shift();
    }
  }

  private markWrote(): void {
    const store = this.ctx.store();
    if (store) store.wrote = true;
  }

  /** After a signed-in user's write committed: where the WAL stands, for that user's next reads. */
  private async afterWrite(q: Queryable): Promise<void> {
    const userId = this.ctx.principal?.userId;
    if (userId === undefined) return;
    let lsn: bigint;
    try {
      const [row] = await q.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      lsn = parseLsn(row.lsn);
    } catch (e) {
      // Where the write landed is unknown: no replica will do for this user for a while.
      this.logger.warn(
        `write position not read (the user's reads stay on the primary): ${messageOf(e)}`,
      );
      lsn = UNKNOWN_POSITION;
    }
    const now = Date.now();
    const known = this.memory.get(userId);
    this.memory.set(userId, {
      lsn: known && known.until > now && known.lsn > lsn ? known.lsn : lsn,
      until: now + this.keepMs,
    });
    if (this.memory.size > MEMORY_SWEEP_AT) {
      for (const [id, m] of this.memory) if (m.until <= now) this.memory.delete(id);
    }
    if (!this.redis?.isReady) return;
    try {
      await this.redis.client.eval(
        RAISE_LSN,
        1,
        this.keyPrefix + String(userId),
        lsn.toString(),
        String(this.keepMs),
      );
    } catch (e) {
      this.logger.debug(`write position not kept in Redis: ${messageOf(e)}`);
    }
  }

  /** The user's last write position still to be honoured (Redis, or this process's memory). */
  private async lastWrite(userId: number): Promise<bigint | undefined> {
    const m = this.memory.get(userId);
    const local = m && m.until > Date.now() ? m.lsn : undefined;
    if (!this.redis?.isReady) return local;
    try {
      const v = await this.redis.client.get(this.keyPrefix + String(userId));
      const shared = v === null ? undefined : BigInt(v);
      if (shared === undefined) return local;
      return local !== undefined && local > shared ? local : shared;
    } catch {
      return local;
    }
  }
}
