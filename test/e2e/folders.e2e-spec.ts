import request from 'supertest';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';
import type { Headers, Row } from '../support/grid-pages';
import { gridRows, pageAll } from '../support/grid-pages';

const SEEDED = ['Archive', 'Contracts', 'Finance', 'HR', 'Inbox', 'Invoices', 'Legal', 'Receipts'];

describe('folders', () => {
  let t: TestApp;
  let platform: Headers;
  let acme: Headers;
  let globex: Headers;
  let clerk: Headers;
  let reader: Headers;
  const ids: Record<string, number> = {};
  let acmeId: number;
  let globexId: number;

  const folder = (org: 'acme' | 'globex', name: string) => ids[`${org}/${name}`];
  const row = async (id: number) =>
    (
      await sql<{ parent_id: number | null; path: number[]; depth: number; version: number }>(
        t.db.url,
        'SELECT parent_id, path::int[] AS path, depth, version FROM folders WHERE id = $1',
        [id],
      )
    )[0];
  const audit = (id: number) =>
    sql<{ action: string; changes: Record<string, unknown>; actor_id: number }>(
      t.db.url,
      `SELECT action, changes, actor_id FROM audit_log WHERE entity_type = 'folder' AND entity_id = $1 ORDER BY id`,
      [id],
    );
  const permissionVersion = async (orgId: number) =>
    Number(
      (
        await sql<{ v: string }>(
          t.db.url,
          'SELECT permission_version AS v FROM organizations WHERE id = $1',
          [orgId],
        )
      )[0].v,
    );
  const create = (who: Headers, body: Record<string, unknown>) =>
    request(t.server).post('/api/folders').set(who).send(body);
  const patch = (who: Headers, id: number, body: Record<string, unknown>) =>
    request(t.server).patch(`/api/folders/${id}`).set(who).send(body);
  const versionOf = async (id: number) => (await row(id)).version;

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    const rows = await sql<{ slug: string; name: string; id: number; org: number }>(
      t.db.url,
      `SELECT o.slug, f.name, f.id, o.id AS org FROM folders f
       JOIN organizations o ON o.id = f.organization_id`,
    );
    for (const r of rows) ids[`${r.slug}/${r.name}`] = r.id;
    acmeId = rows.find((r) => r.slug === 'acme')?.org ?? 0;
    globexId = rows.find((r) => r.slug === 'globex')?.org ?? 0;
    // Acme's clerks may now also create and rearrange folders (their folder grants:
    // view/create/edit on Finance and Legal). Arranged before anyone signs in.
    await sql(
      t.db.url,
      `INSERT INTO role_entity_permissions (role_id, entity_type, action)
       SELECT r.id, 'folder', a FROM roles r, unnest(ARRAY['create', 'edit']) a
       WHERE r.organization_id = $1 AND r.name = 'Mailroom clerks'`,
      [acmeId],
    );
    platform = await login(t.server, ADMIN.email, ADMIN.password);
    acme = await login(t.server, 'admin@acme.example');
    globex = await login(t.server, 'admin@globex.example');
    clerk = await login(t.server, 'clerk@acme.example');
    reader = await login(t.server, 'finance@acme.example');
  }, 60_000);
  afterAll(async () => t.close());

  describe('grid', () => {
    it('lists by name, then id, with parent, organization and location labels', async () => {
      const res = await request(t.server).get('/api/folders').set(acme).expect(200);
      const data = res.body.data as Row[];
      expect(data.map((r) => r.name)).toEqual(SEEDED);
      expect(res.body.sort).toEqual([
        { column: 'name', direction: 'asc' },
        { column: 'id', direction: 'asc' },
      ]);
      const invoices = data.find((r) => r.name === 'Invoices');
      expect(invoices).toMatchObject({
        parentId: folder('acme', 'Finance'),
        parentName: 'Finance',
        organizationName: 'Acme Logistics',
        path: [folder('acme', 'Finance'), folder('acme', 'Invoices')],
        pathName: 'Finance / Invoices',
        depth: 1,
        systemKey: null,
      });
    });

    it('filters text, integer, reference, enum and datetime columns', async () => {
      const names = async (query: Record<string, string>) =>
        (await gridRows(t.server, '/api/folders', acme, query)).map((r) => r.name);
      expect(await names({ 'filter[name][contains]': 'CE' })).toEqual([
        'Finance',
        'Invoices',
        'Receipts',
      ]);
      expect(await names({ 'filter[name][startsWith]': 'in' })).toEqual(['Inbox', 'Invoices']);
      expect(await names({ 'filter[depth]': '1' })).toEqual(['Contracts', 'Invoices', 'Receipts']);
      expect(await names({ 'filter[depth][gt]': '0', 'filter[name][ne]': 'Contracts' })).toEqual([
        'Invoices',
        'Receipts',
      ]);
      expect(await names({ 'filter[parentId]': String(folder('acme', 'Finance')) })).toEqual([
        'Invoices',
        'Receipts',
      ]);
      expect(await names({ 'filter[parentId][isNull]': 'true' })).toEqual([
        'Archive',
        'Finance',
        'HR',
        'Inbox',
        'Legal',
      ]);
      expect(await names({ 'filter[systemKey][in]': 'inbox,archive' })).toEqual([
        'Archive',
        'Inbox',
      ]);
      expect(await names({ 'filter[systemKey][isNull]': 'false' })).toEqual(['Archive', 'Inbox']);
      expect(await names({ 'filter[createdOn][lte]': new Date().toISOString() })).toEqual(SEEDED);
      expect(await names({ 'filter[createdOn][gt]': '2999-01-01T00:00:00Z' })).toEqual([]);
      expect(await names({ search: 'LEG' })).toEqual(['Legal']);
    });

    it('pages through every folder by cursor, in the order of one page', async () => {
      const all = await gridRows(t.server, '/api/folders', platform, { limit: 500 });
      expect(all).toHaveLength(16);
      const paged = await pageAll(t.server, '/api/folders', platform, { limit: 3 });
      expect(paged.map((r) => r.id)).toEqual(all.map((r) => r.id));
      const byDepth = await pageAll(t.server, '/api/folders', platform, {
        limit: 4,
        sort: '-depth,name',
      });
      expect(new Set(byDepth.map((r) => r.id)).size).toBe(16);
      expect(byDepth.slice(0, 6).every((r) => r.depth === 1)).toBe(true);
    });

    it.each([
      ['sort', { sort: 'path' }, 'GRID_NOT_SORTABLE'],
      ['sort', { sort: 'colour' }, 'GRID_UNKNOWN_COLUMN'],
      ['filter[path]', { 'filter[path]': '1' }, 'GRID_NOT_FILTERABLE'],
      ['filter[depth]', { 'filter[depth]': 'deep' }, 'GRID_INVALID_VALUE'],
      ['filter[systemKey]', { 'filter[systemKey]': 'trash' }, 'GRID_INVALID_VALUE'],
      ['filter[name][gt]', { 'filter[name][gt]': 'a' }, 'GRID_OPERATOR_NOT_ALLOWED'],
      ['limit', { limit: '0' }, 'GRID_INVALID_LIMIT'],
      ['limit', { limit: '501' }, 'GRID_INVALID_LIMIT'],
      ['cursor', { cursor: 'bm90LWEtY3Vyc29y' }, 'GRID_INVALID_CURSOR'],
    ])('answers 400 naming %s', async (parameter, query, code) => {
      const res = await request(t.server).get('/api/folders').query(query).set(acme).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code, parameter });
    });

    it('discovers values without the column’s own filter, under the others', async () => {
      const res = await request(t.server)
        .get('/api/folders/columns/depth/values')
        .query({ 'filter[depth]': '0', 'filter[name][contains]': 'e' })
        .set(acme)
        .expect(200);
      // name contains "e": Archive, Finance, Legal, Receipts (depth 0, 0, 0, 1) + Invoices (1)
      expect(res.body.data).toEqual([
        { value: 0, label: '0', count: 3 },
        { value: 1, label: '1', count: 2 },
      ]);
      const parents = await request(t.server)
        .get('/api/folders/columns/parentId/values')
        .query({ 'filter[parentId]': String(folder('acme', 'Legal')), search: 'fin' })
        .set(acme)
        .expect(200);
      expect(parents.body.data).toEqual([
        { value: folder('acme', 'Finance'), label: 'Finance', count: 2 },
      ]);
    });

    it('describes its columns', async () => {
      const res = await request(t.server).get('/api/folders/columns').set(acme).expect(200);
      const parent = (res.body as { key: string }[]).find((c) => c.key === 'parentId');
      expect(parent).toMatchObject({
        type: 'reference',
        discoverable: true,
        labelKey: 'parentName',
      });
    });
  });

  describe('tenant isolation and scope', () => {
    it('never shows another organization’s folders: list, item, values, count', async () => {
      const res = await request(t.server).get('/api/folders?count=exact').set(acme).expect(200);
      expect(res.body.total).toEqual({ value: 8, exact: true });
      expect((res.body.data as Row[]).every((r) => r.organizationId === acmeId)).toBe(true);
      const foreign = await request(t.server)
        .get('/api/folders')
        .query({ 'filter[organizationId]': String(globexId), count: 'exact' })
        .set(acme)
        .expect(200);
      expect(foreign.body.data).toEqual([]);
      expect(foreign.body.total).toEqual({ value: 0, exact: true });
      await request(t.server)
        .get(`/api/folders/${folder('globex', 'Legal')}`)
        .set(acme)
        .expect(404);
      const orgs = await request(t.server)
        .get('/api/folders/columns/organizationId/values')
        .set(acme)
        .expect(200);
      expect(orgs.body.data).toEqual([{ value: acmeId, label: 'Acme Logistics', count: 8 }]);
      const all = await request(t.server)
        .get('/api/folders/columns/organizationId/values')
        .set(platform)
        .expect(200);
      expect(all.body.data).toHaveLength(2);
      // And the other way round.
      const theirs = await gridRows(t.server, '/api/folders', globex, { limit: 500 });
      expect(theirs).toHaveLength(8);
      expect(theirs.every((r) => r.organizationId === globexId)).toBe(true);
      await request(t.server)
        .get(`/api/folders/${folder('acme', 'Finance')}`)
        .set(globex)
        .expect(404);
    });

    it('shows a reader the system folders and the subtree of their grants only', async () => {
      const names = (await gridRows(t.server, '/api/folders', reader)).map((r) => r.name);
      expect(names).toEqual(['Archive', 'Finance', 'Inbox', 'Invoices', 'Receipts']);
      await request(t.server)
        .get(`/api/folders/${folder('acme', 'Legal')}`)
        .set(reader)
        .expect(404);
    });

    it('refuses writes across organizations', async () => {
      const other = folder('globex', 'Legal');
      await patch(acme, other, { name: 'Mine', version: 1 }).expect(404);
      await request(t.server).delete(`/api/folders/${other}`).set(acme).expect(404);
      const under = await create(acme, { name: 'Sneaky', parentId: other }).expect(400);
      expect(under.body).toMatchObject({ code: 'FOLDER_NOT_FOUND', parameter: 'parentId' });
      const into = await create(acme, { name: 'Sneaky', organizationId: globexId }).expect(403);
      expect(into.body).toMatchObject({ parameter: 'organizationId' });
      expect(await sql(t.db.url, "SELECT 1 FROM folders WHERE name = 'Sneaky'")).toEqual([]);
    });
  });

  describe('create', () => {
    it('files a folder under its parent, audits it and bumps the permission version', async () => {
      const before = await permissionVersion(acmeId);
      const res = await create(acme, {
        name: '  Taxes 2025 ',
        parentId: folder('acme', 'Finance'),
      }).expect(201);
      const id = res.body.id as number;
      expect(res.body).toMatchObject({
        name: 'Taxes 2025',
        parentId: folder('acme', 'Finance'),
        path: [folder('acme', 'Finance'), id],
        depth: 1,
        version: 1,
        organizationId: acmeId,
      });
      expect(await permissionVersion(acmeId)).toBeGreaterThan(before);
      const rows = await audit(id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        action: 'create',
        changes: { name: 'Taxes 2025', parentId: folder('acme', 'Finance') },
      });
      // The reader (Finance view grant) sees it at once: the new version reached the cache.
      await request(t.server).get(`/api/folders/${id}`).set(reader).expect(200);
    });

    it('refuses a sibling of the same name and leaves nothing behind', async () => {
      const before = await permissionVersion(acmeId);
      const auditBefore = await sql<{ n: number }>(
        t.db.url,
        'SELECT count(*)::int AS n FROM audit_log',
      );
      const res = await create(acme, {
        name: 'Invoices',
        parentId: folder('acme', 'Finance'),
      }).expect(409);
      expect(res.body).toMatchObject({ code: 'CONFLICT_DUPLICATE', parameter: 'name' });
      const top = await create(acme, { name: 'Legal' }).expect(409);
      expect(top.body).toMatchObject({ code: 'CONFLICT_DUPLICATE', parameter: 'name' });
      expect(await permissionVersion(acmeId)).toBe(before);
      expect(
        await sql<{ n: number }>(t.db.url, 'SELECT count(*)::int AS n FROM audit_log'),
      ).toEqual(auditBefore);
      // The same name in another folder is fine.
      await create(acme, { name: 'Invoices', parentId: folder('acme', 'Legal') }).expect(201);
    });

    it.each([
      ['an empty name', 'name', { name: '' }],
      ['a blank name', 'name', { name: '   ' }],
      ['a name with a slash', 'name', { name: 'a/b' }],
      ['a name of 201 characters', 'name', { name: 'x'.repeat(201) }],
      ['a parentId as text', 'parentId', { name: 'Ok', parentId: 'one' }],
      ['parentId 0', 'parentId', { name: 'Ok', parentId: 0 }],
      ['an unknown field', 'colour', { name: 'Ok', colour: 'red' }],
    ])('validates the body: %s → 400 naming %s', async (_why, parameter, body) => {
      const res = await create(acme, body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, parameter });
    });

    it('lets platform admins name the organization, required at the top level', async () => {
      const missing = await create(platform, { name: 'Shared' }).expect(400);
      expect(missing.body).toMatchObject({ parameter: 'organizationId' });
      const res = await create(platform, { name: 'Shared', organizationId: globexId }).expect(201);
      expect(res.body).toMatchObject({ organizationId: globexId, depth: 0, parentId: null });
      const under = await create(platform, {
        name: 'Shared',
        parentId: folder('globex', 'Legal'),
      }).expect(201);
      expect(under.body).toMatchObject({ organizationId: globexId, depth: 1 });
      const nowhere = await create(platform, { name: 'Lost', organizationId: 999999 }).expect(400);
      expect(nowhere.body).toMatchObject({ parameter: 'organizationId' });
    });

    it('lets a user with grants create where granted, and only there', async () => {
      const res = await create(clerk, {
        name: 'Clerk notes',
        parentId: folder('acme', 'Legal'),
      }).expect(201);
      expect(res.body).toMatchObject({ parentId: folder('acme', 'Legal') });
      const hr = await create(clerk, {
        name: 'Clerk notes',
        parentId: folder('acme', 'HR'),
      }).expect(403);
      expect(hr.body).toMatchObject({ code: 'FORBIDDEN', parameter: 'parentId' });
      const top = await create(clerk, { name: 'Clerk notes' }).expect(403);
      expect(top.body).toMatchObject({ code: 'FORBIDDEN', parameter: 'parentId' });
      const noGrant = await create(reader, {
        name: 'Reader notes',
        parentId: folder('acme', 'Finance'),
      }).expect(403);
      expect(noGrant.body.code).toBe('FORBIDDEN');
    });

    it('refuses nesting past 33 levels', async () => {
      let parentId = folder('acme', 'HR'); // depth 0
      for (let depth = 1; depth <= 32; depth++) {
        const res = await create(acme, { name: `L${depth}`, parentId }).expect(201);
        parentId = res.body.id as number;
      }
      expect((await row(parentId)).depth).toBe(32);
      const res = await create(acme, { name: 'L33', parentId }).expect(409);
      expect(res.body).toMatchObject({ code: 'FOLDER_TOO_DEEP', parameter: 'parentId' });
      // Moving a two-level subtree under depth 31 would reach 33 as well.
      const l31 = (await row(parentId)).parent_id as number;
      const top = await create(acme, { name: 'Top', parentId: folder('acme', 'Legal') }).expect(
        201,
      );
      await create(acme, { name: 'Child', parentId: top.body.id }).expect(201);
      const move = await patch(acme, top.body.id as number, { parentId: l31, version: 1 });
      expect(move.status).toBe(409);
      expect(move.body).toMatchObject({ code: 'FOLDER_TOO_DEEP', parameter: 'parentId' });
    });
  });

  describe('rename and move', () => {
    it('renames with the current version and audits the change', async () => {
      const id = (await create(acme, { name: 'Drafts' }).expect(201)).body.id as number;
      const before = await permissionVersion(acmeId);
      const res = await patch(acme, id, { name: 'Old drafts', version: 1 }).expect(200);
      expect(res.body).toMatchObject({ name: 'Old drafts', version: 2 });
      // A rename changes nobody's access.
      expect(await permissionVersion(acmeId)).toBe(before);
      const rows = await audit(id);
      expect(rows[rows.length - 1]).toMatchObject({
        action: 'update',
        changes: { name: { from: 'Drafts', to: 'Old drafts' } },
      });
    });

    it('answers 409 VERSION_CONFLICT to a stale version and changes nothing', async () => {
      const id = (await create(acme, { name: 'Contested' }).expect(201)).body.id as number;
      await patch(acme, id, { name: 'First', version: 1 }).expect(200);
      const res = await patch(acme, id, { name: 'Second', version: 1 }).expect(409);
      expect(res.body).toMatchObject({ code: 'VERSION_CONFLICT', parameter: 'version' });
      const move = await patch(acme, id, { parentId: folder('acme', 'HR'), version: 1 });
      expect(move.status).toBe(409);
      expect(move.body.code).toBe('VERSION_CONFLICT');
      expect(await row(id)).toMatchObject({ parent_id: null, version: 2 });
      const current = await request(t.server).get(`/api/folders/${id}`).set(acme).expect(200);
      expect(current.body.name).toBe('First');
      const missing = await patch(acme, id, { name: 'No version' }).expect(400);
      expect(missing.body).toMatchObject({ parameter: 'version' });
    });

    it('moves a whole subtree in one go: paths and depths follow', async () => {
      const a = (await create(acme, { name: 'Projects' }).expect(201)).body.id as number;
      const b = (await create(acme, { name: 'Alpha', parentId: a }).expect(201)).body.id as number;
      const c = (await create(acme, { name: 'Specs', parentId: b }).expect(201)).body.id as number;
      const legal = folder('acme', 'Legal');
      const before = await permissionVersion(acmeId);

      const res = await patch(acme, a, { parentId: legal, version: 1 }).expect(200);
      expect(res.body).toMatchObject({
        parentId: legal,
        path: [legal, a],
        depth: 1,
        version: 2,
        pathName: 'Legal / Projects',
      });
      expect(await row(b)).toMatchObject({
        parent_id: a,
        path: [legal, a, b],
        depth: 2,
        version: 1,
      });
      expect(await row(c)).toMatchObject({ path: [legal, a, b, c], depth: 3, version: 1 });
      expect(await permissionVersion(acmeId)).toBeGreaterThan(before);
      const rows = await audit(a);
      expect(rows[rows.length - 1]).toMatchObject({
        action: 'move',
        changes: { parentId: { from: null, to: legal }, subfoldersMoved: 2 },
      });

      // Move the middle one back to the top level, renaming it on the way.
      await patch(acme, b, { parentId: null, name: 'Alpha (moved)', version: 1 }).expect(200);
      expect(await row(b)).toMatchObject({ parent_id: null, path: [b], depth: 0, version: 2 });
      expect(await row(c)).toMatchObject({ path: [b, c], depth: 1 });
      expect(await row(a)).toMatchObject({ path: [legal, a], depth: 1 });
    });

    it('never builds a cycle', async () => {
      const finance = folder('acme', 'Finance');
      const version = await versionOf(finance);
      const inside = await patch(acme, finance, {
        parentId: folder('acme', 'Invoices'),
        version,
      }).expect(409);
      expect(inside.body).toMatchObject({ code: 'FOLDER_CYCLE', parameter: 'parentId' });
      const self = await patch(acme, finance, { parentId: finance, version }).expect(409);
      expect(self.body.code).toBe('FOLDER_CYCLE');
      expect(await row(finance)).toMatchObject({ parent_id: null, path: [finance], version });
    });

    it('never builds a cycle from two concurrent moves either', async () => {
      for (let round = 0; round < 3; round++) {
        const a = (await create(acme, { name: `Ping ${round}` }).expect(201)).body.id as number;
        const b = (await create(acme, { name: `Pong ${round}` }).expect(201)).body.id as number;
        // Each alone is fine; together they would put each inside the other.
        const [ab, ba] = await Promise.all([
          patch(acme, a, { parentId: b, version: 1 }),
          patch(acme, b, { parentId: a, version: 1 }),
        ]);
        expect([ab.status, ba.status].sort()).toEqual([200, 409]);
        expect([ab, ba].find((r) => r.status === 409)?.body.code).toBe('FOLDER_CYCLE');
        const [ra, rb] = [await row(a), await row(b)];
        expect(ra.path.includes(b) && rb.path.includes(a)).toBe(false);
        expect(ra.parent_id === null || rb.parent_id === null).toBe(true);
      }
    });

    it('refuses a move onto a sibling name and leaves the subtree as it was', async () => {
      const receipts = folder('acme', 'Receipts');
      const res = await patch(acme, receipts, {
        parentId: folder('acme', 'Legal'),
        name: 'Contracts',
        version: await versionOf(receipts),
      }).expect(409);
      expect(res.body).toMatchObject({ code: 'CONFLICT_DUPLICATE', parameter: 'name' });
      expect(await row(receipts)).toMatchObject({ path: [folder('acme', 'Finance'), receipts] });
    });

    it('never renames or moves a system folder', async () => {
      const inbox = folder('acme', 'Inbox');
      const rename = await patch(acme, inbox, { name: 'Post', version: 1 }).expect(409);
      expect(rename.body).toMatchObject({ code: 'FOLDER_SYSTEM', parameter: 'name' });
      const move = await patch(acme, inbox, {
        parentId: folder('acme', 'HR'),
        version: 1,
      }).expect(409);
      expect(move.body).toMatchObject({ code: 'FOLDER_SYSTEM', parameter: 'parentId' });
      const platformMove = await patch(platform, folder('globex', 'Archive'), {
        name: 'Attic',
        version: 1,
      }).expect(409);
      expect(platformMove.body.code).toBe('FOLDER_SYSTEM');
      // Sending its unchanged name is no change at all.
      await patch(acme, inbox, { name: 'Inbox', version: 1 }).expect(200);
      expect(await row(inbox)).toMatchObject({ version: 1 });
    });

    it('lets a user move between folders they hold grants on, not elsewhere', async () => {
      const id = (
        await create(clerk, { name: 'Clerk box', parentId: folder('acme', 'Finance') }).expect(201)
      ).body.id as number;
      await patch(clerk, id, { parentId: folder('acme', 'Legal'), version: 1 }).expect(200);
      const hr = await patch(clerk, id, { parentId: folder('acme', 'HR'), version: 2 }).expect(403);
      expect(hr.body).toMatchObject({ parameter: 'parentId' });
      const top = await patch(clerk, id, { parentId: null, version: 2 }).expect(403);
      expect(top.body).toMatchObject({ parameter: 'parentId' });
      // The reader may view Finance but holds no folder:edit.
      await patch(reader, folder('acme', 'Invoices'), { name: 'Bills', version: 1 }).expect(403);
    });
  });

  describe('delete', () => {
    it('deletes an empty folder, audits it and bumps the permission version', async () => {
      const id = (await create(acme, { name: 'Temporary' }).expect(201)).body.id as number;
      const before = await permissionVersion(acmeId);
      await request(t.server).delete(`/api/folders/${id}`).set(acme).expect(204);
      await request(t.server).get(`/api/folders/${id}`).set(acme).expect(404);
      expect(await permissionVersion(acmeId)).toBeGreaterThan(before);
      const rows = await audit(id);
      expect(rows.map((r) => r.action)).toEqual(['create', 'delete']);
      expect(rows[1].changes).toMatchObject({ name: 'Temporary', parentId: null });
    });

    it('refuses to delete a folder that still holds anything', async () => {
      const finance = await request(t.server)
        .delete(`/api/folders/${folder('acme', 'Finance')}`)
        .set(acme)
        .expect(409);
      expect(finance.body).toMatchObject({ code: 'FOLDER_NOT_EMPTY', parameter: 'id' });
      expect(finance.body.message).toContain('subfolders');
      // Invoices holds seeded documents, no subfolders.
      const invoices = await request(t.server)
        .delete(`/api/folders/${folder('acme', 'Invoices')}`)
        .set(acme)
        .expect(409);
      expect(invoices.body.message).toContain('documents');
      expect(invoices.body.message).not.toContain('subfolders');
      const mailOnly = (await create(acme, { name: 'Mail only' }).expect(201)).body.id as number;
      await sql(
        t.db.url,
        `INSERT INTO mails (organization_id, folder_id, subject, sender, received_on)
         VALUES ($1, $2, 'Hello', 'a@b.example', now())`,
        [acmeId, mailOnly],
      );
      const mail = await request(t.server).delete(`/api/folders/${mailOnly}`).set(acme).expect(409);
      expect(mail.body.message).toMatch(/holds mails;/);
      expect(await row(mailOnly)).toBeDefined();
    });

    it('never deletes a system folder, and needs the delete grant', async () => {
      const res = await request(t.server)
        .delete(`/api/folders/${folder('acme', 'Archive')}`)
        .set(acme)
        .expect(409);
      expect(res.body).toMatchObject({ code: 'FOLDER_SYSTEM', parameter: 'id' });
      const empty = (
        await create(clerk, { name: 'Clerk empty', parentId: folder('acme', 'Finance') }).expect(
          201,
        )
      ).body.id as number;
      // Clerks hold no folder:delete.
      await request(t.server).delete(`/api/folders/${empty}`).set(clerk).expect(403);
      expect(await row(empty)).toBeDefined();
    });
  });

  it('documents its routes and error codes', async () => {
    const res = await request(t.server).get('/docs-json').expect(200);
    const paths = res.body.paths as Record<string, Record<string, { responses: object }>>;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/folders',
        '/api/folders/{id}',
        '/api/folders/columns/{column}/values',
      ]),
    );
    expect(JSON.stringify(paths['/api/folders/{id}'].patch.responses)).toContain('FOLDER_CYCLE');
    expect(JSON.stringify(paths['/api/folders/{id}'].delete.responses)).toContain(
      'FOLDER_NOT_EMPTY',
    );
  });
});
