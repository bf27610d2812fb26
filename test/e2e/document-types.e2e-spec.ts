import request from 'supertest';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';
import type { Headers, Row } from '../support/grid-pages';
import { gridRows, pageAll } from '../support/grid-pages';

describe('document types', () => {
  let t: TestApp;
  let platform: Headers;
  let acme: Headers;
  let globex: Headers;
  let clerk: Headers;
  let acmeId: number;
  let globexId: number;
  const ids: Record<string, number> = {};
  const type = (org: 'acme' | 'globex', name: string) => ids[`${org}/${name}`];

  const names = async (query: Record<string, string>, who: Headers = acme) =>
    (await gridRows(t.server, '/api/document-types', who, query)).map((r) => r.name);
  const audit = (id: number) =>
    sql<{ action: string; changes: Record<string, unknown>; organization_id: number }>(
      t.db.url,
      `SELECT action, changes, organization_id FROM audit_log
       WHERE entity_type = 'document_type' AND entity_id = $1 ORDER BY id`,
      [id],
    );
  const auditCount = async () =>
    (await sql<{ n: number }>(t.db.url, 'SELECT count(*)::int AS n FROM audit_log'))[0].n;
  const create = (who: Headers, body: Record<string, unknown>) =>
    request(t.server).post('/api/document-types').set(who).send(body);
  const patch = (who: Headers, id: number, body: Record<string, unknown>) =>
    request(t.server).patch(`/api/document-types/${id}`).set(who).send(body);

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    const rows = await sql<{ slug: string; name: string; id: number; org: number }>(
      t.db.url,
      `SELECT o.slug, d.name, d.id, o.id AS org FROM document_types d
       JOIN organizations o ON o.id = d.organization_id`,
    );
    for (const r of rows) ids[`${r.slug}/${r.name}`] = r.id;
    acmeId = rows.find((r) => r.slug === 'acme')?.org ?? 0;
    globexId = rows.find((r) => r.slug === 'globex')?.org ?? 0;
    // Retention rules and a description to filter on (Letter and Payslip keep none).
    await sql(
      t.db.url,
      `UPDATE document_types SET retention_days = CASE name
         WHEN 'Invoice' THEN 3650 WHEN 'Contract' THEN 3650 WHEN 'Receipt' THEN 365 END,
         description = CASE name WHEN 'Contract' THEN 'Signed agreements' ELSE '' END`,
    );
    platform = await login(t.server, ADMIN.email, ADMIN.password);
    acme = await login(t.server, 'admin@acme.example');
    globex = await login(t.server, 'admin@globex.example');
    clerk = await login(t.server, 'clerk@acme.example');
  }, 60_000);
  afterAll(async () => t.close());

  describe('grid', () => {
    it('lists by name, then id', async () => {
      const res = await request(t.server).get('/api/document-types').set(acme).expect(200);
      expect((res.body.data as Row[]).map((r) => r.name)).toEqual([
        'Contract',
        'Invoice',
        'Letter',
        'Payslip',
        'Receipt',
      ]);
      expect(res.body.sort).toEqual([
        { column: 'name', direction: 'asc' },
        { column: 'id', direction: 'asc' },
      ]);
      expect(res.body.data[0]).toMatchObject({
        description: 'Signed agreements',
        retentionDays: 3650,
        organizationId: acmeId,
        organizationName: 'Acme Logistics',
        version: 1,
      });
    });

    it('filters text, nullable integer, reference and datetime columns', async () => {
      expect(await names({ 'filter[name][startsWith]': 'in' })).toEqual(['Invoice']);
      expect(await names({ 'filter[name][in]': 'Letter,Receipt,Nope' })).toEqual([
        'Letter',
        'Receipt',
      ]);
      expect(await names({ 'filter[description][contains]': 'AGREE' })).toEqual(['Contract']);
      expect(await names({ 'filter[retentionDays]': '3650' })).toEqual(['Contract', 'Invoice']);
      expect(await names({ 'filter[retentionDays][isNull]': 'true' })).toEqual([
        'Letter',
        'Payslip',
      ]);
      expect(await names({ 'filter[retentionDays][between]': '100,1000' })).toEqual(['Receipt']);
      expect(await names({ 'filter[retentionDays][ne]': '3650' })).toEqual([
        'Letter',
        'Payslip',
        'Receipt',
      ]);
      expect(await names({ 'filter[organizationId]': String(acmeId) })).toHaveLength(5);
      expect(await names({ 'filter[createdOn][lt]': '2000-01-01' })).toEqual([]);
      expect(await names({ search: 'signed' })).toEqual(['Contract']);
    });

    it('sorts a nullable column with nulls last and pages through it by cursor', async () => {
      const sorted = await names({ sort: '-retentionDays,name' });
      expect(sorted).toEqual(['Contract', 'Invoice', 'Receipt', 'Letter', 'Payslip']);
      const paged = await pageAll(t.server, '/api/document-types', acme, {
        sort: '-retentionDays,name',
        limit: 2,
      });
      expect(paged.map((r) => r.name)).toEqual(sorted);
      const everyone = await gridRows(t.server, '/api/document-types', platform, { limit: 500 });
      expect(everyone).toHaveLength(10);
      const all = await pageAll(t.server, '/api/document-types', platform, { limit: 3 });
      expect(all.map((r) => r.id)).toEqual(everyone.map((r) => r.id));
    });

    it.each([
      ['sort', { sort: 'description' }, 'GRID_NOT_SORTABLE'],
      ['sort', { sort: 'name,name' }, 'GRID_INVALID_SORT'],
      ['filter[retentionDays]', { 'filter[retentionDays]': 'forever' }, 'GRID_INVALID_VALUE'],
      ['filter[version]', { 'filter[version]': '1' }, 'GRID_NOT_FILTERABLE'],
      ['filter[colour]', { 'filter[colour]': 'red' }, 'GRID_UNKNOWN_COLUMN'],
      ['limit', { limit: 'ten' }, 'GRID_INVALID_LIMIT'],
      ['count', { count: 'all' }, 'GRID_INVALID_COUNT'],
    ])('answers 400 naming %s', async (parameter, query, code) => {
      const res = await request(t.server)
        .get('/api/document-types')
        .query(query)
        .set(acme)
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code, parameter });
    });

    it('discovers values without the column’s own filter, under the others', async () => {
      const res = await request(t.server)
        .get('/api/document-types/columns/retentionDays/values')
        .query({ 'filter[retentionDays]': '365', 'filter[name][ne]': 'Letter' })
        .set(acme)
        .expect(200);
      expect(res.body).toEqual({
        data: [
          { value: 3650, label: '3650', count: 2 },
          { value: 365, label: '365', count: 1 },
          { value: null, label: '(empty)', count: 1 },
        ],
        hasMore: false,
      });
      const bad = await request(t.server)
        .get('/api/document-types/columns/name/values')
        .set(acme)
        .expect(400);
      expect(bad.body).toMatchObject({ code: 'GRID_NOT_DISCOVERABLE', parameter: 'column' });
    });
  });

  describe('tenant isolation and permissions', () => {
    it('never shows another organization’s types: list, item, values, count', async () => {
      const res = await request(t.server)
        .get('/api/document-types?count=exact')
        .set(acme)
        .expect(200);
      expect(res.body.total).toEqual({ value: 5, exact: true });
      expect((res.body.data as Row[]).every((r) => r.organizationId === acmeId)).toBe(true);
      expect(await names({ 'filter[organizationId]': String(globexId) })).toEqual([]);
      await request(t.server)
        .get(`/api/document-types/${type('globex', 'Invoice')}`)
        .set(acme)
        .expect(404);
      await request(t.server)
        .get(`/api/document-types/${type('acme', 'Invoice')}`)
        .set(globex)
        .expect(404);
      const orgs = await request(t.server)
        .get('/api/document-types/columns/organizationId/values')
        .set(acme)
        .expect(200);
      expect(orgs.body.data).toEqual([{ value: acmeId, label: 'Acme Logistics', count: 5 }]);
    });

    it('refuses writes to another organization’s types', async () => {
      const theirs = type('globex', 'Letter');
      await patch(acme, theirs, { name: 'Mine', version: 1 }).expect(404);
      await request(t.server).delete(`/api/document-types/${theirs}`).set(acme).expect(404);
      const into = await create(acme, { name: 'Foreign', organizationId: globexId }).expect(403);
      expect(into.body).toMatchObject({ parameter: 'organizationId' });
    });

    it('lets a clerk read a type but not open the grid or change types', async () => {
      const grid = await request(t.server).get('/api/document-types').set(clerk).expect(403);
      expect(grid.body.code).toBe('FORBIDDEN');
      await request(t.server)
        .get(`/api/document-types/${type('acme', 'Letter')}`)
        .set(clerk)
        .expect(200);
      await create(clerk, { name: 'Clerk type' }).expect(403);
      await patch(clerk, type('acme', 'Letter'), { name: 'Note', version: 1 }).expect(403);
      await request(t.server)
        .delete(`/api/document-types/${type('acme', 'Letter')}`)
        .set(clerk)
        .expect(403);
    });
  });

  describe('writes', () => {
    it('creates a type and audits it in the same transaction', async () => {
      const res = await create(acme, {
        name: ' Tax notice ',
        description: 'From the revenue office',
        retentionDays: 2555,
      }).expect(201);
      expect(res.body).toMatchObject({
        name: 'Tax notice',
        description: 'From the revenue office',
        retentionDays: 2555,
        organizationId: acmeId,
        version: 1,
      });
      const rows = await audit(res.body.id as number);
      expect(rows).toEqual([
        {
          action: 'create',
          organization_id: acmeId,
          changes: {
            name: 'Tax notice',
            description: 'From the revenue office',
            retentionDays: 2555,
          },
        },
      ]);
    });

    it('lets platform admins create in an organization they name', async () => {
      const missing = await create(platform, { name: 'Deed' }).expect(400);
      expect(missing.body).toMatchObject({ parameter: 'organizationId' });
      const res = await create(platform, { name: 'Deed', organizationId: globexId }).expect(201);
      expect(res.body).toMatchObject({ organizationId: globexId, description: '' });
      const nowhere = await create(platform, { name: 'Deed', organizationId: 999999 }).expect(400);
      expect(nowhere.body).toMatchObject({
        code: 'VALIDATION_REFERENCE',
        parameter: 'organizationId',
      });
    });

    it('refuses a duplicate name and writes nothing, not even an audit row', async () => {
      const before = await auditCount();
      const res = await create(acme, { name: 'Invoice', retentionDays: 10 }).expect(409);
      expect(res.body).toMatchObject({ code: 'CONFLICT_DUPLICATE', parameter: 'name' });
      expect(await auditCount()).toBe(before);
      expect(await names({ 'filter[name]': 'Invoice' })).toEqual(['Invoice']);
      // The same name in another organization is fine.
      await create(platform, { name: 'Tax notice', organizationId: globexId }).expect(201);
    });

    it.each([
      ['an empty name', 'name', { name: '' }],
      ['a blank name', 'name', { name: '  ' }],
      ['retentionDays 0', 'retentionDays', { name: 'Ok', retentionDays: 0 }],
      ['a fractional retentionDays', 'retentionDays', { name: 'Ok', retentionDays: 1.5 }],
      ['retentionDays as text', 'retentionDays', { name: 'Ok', retentionDays: '30' }],
      [
        'a description of 2001 characters',
        'description',
        { name: 'Ok', description: 'x'.repeat(2001) },
      ],
      ['an unknown field', 'colour', { name: 'Ok', colour: 'red' }],
    ])('validates the body: %s → 400 naming %s', async (_why, parameter, body) => {
      const res = await create(acme, body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, parameter });
    });

    it('updates with the current version, clears retention with null, audits the diff', async () => {
      const id = (await create(acme, { name: 'Memo', retentionDays: 30 }).expect(201)).body
        .id as number;
      const res = await patch(acme, id, {
        retentionDays: null,
        description: 'Internal',
        version: 1,
      }).expect(200);
      expect(res.body).toMatchObject({ retentionDays: null, description: 'Internal', version: 2 });
      const rows = await audit(id);
      expect(rows[1]).toMatchObject({
        action: 'update',
        changes: {
          retentionDays: { from: 30, to: null },
          description: { from: '', to: 'Internal' },
        },
      });
      const stale = await patch(acme, id, { name: 'Memo 2', version: 1 }).expect(409);
      expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', parameter: 'version' });
      const dup = await patch(acme, id, { name: 'Letter', version: 2 }).expect(409);
      expect(dup.body).toMatchObject({ code: 'CONFLICT_DUPLICATE', parameter: 'name' });
      const current = await request(t.server).get(`/api/document-types/${id}`).set(acme);
      expect(current.body).toMatchObject({ name: 'Memo', version: 2 });
      expect(await audit(id)).toHaveLength(2);
    });

    it('refuses to delete a type documents use, saying how many', async () => {
      const before = await auditCount();
      const res = await request(t.server)
        .delete(`/api/document-types/${type('acme', 'Invoice')}`)
        .set(acme)
        .expect(409);
      expect(res.body).toMatchObject({ code: 'DOCUMENT_TYPE_IN_USE', parameter: 'id' });
      expect(res.body.message).toMatch(/Invoice\) is the type of 12 documents/);
      expect(await auditCount()).toBe(before);
      await request(t.server)
        .get(`/api/document-types/${type('acme', 'Invoice')}`)
        .set(acme)
        .expect(200);
    });

    it('deletes an unused type and audits it', async () => {
      const id = (await create(acme, { name: 'Obsolete' }).expect(201)).body.id as number;
      await request(t.server).delete(`/api/document-types/${id}`).set(acme).expect(204);
      await request(t.server).get(`/api/document-types/${id}`).set(acme).expect(404);
      expect((await audit(id)).map((r) => r.action)).toEqual(['create', 'delete']);
      await request(t.server).delete(`/api/document-types/${id}`).set(acme).expect(404);
    });
  });
});
