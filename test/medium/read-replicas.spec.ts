import request from 'supertest';
import { RequestContext } from '../../src/core/context/request-context.service';
import { Db } from '../../src/core/database/db.service';
import { ReplicaRouter } from '../../src/core/database/replica-router.service';
import { RedisService } from '../../src/core/cache/redis.service';
import { loadConfig } from '../../src/core/config/config.schema';
import { enforceReplicaBudgets } from '../../src/core/database/server-budget';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';
import { OwnRedis } from '../support/redis-server';
import type { TestReplica } from '../support/replica';
import { startReplica } from '../support/replica';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-db';
import { createTestDatabase } from '../support/test-db';

type Headers = { Authorization: string };

/** Waits for a condition the replica's own pace decides (bounded; never a timed assertion). */
async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** The server every statement of each HTTP request went to, by x-request-id. */
function recordTargets(t: TestApp): Map<string, string[]> {
  const byRequest = new Map<string, string[]>();
  const ctx = t.app.get(RequestContext);
  t.app.get(Db).onQuery((_sql, _params, target) => {
    const id = ctx.requestId;
    if (id === undefined) return;
    const list = byRequest.get(id) ?? [];
    list.push(target);
    byRequest.set(id, list);
  });
  return byRequest;
}

describe('read replicas against a real streaming replica', () => {
  let replica: TestReplica;
  let db: TestDatabase;
  let t: TestApp;
  let targets: Map<string, string[]>;
  let platform: Headers;
  let acme: Headers;
  let invoiceId: number;
  let n = 0;

  /** GET as `who`; returns the body and the servers its statements went to. */
  const get = async (t0: TestApp, seen: Map<string, string[]>, who: Headers, path: string) => {
    const id = `rr-${process.pid}-${++n}`;
    const res = await request(t0.server).get(path).set(who).set('x-request-id', id);
    expect(res.status).toBe(200);
    return { body: res.body as Record<string, unknown>, servers: new Set(seen.get(id) ?? []) };
  };
  const versionOf = async (id: number) =>
    (
      await sql<{ version: number }>(db.url, 'SELECT version FROM document_types WHERE id = $1', [
        id,
      ])
    )[0].version;
  const rename = async (who: Headers, id: number, name: string) => {
    const rid = `rr-${process.pid}-${++n}`;
    const res = await request(t.server)
      .patch(`/api/document-types/${id}`)
      .set(who)
      .set('x-request-id', rid)
      .send({ name, version: Number(await versionOf(id)) });
    expect(res.status).toBe(200);
    return new Set(targets.get(rid) ?? []);
  };

  beforeAll(async () => {
    replica = await startReplica();
    db = await createTestDatabase();
    await seedDemo(db.url);
    await replica.waitForDatabase(db.name);
    await replica.catchUp();
    t = await startTestApp(
      {
        DATABASE_READ_URLS: replica.url(db.name),
        DB_REPLICA_MAX_LAG_MS: '60000',
        DB_REPLICA_POLL_MS: '50',
      },
      db,
    );
    targets = recordTargets(t);
    platform = await login(t.server, ADMIN.email, ADMIN.password);
    acme = await login(t.server, 'admin@acme.example');
    [{ id: invoiceId }] = await sql<{ id: number }>(
      db.url,
      `SELECT d.id FROM document_types d JOIN organizations o ON o.id = d.organization_id
       WHERE o.slug = 'acme' AND d.name = 'Invoice'`,
    );
    await replica.catchUp();
    await until(
      'the replica in the rotation',
      () => t.app.get(ReplicaRouter).replicas[0].inRotation,
    );
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await db?.drop();
    await replica?.stop();
  }, 60_000);

  it('sends grid lists, counts, values, item reads and permission loads to the replica; writes to the primary', async () => {
    const replicaScans = async () =>
      Number(
        (
          await replica.query<{ n: string }>(
            `SELECT (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::text AS n
             FROM pg_stat_user_tables WHERE relname = 'document_types'`,
            [],
            db.name,
          )
        )[0].n,
      );
    const scansBefore = await replicaScans();
    const list = await get(t, targets, platform, '/api/document-types?count=exact');
    expect(list.servers).toEqual(new Set(['replica-0']));
    const values = await get(
      t,
      targets,
      platform,
      '/api/document-types/columns/organizationId/values',
    );
    expect(values.servers).toEqual(new Set(['replica-0']));
    const item = await get(t, targets, platform, `/api/document-types/${invoiceId}`);
    expect(item.servers).toEqual(new Set(['replica-0']));

    // A write and the read of its answer in the same request: the primary only.
    expect(await rename(platform, invoiceId, 'Invoice (routed)')).toEqual(new Set(['primary']));

    // Counted on the replica itself: its table statistics saw the grid's scans (backends
    // report them when they go idle, within seconds).
    await until('the replica to count the scans', async () => (await replicaScans()) > scansBefore);
  });

  it("reads the caller's own write from the primary while the replica has not replayed it", async () => {
    await replica.catchUp();
    await replica.query('SELECT pg_wal_replay_pause()');
    try {
      await rename(acme, invoiceId, 'Invoice (mine)');
      // The writer's next request: the replica is behind its write, so the primary answers.
      const mine = await get(t, targets, acme, `/api/document-types/${invoiceId}`);
      expect(mine.body.name).toBe('Invoice (mine)');
      expect(mine.servers).toEqual(new Set(['primary']));
      // Someone else is served by the replica, which has not seen the change yet.
      const theirs = await get(t, targets, platform, `/api/document-types/${invoiceId}`);
      expect(theirs.servers).toEqual(new Set(['replica-0']));
      expect(theirs.body.name).toBe('Invoice (routed)');
    } finally {
      await replica.query('SELECT pg_wal_replay_resume()');
    }
    // Once the replica has replayed the write, the writer's reads go back to it.
    let last: Awaited<ReturnType<typeof get>> | undefined;
    await until('the writer served by the replica again', async () => {
      last = await get(t, targets, acme, `/api/document-types/${invoiceId}`);
      return last.servers.has('replica-0');
    });
    expect(last?.body.name).toBe('Invoice (mine)');
  });

  it('takes a lagging replica out of the rotation and back; readiness stays 200 meanwhile', async () => {
    const lagging = await startTestApp(
      {
        DATABASE_READ_URLS: replica.url(db.name),
        DB_REPLICA_MAX_LAG_MS: '300',
        DB_REPLICA_POLL_MS: '50',
      },
      db,
    );
    const seen = recordTargets(lagging);
    const router = lagging.app.get(ReplicaRouter);
    try {
      await until('in the rotation', () => router.replicas[0].inRotation);
      await replica.query('SELECT pg_wal_replay_pause()');
      try {
        // WAL the replica does not replay: it falls behind by the clock from here.
        await sql(db.url, "UPDATE document_types SET description = 'lag' WHERE id = $1", [
          invoiceId,
        ]);
        await until('out of the rotation', () => !router.replicas[0].inRotation);
        expect(router.replicas[0].reason).toMatch(/behind the primary/);
        const ready = await request(lagging.server).get('/health/ready');
        expect(ready.status).toBe(200);
        expect(ready.body.details.replicas).toMatchObject({
          status: 'up',
          serving: 0,
          degraded: true,
        });
        const metrics = await request(lagging.server).get('/metrics');
        expect(metrics.text).toMatch(/postroom_db_replica_in_rotation\{target="replica-0"\} 0/);
        const read = await get(lagging, seen, platform, '/api/document-types');
        expect(read.servers).toEqual(new Set(['primary']));
      } finally {
        await replica.query('SELECT pg_wal_replay_resume()');
      }
      await until('back in the rotation', () => router.replicas[0].inRotation);
      expect(router.replicas[0].departures).toBeGreaterThanOrEqual(1);
      const health = await request(lagging.server).get('/health/ready');
      expect(health.body.details.replicas.serving).toBe(1);
      const read = await get(lagging, seen, platform, '/api/document-types');
      expect(read.servers).toEqual(new Set(['replica-0']));
    } finally {
      await lagging.close();
    }
  });

  it("keeps read-your-writes with Redis down: the writer's own process remembers the write", async () => {
    const redis = await OwnRedis.start();
    const own = await startTestApp(
      {
        DATABASE_READ_URLS: replica.url(db.name),
        DB_REPLICA_MAX_LAG_MS: '60000',
        DB_REPLICA_POLL_MS: '50',
        REDIS_URL: redis.url,
      },
      db,
    );
    const seen = recordTargets(own);
    try {
      const redisService = own.app.get(RedisService);
      await until('connected to its Redis', () => redisService.isReady);
      const writer = await login(own.server, 'admin@acme.example');
      await until('in the rotation', () => own.app.get(ReplicaRouter).replicas[0].inRotation);
      await redis.stop();
      await until('Redis seen down', () => !redisService.isReady);
      await replica.catchUp();
      await replica.query('SELECT pg_wal_replay_pause()');
      try {
        const rid = `rr-redis-${process.pid}`;
        const res = await request(own.server)
          .patch(`/api/document-types/${invoiceId}`)
          .set(writer)
          .set('x-request-id', rid)
          .send({ name: 'Invoice (no Redis)', version: Number(await versionOf(invoiceId)) });
        expect(res.status).toBe(200);
        const mine = await get(own, seen, writer, `/api/document-types/${invoiceId}`);
        expect(mine.body.name).toBe('Invoice (no Redis)');
        expect(mine.servers).toEqual(new Set(['primary']));
        const theirs = await get(own, seen, platform, `/api/document-types/${invoiceId}`);
        expect(theirs.servers).toEqual(new Set(['replica-0']));
      } finally {
        await replica.query('SELECT pg_wal_replay_resume()');
      }
    } finally {
      await own.close();
      await redis.stop().catch(() => undefined);
    }
  });

  it("keeps each server's connections within its budget with several processes", async () => {
    // Three processes share each server's budget: ⌊(12 − 3) ÷ 3⌋ = 3 connections each, per server.
    const env = {
      DATABASE_READ_URLS: replica.url(db.name),
      DB_REPLICA_MAX_LAG_MS: '60000',
      DB_POOL_PROCESSES: '3',
      DB_MAX_CONNECTIONS: '12',
      DB_RESERVED_CONNECTIONS: '3',
      DB_REPLICA_MAX_CONNECTIONS: '12',
      DB_REPLICA_RESERVED_CONNECTIONS: '3',
      DB_APPLICATION_NAME: `postroom-budget-${process.pid}`,
    };
    const apps = [
      await startTestApp(env, db),
      await startTestApp(env, db),
      await startTestApp(env, db),
    ];
    const seen = apps.map(recordTargets);
    const count = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`;
    let peakPrimary = 0;
    let peakReplica = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [p] = await sql<{ n: number }>(db.url, count, [env.DB_APPLICATION_NAME]);
        const [r] = await replica.query<{ n: number }>(count, [env.DB_APPLICATION_NAME]);
        peakPrimary = Math.max(peakPrimary, p.n);
        peakReplica = Math.max(peakReplica, r.n);
        await new Promise((res) => setTimeout(res, 20));
      }
    })();
    try {
      for (const a of apps) {
        await until('in the rotation', () => a.app.get(ReplicaRouter).replicas[0].inRotation);
      }
      const statuses: number[] = [];
      await Promise.all(
        Array.from({ length: 45 }, async (_, i) => {
          const a = apps[i % 3];
          const res = await request(a.server)
            .get('/api/document-types?count=exact')
            .set(platform)
            .set('x-request-id', `budget-${i}`);
          statuses.push(res.status);
        }),
      );
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
    } finally {
      sampling = false;
      await sampler;
      await Promise.all(apps.map((a) => a.close()));
    }
    const servedByReplica = seen.some((s) => [...s.values()].some((l) => l.includes('replica-0')));
    expect(servedByReplica).toBe(true);
    expect(peakReplica).toBeGreaterThan(0);
    expect(peakReplica).toBeLessThanOrEqual(9);
    expect(peakPrimary).toBeLessThanOrEqual(9);
  });

  it("checks each replica's budget against that server at start, naming the replica's variables", async () => {
    const cfg = (env: Record<string, string>) =>
      loadConfig({ NODE_ENV: 'test', DATABASE_READ_URLS: replica.url(db.name), ...env });
    const logged: string[] = [];
    await enforceReplicaBudgets(cfg({ DB_REPLICA_MAX_CONNECTIONS: '20' }), (m) => logged.push(m));
    expect(logged).toEqual([
      expect.stringMatching(
        /^connection budget of replica-0: DB_REPLICA_MAX_CONNECTIONS 20 of \d+/,
      ),
    ]);
    await expect(
      enforceReplicaBudgets(cfg({ DB_REPLICA_MAX_CONNECTIONS: '100000' })),
    ).rejects.toThrow(/DB_REPLICA_MAX_CONNECTIONS: got 100000, but the database server grants/);
    // Behind PgBouncer the server is not asked.
    await expect(
      enforceReplicaBudgets(cfg({ DB_REPLICA_MAX_CONNECTIONS: '100000', USE_PGBOUNCER: 'true' })),
    ).resolves.toBeUndefined();
  });

  it('answers every read when the replica dies under load, then reads from the primary', async () => {
    const router = t.app.get(ReplicaRouter);
    await until('in the rotation', () => router.replicas[0].inRotation);
    const statuses: number[] = [];
    let killed = false;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < 12; i++) {
          if (i === 3 && !killed) {
            killed = true;
            replica.kill();
          }
          const res = await request(t.server).get('/api/document-types?count=exact').set(platform);
          statuses.push(res.status);
        }
      }),
    );
    expect(statuses).toHaveLength(48);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    await until('out of the rotation', () => !router.replicas[0].inRotation);
    const after = await get(t, targets, platform, '/api/document-types');
    expect(after.servers).toEqual(new Set(['primary']));
    const ready = await request(t.server).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.details.replicas.degraded).toBe(true);
  });
});
