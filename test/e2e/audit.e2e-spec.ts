import request from 'supertest';
import type { Headers, Row } from '../support/grid-json';
import { getJson, ids, pageAll } from '../support/grid-json';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';

describe('audit', () => {
  let t: TestApp;
  let platform: Headers;
  let admin: Headers;
  let clerk: Headers;
  let acme: number;
  let globex: number;
  let clerkId: number;

  const one = async (text: string, params: unknown[] = []) =>
    Number(Object.values((await sql(t.db.url, text, params))[0])[0]);
  const expectedIds = async (where: string, params: unknown[] = []) =>
    (
      await sql<{ id: number }>(
        t.db.url,
        `SELECT id FROM audit_log WHERE ${where} ORDER BY created_on DESC, id DESC`,
        params,
      )
    ).map((r) => Number(r.id));

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    acme = await one("SELECT id FROM organizations WHERE slug = 'acme'");
    globex = await one("SELECT id FROM organizations WHERE slug = 'globex'");
    clerkId = await one("SELECT id FROM users WHERE email = 'clerk@acme.example'");
    platform = await login(t.server, ADMIN.email, ADMIN.password);
    admin = await login(t.server, 'admin@acme.example');
    clerk = await login(t.server, 'clerk@acme.example');
    const globexClerk = await login(t.server, 'clerk@globex.example');
    // Changes through the API write the audit rows this grid shows.
    for (const [h, subject] of [
      [clerk, 'First'],
      [clerk, 'Second'],
      [admin, 'Third'],
      [globexClerk, 'Elsewhere'],
    ] as const) {
      const res = await request(t.server)
        .post('/api/mails')
        .send({ subject, sender: 'a@b.example' })
        .set(h)
        .expect(201);
      await request(t.server)
        .patch(`/api/mails/${res.body.id}`)
        .send({ priority: 'urgent', version: 1 })
        .set(h)
        .expect(200);
    }
    await request(t.server)
      .post('/api/batches')
      .send({ name: 'Audited batch', source: 'api', items: [{ subject: 's', sender: 'x' }] })
      .set(clerk)
      .expect(201);
  }, 60_000);
  afterAll(async () => t.close());

  it('documents its read-only routes in OpenAPI', async () => {
    const doc = (await request(t.server).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths['/api/audit'])).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/audit/{id}'])).toEqual(['get']);
    expect(doc.paths['/api/audit/columns/{column}/values']).toBeDefined();
  });

  it('lists the organization’s changes newest first, with the actor’s name', async () => {
    const body = await getJson(t.server, '/api/audit', admin);
    const rows = body.data as Row[];
    expect(ids(rows)).toEqual(await expectedIds('organization_id = $1', [acme]));
    expect(rows).toHaveLength(7);
    expect(rows[0]).toMatchObject({
      entityType: 'batch',
      action: 'create',
      actorId: clerkId,
      actorName: 'Acme Logistics Clerk',
      organizationName: 'Acme Logistics',
      requestId: expect.any(String),
    });
    const update = rows.find((r) => r.action === 'update');
    expect(update?.changes).toEqual({ priority: { from: 'normal', to: 'urgent' } });
  });

  it('filters by entity type, action, actor and time', async () => {
    const mails = (await getJson(t.server, '/api/audit', admin, { 'filter[entityType]': 'mail' }))
      .data as Row[];
    expect(ids(mails)).toEqual(
      await expectedIds("organization_id = $1 AND entity_type = 'mail'", [acme]),
    );
    const updates = (
      await getJson(t.server, '/api/audit', admin, {
        'filter[action][in]': 'update',
        'filter[actorId]': clerkId,
      })
    ).data as Row[];
    expect(updates).toHaveLength(2);
    const entity = Number(updates[0].entityId);
    const trail = (
      await getJson(t.server, '/api/audit', admin, {
        'filter[entityId]': entity,
        'filter[entityType]': 'mail',
        sort: 'createdOn',
      })
    ).data as Row[];
    expect(trail.map((r) => r.action)).toEqual(['create', 'update']);
    const [{ at }] = await sql<{ at: string }>(
      t.db.url,
      `SELECT to_char(min(created_on) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
       FROM audit_log WHERE organization_id = $1`,
      [acme],
    );
    const since = (await getJson(t.server, '/api/audit', admin, { 'filter[createdOn][gt]': at }))
      .data as Row[];
    expect(ids(since)).toEqual(
      await expectedIds('organization_id = $1 AND created_on > $2', [acme, at]),
    );
  });

  it('refuses filters on the changes and other bad parameters, naming them', async () => {
    for (const [query, parameter] of [
      [{ 'filter[changes]': 'x' }, 'filter[changes]'],
      [{ 'filter[entityType]': 'spaceship' }, 'filter[entityType]'],
      [{ sort: 'changes' }, 'sort'],
      [{ count: 'maybe' }, 'count'],
    ] as const) {
      const res = await request(t.server).get('/api/audit').query(query).set(admin).expect(400);
      expect(res.body.parameter).toBe(parameter);
    }
  });

  it('discovers entity types without their own filter', async () => {
    const body = await getJson(t.server, '/api/audit/columns/entityType/values', admin, {
      'filter[entityType]': 'mail',
      'filter[actorId]': clerkId,
    });
    expect(body.data).toEqual([
      { value: 'mail', label: 'Mail', count: 4 },
      { value: 'batch', label: 'Batch', count: 1 },
    ]);
  });

  it('keeps tenants apart; platform administrators see all', async () => {
    const counted = await getJson(t.server, '/api/audit', admin, { count: 'exact' });
    expect(counted.total).toEqual({ value: 7, exact: true });
    const foreign = await one('SELECT min(id) FROM audit_log WHERE organization_id = $1', [globex]);
    await request(t.server).get(`/api/audit/${foreign}`).set(admin).expect(404);
    const own = await one('SELECT min(id) FROM audit_log WHERE organization_id = $1', [acme]);
    const item = await request(t.server).get(`/api/audit/${own}`).set(admin).expect(200);
    expect(item.body).toMatchObject({ id: own, organizationId: acme });
    const orgs = await getJson(t.server, '/api/audit/columns/organizationId/values', admin);
    expect(orgs.data).toEqual([{ value: acme, label: 'Acme Logistics', count: 7 }]);
    const all = await pageAll(t.server, '/api/audit', platform, {}, 3);
    expect(ids(all)).toEqual(await expectedIds('TRUE'));
    expect(new Set(all.map((r) => r.organizationId))).toEqual(new Set([acme, globex]));
  });

  it('is for administrators: others may not read it', async () => {
    await request(t.server).get('/api/audit').set(clerk).expect(403);
    const own = await one('SELECT min(id) FROM audit_log WHERE organization_id = $1', [acme]);
    await request(t.server).get(`/api/audit/${own}`).set(clerk).expect(403);
    await request(t.server).get('/api/audit/columns/action/values').set(clerk).expect(403);
  });

  it('has no write routes', async () => {
    await request(t.server).post('/api/audit').send({}).set(admin).expect(404);
    const own = await one('SELECT min(id) FROM audit_log WHERE organization_id = $1', [acme]);
    await request(t.server).delete(`/api/audit/${own}`).set(admin).expect(404);
  });

  it('leaves no audit row behind a refused change', async () => {
    const before = await one('SELECT count(*) FROM audit_log');
    const mail = await one("SELECT id FROM mails WHERE subject = 'First'");
    await request(t.server)
      .patch(`/api/mails/${mail}`)
      .send({ subject: 'stale', version: 1 })
      .set(clerk)
      .expect(409);
    await request(t.server)
      .post(`/api/mails/${mail}/status`)
      .send({ status: 'done' })
      .set(clerk)
      .expect(409);
    expect(await one('SELECT count(*) FROM audit_log')).toBe(before);
  });
});
