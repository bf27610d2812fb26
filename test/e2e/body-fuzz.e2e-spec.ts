import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { ADMIN, login, seedDemo } from '../support/fixtures';
import type { FuzzCase, IdPool, OpenApiDoc, Operation } from '../support/openapi-fuzz';
import {
  casesOf,
  closeAgent,
  describeCase,
  judge,
  operationsOf,
  send,
} from '../support/openapi-fuzz';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

/**
 * Hostile bodies and path parameters for every operation of the OpenAPI
 * document, made by fast-check from what the document says (types, required
 * fields, bounds). Never a 5xx; every 4xx in the standard error shape, naming
 * the parameter when a field is at fault; a 4xx writes nothing.
 *
 * Seeds: a fixed one, and a random one printed at the start (FUZZ_SEED=n
 * replays it). FUZZ_RUNS scales the cases per operation (default 40 per seed
 * for an operation with a body, a quarter of that for one without); FUZZ_OPS
 * (a regular expression over "METHOD /path") narrows the operations.
 */
const FIXED_SEED = 20_261_207;
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const RANDOM_SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : Math.floor(Math.random() * 2 ** 31);
if (!Number.isSafeInteger(RANDOM_SEED) || !(RUNS >= 1))
  throw new Error('FUZZ_SEED takes an integer, FUZZ_RUNS a positive number');
const ONLY = process.env.FUZZ_OPS ? new RegExp(process.env.FUZZ_OPS) : undefined;

describe('body fuzzing from the OpenAPI document', () => {
  let t: TestApp;
  let port: number;
  let auth: Record<string, string>;
  let pg: Client;
  let doc: OpenApiDoc;
  let tables: string[];
  let fingerprintSql: string;

  const get = async (path: string): Promise<unknown> => {
    const a = await send(port, 'GET', path, auth);
    if (a.status !== 200) throw new Error(`GET ${path}: ${a.status} ${a.text.slice(0, 200)}`);
    return JSON.parse(a.text) as unknown;
  };

  beforeAll(async () => {
    console.log(
      `body fuzz seeds: fixed ${FIXED_SEED}, random ${RANDOM_SEED} (replay: FUZZ_SEED=${RANDOM_SEED})`,
    );
    t = await startTestApp();
    await seedDemo(t.db.url);
    await t.app.listen(0, '127.0.0.1');
    port = (t.server.address() as AddressInfo).port;
    auth = await login(t.server, ADMIN.email, ADMIN.password);
    // The document the running app serves.
    doc = (await request(t.server).get('/docs-json').expect(200)).body as OpenApiDoc;
    pg = new Client({ connectionString: t.db.url });
    await pg.connect();
    tables = (
      await pg.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
      )
    ).rows.map((r) => r.table_name);
    // Rows and the newest row version of every table: an insert, update or delete changes one.
    fingerprintSql = `SELECT ${tables
      .map(
        (n) =>
          `(SELECT count(*) || '/' || coalesce(max(xmin::text::bigint), 0) FROM "${n}") AS "${n}"`,
      )
      .join(', ')}`;
  }, 120_000);

  afterAll(async () => {
    closeAgent();
    await pg?.end();
    await t?.close();
  });

  const fingerprint = async () => (await pg.query<Record<string, string>>(fingerprintSql)).rows[0];

  /** Ids the app lists (first page of every list), the signed-in user's own left out. */
  async function idPool(ops: Operation[]): Promise<IdPool> {
    const byCollection = new Map<string, number[]>();
    for (const op of ops) {
      if (op.method !== 'GET' || op.pathParams.length > 0 || !op.path.startsWith('/api/')) continue;
      const body = (await get(op.path)) as { data?: unknown };
      if (!Array.isArray(body.data)) continue;
      const ids = (body.data as Record<string, unknown>[])
        .filter((row) => !Object.values(row).includes(ADMIN.email))
        .map((row) => row.id)
        .filter((id): id is number => typeof id === 'number');
      if (ids.length > 0) byCollection.set(op.path, ids);
    }
    return { byCollection, all: [...new Set([...byCollection.values()].flat())].sort() };
  }

  it('answers every hostile request with a 2xx or a 4xx in the error shape, never a 5xx, and writes nothing on a 4xx', async () => {
    const started = Date.now();
    const all = operationsOf(doc);
    const ops = all.filter((op) => !ONLY || ONLY.test(op.label));
    const pool = await idPool(all);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let cases = 0;
    let writesChecked = 0;
    let written = 0;
    const atStart = await fingerprint();

    const run = async (c: FuzzCase) => {
      const write = c.op.method !== 'GET';
      const before = write ? await fingerprint() : undefined;
      const a = await send(port, c.op.method, c.url, auth, c.body?.());
      cases++;
      statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
      if (write && a.status >= 200 && a.status < 300) written++;
      const why = judge(c, a);
      if (why) failures.push(describeCase(c, a, why));
      if (before && a.status >= 400 && a.status < 500) {
        writesChecked++;
        const after = await fingerprint();
        const changed = tables.filter((n) => before[n] !== after[n]);
        if (changed.length > 0) failures.push(describeCase(c, a, `wrote ${changed.join(', ')}`));
      }
    };

    for (const seed of [FIXED_SEED, RANDOM_SEED]) {
      for (const [i, op] of ops.entries()) {
        const runs = op.body ? RUNS : Math.max(2, Math.ceil(RUNS / 4));
        for (const c of casesOf(op, pool, seed + i, runs)) await run(c);
      }
    }

    // The row check can see a write: the 2xx writes show in it.
    const atEnd = await fingerprint();
    if (written > 0 && tables.every((n) => atStart[n] === atEnd[n]))
      failures.push(`the row check saw none of ${written} 2xx writes`);
    // Still serving, and the token still works.
    const live = await send(port, 'GET', '/health/live', {});
    if (live.status !== 200) failures.push(`afterwards: /health/live ${live.status}`);
    const me = await send(port, 'GET', '/api/me', auth);
    if (me.status !== 200) failures.push(`afterwards: /api/me ${me.status}`);

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const byStatus = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    console.log(
      [
        `body fuzz: ${ops.length} operations (${ops.filter((o) => o.body).length} with a body, ${new Set(ops.map((o) => o.path)).size} paths), ${cases} cases in ${seconds} s`,
        `seeds: fixed ${FIXED_SEED}, random ${RANDOM_SEED} (FUZZ_SEED=${RANDOM_SEED} replays), FUZZ_RUNS=${RUNS}`,
        `statuses: ${byStatus}`,
        `4xx answers to writes checked for rows written: ${writesChecked} (2xx writes: ${written})`,
        `failures: ${failures.length}`,
        ...failures.slice(0, 30).map((f) => `  ${f}`),
      ].join('\n'),
    );
    expect({ count: failures.length, first: failures.slice(0, 30) }).toEqual({
      count: 0,
      first: [],
    });
  }, 600_000);
});
