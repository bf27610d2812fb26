import request from 'supertest';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';
import type { Headers, Row } from '../support/grid-pages';
import { gridRows, pageAll } from '../support/grid-pages';

describe('organizations', () => {
  let t: TestApp;
  let platform: Headers;
  let acme: Headers;
  let globex: Headers;
  let clerk: Headers;
  let acmeId: number;
  let globexId: number;

  const create = (who: Headers, body: Record<string, unknown>) =>
    request(t.server).post('/api/organizations').set(who).send(body);
  const patch = (who: Headers, id: number, body: Record<string, unknown>) =>
    request(t.server).patch(`/api/organizations/${id}`).set(who).send(body);
  const names = async (query: Record<string, string>, who: Headers = platform) =>
    (await gridRows(t.server, '/api/organizations', who, query)).map((r) => r.name);
  const count = async (table: string) =>
    (await sql<{ n: number }>(t.db.url, `SELECT count(*)::int AS n FROM ${table}`))[0].n;
  const permissionVersion = async (id: number) =>
    Number(
      (
        await sql<{ v: string }>(
          t.db.url,
          'SELECT permission_version AS v FROM organizations WHERE id = $1',
          [id],
        )
      )[0].v,
    );

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    const orgs = await sql<{ id: number; slug: string }>(
      t.db.url,
      'SELECT id, slug FROM organizations',
    );
    acmeId = orgs.find((o) => o.slug === 'acme')?.id ?? 0;
    globexId = orgs.find((o) => o.slug === 'globex')?.id ?? 0;
    platform = await login(t.server, ADMIN.email, ADMIN.password);
    acme = await login(t.server, 'admin@acme.example');
    globex = await login(t.server, 'admin@globex.example');
    clerk = await login(t.server, 'clerk@acme.example');
  }, 60_000);
  afterAll(async () => t.close());

  describe('create', () => {
    it('creates an organization with its Inbox and Archive in one transaction', async () => {
      const res = await create(platform, { name: ' Initech ', slug: 'initech' }).expect(201);
      const id = res.body.id as number;
      expect(res.body).toMatchObject({
        name: 'Initech',
        slug: 'initech',
        isActive: true,
        version: 1,
      });
      const folders = await sql<{
        name: string;
        system_key: string;
        path: number[];
        depth: number;
      }>(
        t.db.url,
        `SELECT name, system_key, path::int[] AS path, depth FROM folders
         WHERE organization_id = $1 ORDER BY name`,
        [id],
      );
      expect(folders).toEqual([
        { name: 'Archive', system_key: 'archive', path: [expect.any(Number)], depth: 0 },
        { name: 'Inbox', system_key: 'inbox', path: [expect.any(Number)], depth: 0 },
      ]);
      const audit = await sql<{ entity_type: string; action: string }>(
        t.db.url,
        `SELECT entity_type, action FROM audit_log WHERE organization_id = $1 ORDER BY id`,
        [id],
      );
      expect(audit).toEqual([
        { entity_type: 'organization', action: 'create' },
        { entity_type: 'folder', action: 'create' },
        { entity_type: 'folder', action: 'create' },
      ]);
      // Its folders show in the folders grid at once.
      const grid = await gridRows(t.server, '/api/folders', platform, {
        'filter[organizationId]': String(id),
      });
      expect(grid.map((f) => f.name)).toEqual(['Archive', 'Inbox']);
    });

    it('creates an inactive organization when asked', async () => {
      const res = await create(platform, {
        name: 'Umbrella Corp',
        slug: 'umbrella',
        isActive: false,
      }).expect(201);
      expect(res.body).toMatchObject({ isActive: false });
    });

    it('refuses a taken slug and writes nothing: no organization, folder or audit row', async () => {
      const before = await Promise.all(['organizations', 'folders', 'audit_log'].map(count));
      const res = await create(platform, { name: 'Acme again', slug: 'acme' }).expect(409);
      expect(res.body).toMatchObject({ code: 'CONFLICT_DUPLICATE', parameter: 'slug' });
      expect(await Promise.all(['organizations', 'folders', 'audit_log'].map(count))).toEqual(
        before,
      );
    });

    it.each([
      ['a slug with a space', 'slug', { name: 'X', slug: 'bad slug' }],
      ['a slug with capitals', 'slug', { name: 'X', slug: 'Acme2' }],
      ['a slug starting with "-"', 'slug', { name: 'X', slug: '-x' }],
      ['a slug of 64 characters', 'slug', { name: 'X', slug: 'a'.repeat(64) }],
      ['no slug', 'slug', { name: 'X' }],
      ['a blank name', 'name', { name: '  ', slug: 'x' }],
      ['isActive as text', 'isActive', { name: 'X', slug: 'x', isActive: 'yes' }],
      ['an unknown field', 'plan', { name: 'X', slug: 'x', plan: 'gold' }],
    ])('validates the body: %s → 400 naming %s', async (_why, parameter, body) => {
      const res = await create(platform, body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, parameter });
    });

    it('is for platform administrators only', async () => {
      const res = await create(acme, { name: 'Mine', slug: 'mine' }).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      await create(clerk, { name: 'Mine', slug: 'mine' }).expect(403);
    });
  });

  describe('grid', () => {
    it('lists by name, then id', async () => {
      const res = await request(t.server).get('/api/organizations').set(platform).expect(200);
      expect((res.body.data as Row[]).map((r) => r.name)).toEqual([
        'Acme Logistics',
        'Globex Legal',
        'Initech',
        'Umbrella Corp',
      ]);
      expect(res.body.sort).toEqual([
        { column: 'name', direction: 'asc' },
        { column: 'id', direction: 'asc' },
      ]);
      expect(Object.keys(res.body.data[0] as object)).not.toContain('permission_version');
    });

    it('filters text, boolean, integer and datetime columns', async () => {
      expect(await names({ 'filter[slug]': 'acme' })).toEqual(['Acme Logistics']);
      expect(await names({ 'filter[name][contains]': 'LO' })).toEqual([
        'Acme Logistics',
        'Globex Legal',
      ]);
      expect(await names({ 'filter[isActive]': 'false' })).toEqual(['Umbrella Corp']);
      expect(await names({ 'filter[isActive][ne]': 'false' })).toHaveLength(3);
      expect(await names({ 'filter[id][in]': `${acmeId},${globexId}` })).toEqual([
        'Acme Logistics',
        'Globex Legal',
      ]);
      expect(await names({ 'filter[id][gt]': String(globexId) })).toEqual([
        'Initech',
        'Umbrella Corp',
      ]);
      expect(await names({ 'filter[createdOn][gte]': '2000-01-01T00:00:00Z' })).toHaveLength(4);
      expect(await names({ search: 'umbr' })).toEqual(['Umbrella Corp']);
    });

    it('pages through everything by cursor, in any sort', async () => {
      const all = await names({});
      const paged = await pageAll(t.server, '/api/organizations', platform, { limit: 1 });
      expect(paged.map((r) => r.name)).toEqual(all);
      const bySlug = await pageAll(t.server, '/api/organizations', platform, {
        limit: 3,
        sort: '-slug',
      });
      expect(bySlug.map((r) => r.slug)).toEqual(['umbrella', 'initech', 'globex', 'acme']);
    });

    it.each([
      ['sort', { sort: 'version' }, 'GRID_NOT_SORTABLE'],
      ['filter[isActive]', { 'filter[isActive]': 'yes' }, 'GRID_INVALID_VALUE'],
      ['filter[isActive][gt]', { 'filter[isActive][gt]': 'true' }, 'GRID_OPERATOR_NOT_ALLOWED'],
      ['filter[slug][like]', { 'filter[slug][like]': 'a' }, 'GRID_UNKNOWN_OPERATOR'],
      ['limit', { limit: '-1' }, 'GRID_INVALID_LIMIT'],
      ['page', { page: '2' }, 'GRID_UNKNOWN_PARAMETER'],
    ])('answers 400 naming %s', async (parameter, query, code) => {
      const res = await request(t.server)
        .get('/api/organizations')
        .query(query)
        .set(platform)
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code, parameter });
    });

    it('discovers values without the column’s own filter, under the others', async () => {
      const res = await request(t.server)
        .get('/api/organizations/columns/isActive/values')
        .query({ 'filter[isActive]': 'false', 'filter[name][contains]': 'o' })
        .set(platform)
        .expect(200);
      // "o": Acme Logistics, Globex Legal (active), Umbrella Corp (inactive); not Initech.
      expect(res.body.data).toEqual([
        { value: true, label: 'true', count: 2 },
        { value: false, label: 'false', count: 1 },
      ]);
    });
  });

  describe('tenant isolation', () => {
    it('shows members their own organization only: list, item, values, count', async () => {
      const res = await request(t.server)
        .get('/api/organizations?count=exact')
        .set(acme)
        .expect(200);
      expect((res.body.data as Row[]).map((r) => r.id)).toEqual([acmeId]);
      expect(res.body.total).toEqual({ value: 1, exact: true });
      expect(await names({ 'filter[id]': String(globexId) }, acme)).toEqual([]);
      await request(t.server).get(`/api/organizations/${acmeId}`).set(acme).expect(200);
      await request(t.server).get(`/api/organizations/${globexId}`).set(acme).expect(404);
      await request(t.server).get(`/api/organizations/${acmeId}`).set(globex).expect(404);
      const values = await request(t.server)
        .get('/api/organizations/columns/isActive/values')
        .set(acme)
        .expect(200);
      expect(values.body.data).toEqual([{ value: true, label: 'true', count: 1 }]);
      // The grid is a screen: it needs the organization tab, which a clerk lacks; his
      // own organization's item needs only the view every member holds.
      const screen = await request(t.server).get('/api/organizations').set(clerk).expect(403);
      expect(screen.body).toMatchObject({ code: 'FORBIDDEN' });
      await request(t.server).get(`/api/organizations/${acmeId}`).set(clerk).expect(200);
      await request(t.server).get(`/api/organizations/${globexId}`).set(clerk).expect(404);
    });

    it('lets members change nothing, not even their own organization', async () => {
      await patch(acme, acmeId, { name: 'Acme Global', version: 1 }).expect(403);
      await request(t.server).delete(`/api/organizations/${acmeId}`).set(acme).expect(403);
      await request(t.server).delete(`/api/organizations/${globexId}`).set(acme).expect(403);
      expect(await names({ 'filter[id]': String(acmeId) })).toEqual(['Acme Logistics']);
    });
  });

  describe('update', () => {
    it('renames with the current version, audits it, refuses a stale one', async () => {
      const id = (await create(platform, { name: 'Hooli', slug: 'hooli' }).expect(201)).body
        .id as number;
      const res = await patch(platform, id, {
        name: 'Hooli XYZ',
        slug: 'hooli-xyz',
        version: 1,
      }).expect(200);
      expect(res.body).toMatchObject({ name: 'Hooli XYZ', slug: 'hooli-xyz', version: 2 });
      const audit = await sql<{ action: string; changes: Record<string, unknown> }>(
        t.db.url,
        `SELECT action, changes FROM audit_log
         WHERE entity_type = 'organization' AND entity_id = $1 ORDER BY id`,
        [id],
      );
      expect(audit[1]).toEqual({
        action: 'update',
        changes: {
          name: { from: 'Hooli', to: 'Hooli XYZ' },
          slug: { from: 'hooli', to: 'hooli-xyz' },
        },
      });
      const stale = await patch(platform, id, { name: 'Hooli 2', version: 1 }).expect(409);
      expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', parameter: 'version' });
      const taken = await patch(platform, id, { slug: 'acme', version: 2 }).expect(409);
      expect(taken.body).toMatchObject({ code: 'CONFLICT_DUPLICATE', parameter: 'slug' });
      const bad = await patch(platform, id, { slug: 'Hooli', version: 2 }).expect(400);
      expect(bad.body).toMatchObject({ parameter: 'slug' });
      await patch(platform, 999999, { name: 'Ghost', version: 1 }).expect(404);
    });

    it('deactivating locks its members out at once; reactivating lets them in', async () => {
      await request(t.server).get('/api/folders').set(globex).expect(200); // access now cached
      const before = await permissionVersion(globexId);
      const version = (await request(t.server).get(`/api/organizations/${globexId}`).set(platform))
        .body.version as number;
      await patch(platform, globexId, { isActive: false, version }).expect(200);
      expect(await permissionVersion(globexId)).toBeGreaterThan(before);
      const locked = await request(t.server).get('/api/folders').set(globex).expect(401);
      expect(locked.body.code).toBe('AUTH_ACCOUNT_DISABLED');
      await patch(platform, globexId, { isActive: true, version: version + 1 }).expect(200);
      await request(t.server).get('/api/folders').set(globex).expect(200);
      // A rename changes nobody's access: no bump.
      const now = await permissionVersion(globexId);
      await patch(platform, globexId, { name: 'Globex Legal', version: version + 2 }).expect(200);
      expect(await permissionVersion(globexId)).toBe(now);
    });
  });

  describe('delete', () => {
    it('refuses while the organization holds users or records', async () => {
      const res = await request(t.server)
        .delete(`/api/organizations/${acmeId}`)
        .set(platform)
        .expect(409);
      expect(res.body).toMatchObject({ code: 'ORGANIZATION_NOT_EMPTY', parameter: 'id' });
      expect(res.body.message).toContain('users, documents, mails, batches');
      await request(t.server).get(`/api/organizations/${acmeId}`).set(platform).expect(200);
    });

    it('deletes an empty one with its folders and types, recording the deletion', async () => {
      const id = (await create(platform, { name: 'Short-lived', slug: 'short-lived' }).expect(201))
        .body.id as number;
      const top = await request(t.server)
        .post('/api/folders')
        .set(platform)
        .send({ name: 'Projects', organizationId: id })
        .expect(201);
      await request(t.server)
        .post('/api/folders')
        .set(platform)
        .send({ name: 'Alpha', parentId: top.body.id })
        .expect(201);
      await request(t.server)
        .post('/api/document-types')
        .set(platform)
        .send({ name: 'Note', organizationId: id })
        .expect(201);

      await request(t.server).delete(`/api/organizations/${id}`).set(platform).expect(204);
      await request(t.server).get(`/api/organizations/${id}`).set(platform).expect(404);
      const left = await sql<{ n: number }>(
        t.db.url,
        `SELECT (SELECT count(*) FROM folders WHERE organization_id = $1)
              + (SELECT count(*) FROM document_types WHERE organization_id = $1) AS n`,
        [id],
      );
      expect(Number(left[0].n)).toBe(0);
      const audit = await sql<{ organization_id: number | null; changes: object }>(
        t.db.url,
        `SELECT organization_id, changes FROM audit_log
         WHERE entity_type = 'organization' AND entity_id = $1 AND action = 'delete'`,
        [id],
      );
      expect(audit).toEqual([
        { organization_id: null, changes: { name: 'Short-lived', slug: 'short-lived' } },
      ]);
      await request(t.server).delete(`/api/organizations/${id}`).set(platform).expect(404);
    });
  });
});
