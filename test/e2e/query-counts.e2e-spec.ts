import request from 'supertest';
import { PermissionService } from '../../src/modules/permission/permission.service';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';
import { StatementCounter } from '../support/statements';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

type Auth = { Authorization: string };

describe('SQL statements per request', () => {
  let t: TestApp;
  let counter: StatementCounter;
  let seq = 0;
  const figures: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    // Enough rows that a 500-row page is full for the folder-scoped clerk too.
    await sql(
      t.db.url,
      `INSERT INTO documents (organization_id, folder_id, title, status)
       SELECT f.organization_id, f.id, 'Bulk ' || g, 'active'
       FROM folders f CROSS JOIN generate_series(1, 150) g
       WHERE f.name IN ('Invoices', 'Contracts', 'HR', 'Inbox')`,
    );
    counter = new StatementCounter(t);
  });
  afterAll(async () => {
    counter.close();
    process.stdout.write(`\nSQL statements per request:\n  ${figures.join('\n  ')}\n`);
    await t.close();
  });

  /** Sends a GET and returns its status, body and the statements it sent. */
  async function get(auth: Auth, url: string) {
    const id = `count-${++seq}`;
    const res = await request(t.server).get(url).set(auth).set('x-request-id', id);
    return {
      status: res.status,
      body: res.body as Record<string, unknown>,
      statements: counter.of(id),
    };
  }

  /** Makes the organization's cached permission sets stale (as any grant change does). */
  const coldFor = async (org: number | null) =>
    t.app.get(PermissionService).transaction((_q, bump) => bump(org));

  const orgOf = async (email: string) =>
    (
      await sql<{ o: number | null }>(
        t.db.url,
        'SELECT organization_id AS o FROM users WHERE email = $1',
        [email],
      )
    )[0].o;

  it.each([
    ['clerk@acme.example (folder grants)', 'clerk@acme.example', undefined],
    ['platform admin', ADMIN.email, ADMIN.password],
  ])(
    'documents grid, %s: the same count for 10, 50 and 500 rows',
    async (what, email, password) => {
      const auth = await login(t.server, email, password);
      const org = await orgOf(email);
      const cold: number[] = [];
      const warm: number[] = [];
      for (const limit of [10, 50, 500]) {
        await coldFor(org === null ? null : Number(org));
        const first = await get(auth, `/api/documents?limit=${limit}`);
        const second = await get(auth, `/api/documents?limit=${limit}`);
        expect(first.status).toBe(200);
        expect((first.body.data as unknown[]).length).toBe(limit);
        expect(second.body).toEqual(first.body);
        cold.push(first.statements);
        warm.push(second.statements);
      }
      // Cold: the permission set (one statement) and the page. Warm: the page alone.
      expect(cold).toEqual([2, 2, 2]);
      expect(warm).toEqual([1, 1, 1]);
      figures.push(
        `documents grid, ${what}, limit 10/50/500: cold ${cold.join('/')}, warm ${warm.join('/')}`,
      );
    },
  );

  it('a warm grid with a total issues two: the page and the count, side by side', async () => {
    const auth = await login(t.server, 'finance@acme.example');
    await get(auth, '/api/documents?limit=5'); // warm
    const exact = await get(auth, '/api/documents?limit=50&count=exact');
    const estimate = await get(auth, '/api/documents?limit=50&count=estimate');
    expect(exact.statements).toBe(2);
    // Under GRID_COUNT_CAP the planner's figure is checked by a capped count (see below).
    expect(estimate.statements).toBe(3);
    expect(estimate.body.total).toEqual(exact.body.total);
    expect(exact.body.total).toMatchObject({ exact: true });
    figures.push(
      `documents grid warm, count=exact ${exact.statements}, count=estimate ${estimate.statements}`,
    );
  });

  it('value discovery, one item and other grids: one statement when warm', async () => {
    const auth = await login(t.server, 'admin@acme.example');
    await get(auth, '/api/me');
    const values = await get(auth, '/api/documents/columns/folderId/values');
    const list = await get(auth, '/api/documents?limit=1');
    const id = (list.body.data as { id: number }[])[0].id;
    const item = await get(auth, `/api/documents/${id}`);
    const users = await get(auth, '/api/users');
    const roles = await get(auth, '/api/roles');
    expect(values.statements).toBe(1);
    expect(item.statements).toBe(1);
    expect(users.statements).toBe(1);
    expect(roles.statements).toBe(1);
    figures.push(
      `warm: values ${values.statements}, item ${item.statements}, users grid ${users.statements}, roles grid ${roles.statements}`,
    );
  });

  it('GET /api/me: one statement cold, none warm', async () => {
    const auth = await login(t.server, 'clerk@globex.example');
    await coldFor(Number(await orgOf('clerk@globex.example')));
    const cold = await get(auth, '/api/me');
    const warm = await get(auth, '/api/me');
    expect(cold.status).toBe(200);
    expect(warm.body).toEqual(cold.body);
    expect(cold.statements).toBe(1);
    expect(warm.statements).toBe(0);
    expect(warm.statements).toBeLessThan(cold.statements);
    figures.push(`GET /api/me: cold ${cold.statements}, warm ${warm.statements}`);
  });

  it('counts each request of a concurrent burst on its own', async () => {
    const auth = await login(t.server, 'clerk@acme.example');
    await get(auth, '/api/documents?limit=1');
    const before = seq;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => get(auth, `/api/documents?limit=${10 + i}`)),
    );
    expect(answers.map((a) => a.statements)).toEqual(Array(20).fill(1));
    expect(seq - before).toBe(20);
  });
});

describe('count=estimate', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ GRID_COUNT_CAP: '100' });
    await seedDemo(t.db.url);
    await sql(
      t.db.url,
      `INSERT INTO documents (organization_id, folder_id, title, status)
       SELECT f.organization_id, f.id, 'Bulk ' || g, 'active'
       FROM folders f CROSS JOIN generate_series(1, 400) g
       WHERE f.name = 'Invoices'`,
    );
    await sql(t.db.url, 'ANALYZE documents');
  });
  afterAll(async () => t.close());

  const total = async (url: string) =>
    (
      await request(t.server)
        .get(url)
        .set(await login(t.server, ADMIN.email, ADMIN.password))
        .expect(200)
    ).body.total as { value: number; exact: boolean };

  it("is the planner's figure for a set above the exact cap", async () => {
    const estimate = await total('/api/documents?count=estimate&limit=1');
    expect(estimate.exact).toBe(false);
    expect(estimate.value).toBeGreaterThan(100);
    // Within a factor of two of the truth, with fresh statistics.
    const [{ n }] = await sql<{ n: number }>(t.db.url, 'SELECT count(*)::int AS n FROM documents');
    expect(estimate.value).toBeGreaterThan(n / 2);
    expect(estimate.value).toBeLessThan(n * 2);
  });

  it('is an exact count for a set the planner puts under the cap', async () => {
    const [{ n }] = await sql<{ n: number }>(
      t.db.url,
      "SELECT count(*)::int AS n FROM documents WHERE status = 'draft'",
    );
    expect(n).toBeLessThan(100);
    expect(await total('/api/documents?count=estimate&limit=1&filter[status][eq]=draft')).toEqual({
      value: n,
      exact: true,
    });
  });
});
