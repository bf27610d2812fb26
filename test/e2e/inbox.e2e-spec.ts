import request from 'supertest';
import type { Headers, Row } from '../support/grid-json';
import { getJson, ids, pageAll } from '../support/grid-json';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';

describe('inbox', () => {
  let t: TestApp;
  let platform: Headers;
  let admin: Headers;
  let clerk: Headers;
  let globexClerk: Headers;
  let clerkId: number;
  let adminId: number;
  let acme: number;

  const one = async (text: string, params: unknown[] = []) =>
    Number(Object.values((await sql(t.db.url, text, params))[0])[0]);
  const expectedIds = async (where: string, params: unknown[] = []) =>
    (
      await sql<{ id: number }>(
        t.db.url,
        `SELECT id FROM mails WHERE ${where} ORDER BY created_on DESC, id DESC`,
        params,
      )
    ).map((r) => Number(r.id));

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    acme = await one("SELECT id FROM organizations WHERE slug = 'acme'");
    clerkId = await one("SELECT id FROM users WHERE email = 'clerk@acme.example'");
    adminId = await one("SELECT id FROM users WHERE email = 'admin@acme.example'");
    // More work for the clerk than one page holds, spread over statuses and folders.
    await sql(
      t.db.url,
      `UPDATE mails SET assigned_to = $1, assigned_by = $2, assigned_on = now(),
              status = CASE WHEN id % 2 = 0 THEN 'in_progress' ELSE 'assigned' END
       WHERE organization_id = $3 AND assigned_to IS NULL AND status = 'new' AND id % 5 <> 0`,
      [clerkId, adminId, acme],
    );
    platform = await login(t.server, ADMIN.email, ADMIN.password);
    admin = await login(t.server, 'admin@acme.example');
    clerk = await login(t.server, 'clerk@acme.example');
    globexClerk = await login(t.server, 'clerk@globex.example');
  }, 60_000);
  afterAll(async () => t.close());

  it('lists the mail assigned to the caller, newest first, with the mail columns', async () => {
    const body = await getJson(t.server, '/api/inbox', clerk, { limit: 500 });
    const rows = body.data as Row[];
    const want = await expectedIds('assigned_to = $1', [clerkId]);
    expect(want.length).toBeGreaterThan(20);
    expect(ids(rows)).toEqual(want);
    expect(body.sort).toEqual([
      { column: 'createdOn', direction: 'desc' },
      { column: 'id', direction: 'desc' },
    ]);
    expect(rows[0]).toMatchObject({
      assignedTo: clerkId,
      assigneeName: 'Acme Logistics Clerk',
      assignedByName: 'Acme Logistics Admin',
      folderName: expect.any(String),
    });
    const cols = await request(t.server).get('/api/inbox/columns').set(clerk).expect(200);
    expect((cols.body as { key: string }[]).map((c) => c.key)).toContain('assignedBy');
  });

  it('pages through the whole inbox by cursor without a gap or a repeat', async () => {
    const all = await pageAll(t.server, '/api/inbox', clerk, {}, 4);
    expect(ids(all)).toEqual(await expectedIds('assigned_to = $1', [clerkId]));
  });

  it('filters and searches within the inbox only', async () => {
    const rows = (
      await getJson(t.server, '/api/inbox', clerk, {
        'filter[status]': 'in_progress',
        'filter[priority][in]': 'normal,high',
        limit: 500,
      })
    ).data as Row[];
    expect(ids(rows)).toEqual(
      await expectedIds(
        "assigned_to = $1 AND status = 'in_progress' AND priority IN ('normal', 'high')",
        [clerkId],
      ),
    );
    const found = (await getJson(t.server, '/api/inbox', clerk, { search: 'invoice', limit: 500 }))
      .data as Row[];
    expect(ids(found)).toEqual(
      await expectedIds("assigned_to = $1 AND subject ILIKE '%invoice%'", [clerkId]),
    );
  });

  it('counts and discovers values within the inbox, dropping the column’s own filter', async () => {
    const counted = await getJson(t.server, '/api/inbox', clerk, { count: 'exact', limit: 1 });
    const total = (await expectedIds('assigned_to = $1', [clerkId])).length;
    expect(counted.total).toEqual({ value: total, exact: true });
    const body = await getJson(t.server, '/api/inbox/columns/status/values', clerk, {
      'filter[status]': 'assigned',
    });
    const data = body.data as { value: string; count: number }[];
    expect(data.map((d) => d.value).sort()).toEqual(['assigned', 'in_progress']);
    expect(data.reduce((n, d) => n + d.count, 0)).toBe(total);
    const assignees = await getJson(t.server, '/api/inbox/columns/assignedTo/values', clerk);
    expect(assignees.data).toEqual([
      { value: clerkId, label: 'Acme Logistics Clerk', count: total },
    ]);
  });

  it('is empty for someone with no assignments and never shows another tenant', async () => {
    expect((await getJson(t.server, '/api/inbox', admin)).data).toEqual([]);
    expect((await getJson(t.server, '/api/inbox', platform)).data).toEqual([]);
    const globex = (await getJson(t.server, '/api/inbox', globexClerk, { limit: 500 }))
      .data as Row[];
    expect(globex.length).toBe(10);
    expect(globex.every((r) => r.organizationName === 'Globex Legal')).toBe(true);
    const orgs = await getJson(t.server, '/api/inbox/columns/organizationId/values', globexClerk);
    expect((orgs.data as { label: string }[]).map((d) => d.label)).toEqual(['Globex Legal']);
  });

  it('follows reassignment: a mail given to someone else leaves the inbox', async () => {
    const mailId = (await expectedIds('assigned_to = $1', [clerkId]))[0];
    await request(t.server)
      .post(`/api/mails/${mailId}/assign`)
      .send({ userId: adminId })
      .set(admin)
      .expect(200);
    expect(
      ids((await getJson(t.server, '/api/inbox', clerk, { limit: 500 })).data as Row[]),
    ).not.toContain(mailId);
    expect(ids((await getJson(t.server, '/api/inbox', admin)).data as Row[])).toEqual([mailId]);
  });

  it.each([
    [{ sort: 'assigneeName' }, 'sort'],
    [{ 'filter[assignedTo]': 'me' }, 'filter[assignedTo]'],
    [{ cursor: 'eyJzIjoiaWQ6YXNjIiwidiI6WzFdfQ' }, 'cursor'],
    [{ limit: 'ten' }, 'limit'],
  ])('rejects %j naming the parameter', async (query, parameter) => {
    const res = await request(t.server).get('/api/inbox').query(query).set(clerk).expect(400);
    expect(res.body.parameter).toBe(parameter);
  });
});
