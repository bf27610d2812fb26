import request from 'supertest';
import type { Headers, Row } from '../support/grid-json';
import { getJson, ids, pageAll } from '../support/grid-json';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';

interface Ids {
  acme: number;
  globex: number;
  acmeAdmin: number;
  acmeClerk: number;
  acmeReader: number;
  globexClerk: number;
  finance: number;
  legal: number;
  hr: number;
  acmeInbox: number;
  globexFinance: number;
}

describe('mails', () => {
  let t: TestApp;
  let platform: Headers;
  let admin: Headers;
  let clerk: Headers;
  let reader: Headers;
  let id: Ids;

  const q = <T extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
    sql<T>(t.db.url, text, params);
  const one = async (text: string, params: unknown[] = []) =>
    Number(Object.values((await q(text, params))[0])[0]);
  const expectedIds = async (where: string, params: unknown[] = []) =>
    (
      await q<{ id: number }>(
        `SELECT id FROM mails WHERE ${where} ORDER BY created_on DESC, id DESC`,
        params,
      )
    ).map((r) => Number(r.id));
  const list = (h: Headers, query: Record<string, string | number> = {}) =>
    getJson(t.server, '/api/mails', h, { limit: 500, ...query }).then((b) => b.data as Row[]);

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    const user = (email: string) => one('SELECT id FROM users WHERE email = $1', [email]);
    const folder = (org: number, name: string) =>
      one('SELECT id FROM folders WHERE organization_id = $1 AND name = $2', [org, name]);
    const acme = await one("SELECT id FROM organizations WHERE slug = 'acme'");
    const globex = await one("SELECT id FROM organizations WHERE slug = 'globex'");
    id = {
      acme,
      globex,
      acmeAdmin: await user('admin@acme.example'),
      acmeClerk: await user('clerk@acme.example'),
      acmeReader: await user('finance@acme.example'),
      globexClerk: await user('clerk@globex.example'),
      finance: await folder(acme, 'Finance'),
      legal: await folder(acme, 'Legal'),
      hr: await folder(acme, 'HR'),
      acmeInbox: await folder(acme, 'Inbox'),
      globexFinance: await folder(globex, 'Finance'),
    };
    // The finance readers may view mail too (before anyone signs in: no cached access).
    await q(
      `INSERT INTO role_entity_permissions (role_id, entity_type, action)
       SELECT id, 'mail', 'view' FROM roles WHERE name = 'Finance readers' AND organization_id = $1`,
      [acme],
    );
    await q(
      `INSERT INTO role_tab_permissions (role_id, tab)
       SELECT id, 'mail' FROM roles WHERE name = 'Finance readers' AND organization_id = $1`,
      [acme],
    );
    platform = await login(t.server, ADMIN.email, ADMIN.password);
    admin = await login(t.server, 'admin@acme.example');
    clerk = await login(t.server, 'clerk@acme.example');
    reader = await login(t.server, 'finance@acme.example');
  }, 60_000);
  afterAll(async () => t.close());

  it('documents its routes and bodies in OpenAPI', async () => {
    const doc = (await request(t.server).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    for (const path of [
      '/api/mails',
      '/api/mails/columns',
      '/api/mails/columns/{column}/values',
      '/api/mails/{id}',
      '/api/mails/{id}/assign',
      '/api/mails/{id}/assignees',
      '/api/mails/{id}/unassign',
      '/api/mails/{id}/status',
      '/api/inbox',
      '/api/inbox/columns/{column}/values',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(Object.keys(doc.paths['/api/mails/{id}'])).toEqual(
      expect.arrayContaining(['get', 'patch', 'delete']),
    );
    expect(Object.keys(doc.components.schemas.AssignMailDto.properties)).toEqual(
      expect.arrayContaining(['userId', 'version']),
    );
    expect(Object.keys(doc.components.schemas.UpdateMailDto.properties).sort()).toEqual([
      'folderId',
      'priority',
      'sender',
      'subject',
      'version',
    ]);
  });

  describe('grid', () => {
    it('lists newest first with labels, served in the default sort', async () => {
      const body = await getJson(t.server, '/api/mails', admin);
      expect(body.sort).toEqual([
        { column: 'createdOn', direction: 'desc' },
        { column: 'id', direction: 'desc' },
      ]);
      const rows = body.data as Row[];
      expect(ids(rows)).toEqual(await expectedIds('organization_id = $1', [id.acme]));
      const assigned = rows.find((r) => r.assignedTo === id.acmeClerk);
      expect(assigned).toMatchObject({
        assigneeName: 'Acme Logistics Clerk',
        assignedBy: id.acmeAdmin,
        assignedByName: 'Acme Logistics Admin',
        folderName: 'Inbox',
        organizationName: 'Acme Logistics',
      });
      expect(rows.some((r) => r.batchName === 'Morning scan run')).toBe(true);
    });

    it('describes its columns', async () => {
      const res = await request(t.server).get('/api/mails/columns').set(admin).expect(200);
      const cols = res.body as { key: string; searchable: boolean; labelKey?: string }[];
      expect(cols.find((c) => c.key === 'sender')).toMatchObject({ searchable: true });
      expect(cols.find((c) => c.key === 'assignedTo')).toMatchObject({
        labelKey: 'assigneeName',
      });
      expect(cols.find((c) => c.key === 'assignedBy')).toMatchObject({
        labelKey: 'assignedByName',
      });
    });

    it.each([
      ['text contains', { 'filter[subject][contains]': 'invoice' }, "subject ILIKE '%invoice%'"],
      ['text startsWith', { 'filter[sender][startsWith]': 'legal@' }, "sender LIKE 'legal@%'"],
      ['text eq', { 'filter[sender]': 'hr@payroll.example' }, "sender = 'hr@payroll.example'"],
      ['enum in', { 'filter[priority][in]': 'high,urgent' }, "priority IN ('high', 'urgent')"],
      ['enum ne', { 'filter[status][ne]': 'new' }, "status <> 'new'"],
      ['reference isNull', { 'filter[batchId][isNull]': 'true' }, 'batch_id IS NULL'],
      [
        'quick search',
        { search: 'REMINDER' },
        "(subject ILIKE '%reminder%' OR sender ILIKE '%reminder%')",
      ],
    ])('filters: %s', async (_name, query, where) => {
      const got = ids(await list(admin, query));
      const want = await expectedIds(`organization_id = $1 AND ${where}`, [id.acme]);
      expect(want.length).toBeGreaterThan(0);
      expect(got).toEqual(want);
    });

    it('filters: reference eq, with its label', async () => {
      const rows = await list(admin, { 'filter[folderId]': id.finance });
      expect(rows).toHaveLength(10);
      expect(rows.every((r) => r.folderName === 'Finance')).toBe(true);
    });

    it('filters: datetime between and integer gt', async () => {
      const [{ lo, hi }] = await q<{ lo: string; hi: string }>(
        `SELECT to_char((now() - interval '100 hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS lo,
                to_char((now() - interval '20 hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS hi`,
      );
      const between = ids(await list(admin, { 'filter[receivedOn][between]': `${lo},${hi}` }));
      expect(between).toEqual(
        await expectedIds('organization_id = $1 AND received_on BETWEEN $2 AND $3', [
          id.acme,
          lo,
          hi,
        ]),
      );
      expect(between.length).toBeGreaterThan(3);
      const pivot = between[2];
      const gt = ids(await list(admin, { 'filter[id][gt]': pivot }));
      expect(gt).toEqual(await expectedIds('organization_id = $1 AND id > $2', [id.acme, pivot]));
    });

    it('pages through everything by cursor, in the same order as one page', async () => {
      const all = await pageAll(t.server, '/api/mails', platform, {}, 7);
      expect(ids(all)).toEqual(await expectedIds('TRUE'));
      expect(new Set(ids(all)).size).toBe(60);
      const sorted = await pageAll(
        t.server,
        '/api/mails',
        admin,
        { sort: 'priority,-receivedOn' },
        4,
      );
      const once = await list(admin, { sort: 'priority,-receivedOn' });
      expect(ids(sorted)).toEqual(ids(once));
    });

    it.each([
      [{ sort: 'nope' }, 'sort', 'GRID_UNKNOWN_COLUMN'],
      [{ sort: 'version' }, 'sort', 'GRID_NOT_SORTABLE'],
      [{ 'filter[status]': 'lost' }, 'filter[status]', 'GRID_INVALID_VALUE'],
      [{ 'filter[subject][gt]': 'a' }, 'filter[subject][gt]', 'GRID_OPERATOR_NOT_ALLOWED'],
      [{ 'filter[version]': '1' }, 'filter[version]', 'GRID_NOT_FILTERABLE'],
      [{ 'filter[receivedOn][gte]': 'yesterday' }, 'filter[receivedOn][gte]', 'GRID_INVALID_VALUE'],
      [{ cursor: 'garbage' }, 'cursor', 'GRID_INVALID_CURSOR'],
      [{ limit: '0' }, 'limit', 'GRID_INVALID_LIMIT'],
      [{ limit: '501' }, 'limit', 'GRID_INVALID_LIMIT'],
      [{ count: 'all' }, 'count', 'GRID_INVALID_COUNT'],
      [{ page: '2' }, 'page', 'GRID_UNKNOWN_PARAMETER'],
    ])('rejects %j naming the parameter', async (query, parameter, code) => {
      const res = await request(t.server).get('/api/mails').query(query).set(admin).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code, parameter });
    });

    it('keeps injection attempts inert', async () => {
      const rows = await list(admin, {
        'filter[subject][contains]': "x' OR 1=1 --",
        search: "'; DROP TABLE mails; --",
      });
      expect(rows).toEqual([]);
      expect(await one('SELECT count(*) FROM mails')).toBe(60);
    });

    it('discovers values without the column’s own filter, under the others', async () => {
      const body = await getJson(t.server, '/api/mails/columns/status/values', admin, {
        'filter[status]': 'new',
        'filter[priority]': 'urgent',
      });
      const data = body.data as { value: string; label: string; count: number }[];
      expect(data.length).toBeGreaterThan(1);
      const want = await q<{ status: string; n: number }>(
        `SELECT status, count(*)::int AS n FROM mails WHERE organization_id = $1 AND priority = 'urgent'
         GROUP BY status`,
        [id.acme],
      );
      expect(Object.fromEntries(data.map((d) => [d.value, d.count]))).toEqual(
        Object.fromEntries(want.map((w) => [w.status, w.n])),
      );
      const folders = await getJson(t.server, '/api/mails/columns/folderId/values', admin);
      expect((folders.data as { label: string }[]).map((d) => d.label).sort()).toEqual([
        'Finance',
        'Inbox',
        'Legal',
      ]);
      const assignees = await getJson(t.server, '/api/mails/columns/assignedTo/values', admin);
      expect(assignees.data).toContainEqual({
        value: id.acmeClerk,
        label: 'Acme Logistics Clerk',
        count: 10,
      });
    });
  });

  describe('tenancy and folder scope', () => {
    it('keeps another organization out of list, item, values and counts', async () => {
      const rows = await list(admin);
      expect(rows.every((r) => r.organizationId === id.acme)).toBe(true);
      const foreign = await one('SELECT min(id) FROM mails WHERE organization_id = $1', [
        id.globex,
      ]);
      await request(t.server).get(`/api/mails/${foreign}`).set(admin).expect(404);
      await request(t.server)
        .patch(`/api/mails/${foreign}`)
        .send({ subject: 'mine now', version: 1 })
        .set(admin)
        .expect(404);
      const orgs = await getJson(t.server, '/api/mails/columns/organizationId/values', admin);
      expect(orgs.data).toEqual([{ value: id.acme, label: 'Acme Logistics', count: 30 }]);
      const counted = await getJson(t.server, '/api/mails', admin, { count: 'exact', limit: 1 });
      expect(counted.total).toEqual({ value: 30, exact: true });
      const all = await getJson(t.server, '/api/mails', platform, { count: 'exact', limit: 1 });
      expect(all.total).toEqual({ value: 60, exact: true });
    });

    it('shows a finance reader Finance and system-folder mail, unfiled mail and their own assignments', async () => {
      const unfiled = await request(t.server)
        .post('/api/mails')
        .send({ subject: 'Unfiled letter', sender: 'someone@example.org' })
        .set(admin)
        .expect(201);
      const legalMail = await one(
        'SELECT min(id) FROM mails WHERE organization_id = $1 AND folder_id = $2',
        [id.acme, id.legal],
      );
      // The reader may not read Legal mail by his own rights, so it cannot be given to him
      // now; mail assigned before a folder move (or a grant taken back) stays his to read.
      await request(t.server)
        .post(`/api/mails/${legalMail}/assign`)
        .send({ userId: id.acmeReader })
        .set(admin)
        .expect(422);
      await q(
        `UPDATE mails SET assigned_to = $2, assigned_by = $3, assigned_on = now(), status = 'assigned'
         WHERE id = $1`,
        [legalMail, id.acmeReader, id.acmeAdmin],
      );

      const seen = ids(await pageAll(t.server, '/api/mails', reader, {}, 9));
      const want = await expectedIds(
        `organization_id = $1 AND (folder_id = ANY($2::bigint[]) OR folder_id IS NULL OR assigned_to = $3)`,
        [id.acme, [id.finance, id.acmeInbox], id.acmeReader],
      );
      expect(seen).toEqual(want);
      expect(seen).toContain(unfiled.body.id);
      expect(seen).toContain(legalMail);
      const otherLegal = await one(
        'SELECT max(id) FROM mails WHERE organization_id = $1 AND folder_id = $2 AND assigned_to IS DISTINCT FROM $3',
        [id.acme, id.legal, id.acmeReader],
      );
      expect(seen).not.toContain(otherLegal);
      await request(t.server).get(`/api/mails/${otherLegal}`).set(reader).expect(404);
      await request(t.server).get(`/api/mails/${legalMail}`).set(reader).expect(200);
      const folders = await getJson(t.server, '/api/mails/columns/folderId/values', reader);
      expect((folders.data as { value: number | null }[]).map((d) => d.value)).not.toContain(id.hr);
      const counted = await getJson(t.server, '/api/mails', reader, { count: 'exact', limit: 1 });
      expect(counted.total).toEqual({ value: want.length, exact: true });
    });

    it('refuses the grid to users without mail rights', async () => {
      const globexReader = await login(t.server, 'finance@globex.example');
      const res = await request(t.server).get('/api/mails').set(globexReader).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });

  describe('changes', () => {
    it('creates, updates with the version, refuses a stale version and deletes, auditing each', async () => {
      const created = await request(t.server)
        .post('/api/mails')
        .send({
          subject: '  Parking fine  ',
          sender: 'city@town.example',
          priority: 'high',
          folderId: id.finance,
          receivedOn: '2025-03-01T08:00:00Z',
        })
        .set(clerk)
        .expect(201);
      const mail = created.body as Row;
      expect(mail).toMatchObject({
        subject: 'Parking fine',
        status: 'new',
        priority: 'high',
        folderId: id.finance,
        folderName: 'Finance',
        organizationId: id.acme,
        assignedTo: null,
        version: 1,
      });
      const mailId = Number(mail.id);

      const updated = await request(t.server)
        .patch(`/api/mails/${mailId}`)
        .send({ subject: 'Parking fine (paid)', folderId: id.legal, version: 1 })
        .set(clerk)
        .expect(200);
      expect(updated.body).toMatchObject({
        subject: 'Parking fine (paid)',
        folderName: 'Legal',
        version: 2,
      });

      const stale = await request(t.server)
        .patch(`/api/mails/${mailId}`)
        .send({ subject: 'lost update', version: 1 })
        .set(clerk)
        .expect(409);
      expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', parameter: 'version' });

      const unfiled = await request(t.server)
        .patch(`/api/mails/${mailId}`)
        .send({ folderId: null, version: 2 })
        .set(clerk)
        .expect(200);
      expect(unfiled.body).toMatchObject({ folderId: null, version: 3 });

      await request(t.server).delete(`/api/mails/${mailId}`).set(clerk).expect(403);
      await request(t.server).delete(`/api/mails/${mailId}`).set(admin).expect(204);
      await request(t.server).get(`/api/mails/${mailId}`).set(admin).expect(404);

      const audit = await q<{ action: string; actor_id: number; changes: Record<string, unknown> }>(
        `SELECT action, actor_id, changes FROM audit_log WHERE entity_type = 'mail' AND entity_id = $1 ORDER BY id`,
        [mailId],
      );
      expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update', 'delete']);
      expect(audit[1].changes).toMatchObject({
        subject: { from: 'Parking fine', to: 'Parking fine (paid)' },
        folderId: { from: id.finance, to: id.legal },
      });
      expect(audit[3].actor_id).toBe(id.acmeAdmin);
    });

    it.each([
      [{ sender: 'a@b.example' }, 'subject'],
      [{ subject: '   ', sender: 'a@b.example' }, 'subject'],
      [{ subject: 'x', sender: 'a@b.example', priority: 'asap' }, 'priority'],
      [{ subject: 'x', sender: 'a@b.example', receivedOn: 'monday' }, 'receivedOn'],
      [{ subject: 'x', sender: 'a@b.example', folderId: 'Finance' }, 'folderId'],
      [{ subject: 'x', sender: 'a@b.example', colour: 'red' }, 'colour'],
    ])('rejects %j naming the field', async (body, field) => {
      const res = await request(t.server).post('/api/mails').send(body).set(clerk).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', parameter: field });
    });

    it('files only where the caller may, and only in their organization', async () => {
      const hr = await request(t.server)
        .post('/api/mails')
        .send({ subject: 'Salary', sender: 'a@b.example', folderId: id.hr })
        .set(clerk)
        .expect(400);
      // A folder the clerk cannot see is answered as one that does not exist.
      expect(hr.body).toMatchObject({ code: 'FOLDER_NOT_FOUND', parameter: 'folderId' });
      const foreign = await request(t.server)
        .post('/api/mails')
        .send({ subject: 'x', sender: 'a@b.example', folderId: id.globexFinance })
        .set(clerk)
        .expect(400);
      expect(foreign.body).toMatchObject({ code: 'FOLDER_NOT_FOUND', parameter: 'folderId' });
      const otherOrg = await request(t.server)
        .post('/api/mails')
        .send({ subject: 'x', sender: 'a@b.example', organizationId: id.globex })
        .set(clerk)
        .expect(403);
      expect(otherOrg.body).toMatchObject({ code: 'FORBIDDEN', parameter: 'organizationId' });
      await request(t.server)
        .post('/api/mails')
        .send({ subject: 'x', sender: 'a@b.example' })
        .set(reader)
        .expect(403);
    });

    it('lets a platform administrator enter mail for a named organization', async () => {
      const none = await request(t.server)
        .post('/api/mails')
        .send({ subject: 'x', sender: 'a@b.example' })
        .set(platform)
        .expect(400);
      expect(none.body.parameter).toBe('organizationId');
      const res = await request(t.server)
        .post('/api/mails')
        .send({ subject: 'From the platform', sender: 'a@b.example', organizationId: id.globex })
        .set(platform)
        .expect(201);
      expect(res.body).toMatchObject({ organizationId: id.globex, folderId: null });
    });

    it('writes the change and its audit row in one transaction', async () => {
      // The audit insert fails for this subject: the mail inserted before it must go too.
      await q(
        `ALTER TABLE audit_log ADD CONSTRAINT test_audit_refuses
         CHECK (changes->>'subject' IS DISTINCT FROM 'audit-must-fail')`,
      );
      try {
        const res = await request(t.server)
          .post('/api/mails')
          .send({ subject: 'audit-must-fail', sender: 'a@b.example' })
          .set(clerk);
        expect(res.status).toBeGreaterThanOrEqual(400);
      } finally {
        await q('ALTER TABLE audit_log DROP CONSTRAINT test_audit_refuses');
      }
      expect(await one("SELECT count(*) FROM mails WHERE subject = 'audit-must-fail'")).toBe(0);
    });
  });

  describe('assignment and workflow', () => {
    let mailId: number;
    beforeAll(async () => {
      mailId = await one(
        "SELECT min(id) FROM mails WHERE organization_id = $1 AND status = 'new' AND folder_id = $2",
        [id.acme, id.finance],
      );
    });

    it('assigns: sets assignee, assigner and time, and moves new to assigned', async () => {
      const before = await getJson(t.server, `/api/mails/${mailId}`, admin);
      const res = await request(t.server)
        .post(`/api/mails/${mailId}/assign`)
        .send({ userId: id.acmeClerk, version: before.version })
        .set(admin)
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'assigned',
        assignedTo: id.acmeClerk,
        assigneeName: 'Acme Logistics Clerk',
        assignedBy: id.acmeAdmin,
        assignedByName: 'Acme Logistics Admin',
        version: Number(before.version) + 1,
      });
      // now() of the assignment's transaction, the same instant as the row's update.
      expect(res.body.assignedOn).toBe(res.body.updatedOn);
      expect(Date.parse(String(res.body.assignedOn))).toBeGreaterThan(
        Date.parse(String(before.updatedOn)),
      );
      const inbox = ids(await pageAll(t.server, '/api/inbox', clerk));
      expect(inbox).toContain(mailId);
      const [audit] = await q<{ changes: Record<string, unknown> }>(
        `SELECT changes FROM audit_log WHERE entity_type = 'mail' AND entity_id = $1 AND action = 'assign'`,
        [mailId],
      );
      expect(audit.changes).toEqual({
        assignedTo: { from: null, to: id.acmeClerk },
        status: { from: 'new', to: 'assigned' },
      });
    });

    it('refuses assignees outside the organization or inactive, naming userId', async () => {
      const foreign = await request(t.server)
        .post(`/api/mails/${mailId}/assign`)
        .send({ userId: id.globexClerk })
        .set(admin)
        .expect(400);
      expect(foreign.body).toMatchObject({ code: 'VALIDATION_ASSIGNEE', parameter: 'userId' });
      expect(foreign.body.message).toContain(String(id.globexClerk));
      await q("UPDATE users SET is_active = false WHERE email = 'admin@globex.example'");
      const [{ id: inactive }] = await q<{ id: number }>(
        `INSERT INTO users (organization_id, email, display_name, password_hash, is_active)
         VALUES ($1, 'gone@acme.example', 'Gone', 'x', false) RETURNING id`,
        [id.acme],
      );
      const res = await request(t.server)
        .post(`/api/mails/${mailId}/assign`)
        .send({ userId: inactive })
        .set(admin)
        .expect(400);
      expect(res.body.parameter).toBe('userId');
      await request(t.server)
        .post(`/api/mails/${mailId}/assign`)
        .send({ userId: 99999999 })
        .set(admin)
        .expect(400);
    });

    it('needs mail:assign, and refuses platform administrators (no organization to assign from)', async () => {
      await request(t.server)
        .post(`/api/mails/${mailId}/assign`)
        .send({ userId: id.acmeClerk })
        .set(reader)
        .expect(403);
      const res = await request(t.server)
        .post(`/api/mails/${mailId}/assign`)
        .send({ userId: id.acmeClerk })
        .set(platform)
        .expect(403);
      expect(res.body.code).toBe('MAIL_ASSIGNER_NOT_MEMBER');
    });

    it('moves through the workflow and refuses other transitions with 409 naming from and to', async () => {
      const skip = await request(t.server)
        .post(`/api/mails/${mailId}/status`)
        .send({ status: 'done' })
        .set(clerk)
        .expect(409);
      expect(skip.body).toMatchObject({ code: 'MAIL_TRANSITION_NOT_ALLOWED', parameter: 'status' });
      expect(skip.body.message).toContain('from assigned to done');

      const started = await request(t.server)
        .post(`/api/mails/${mailId}/status`)
        .send({ status: 'in_progress' })
        .set(clerk)
        .expect(200);
      expect(started.body.status).toBe('in_progress');
      const stale = await request(t.server)
        .post(`/api/mails/${mailId}/status`)
        .send({ status: 'done', version: 1 })
        .set(clerk)
        .expect(409);
      expect(stale.body.code).toBe('VERSION_CONFLICT');
      await request(t.server)
        .post(`/api/mails/${mailId}/status`)
        .send({ status: 'done', version: started.body.version })
        .set(clerk)
        .expect(200);
      const back = await request(t.server)
        .post(`/api/mails/${mailId}/status`)
        .send({ status: 'new' })
        .set(clerk)
        .expect(409);
      expect(back.body.message).toContain('from done to new');
      const reassign = await request(t.server)
        .post(`/api/mails/${mailId}/assign`)
        .send({ userId: id.acmeAdmin })
        .set(admin)
        .expect(409);
      expect(reassign.body.code).toBe('MAIL_TRANSITION_NOT_ALLOWED');
      await request(t.server)
        .post(`/api/mails/${mailId}/status`)
        .send({ status: 'archived' })
        .set(clerk)
        .expect(200);
      const bad = await request(t.server)
        .post(`/api/mails/${mailId}/status`)
        .send({ status: 'lost' })
        .set(clerk)
        .expect(400);
      expect(bad.body.parameter).toBe('status');
      const actions = await q<{ action: string }>(
        `SELECT action FROM audit_log WHERE entity_type = 'mail' AND entity_id = $1 ORDER BY id`,
        [mailId],
      );
      expect(actions.map((a) => a.action)).toEqual(['assign', 'status', 'status', 'status']);
    });

    it('unassigns open work back to new and refuses it otherwise', async () => {
      const open = await one(
        "SELECT min(id) FROM mails WHERE organization_id = $1 AND status = 'assigned'",
        [id.acme],
      );
      const res = await request(t.server)
        .post(`/api/mails/${open}/unassign`)
        .set(admin)
        .expect(200);
      expect(res.body).toMatchObject({
        status: 'new',
        assignedTo: null,
        assignedBy: null,
        assignedOn: null,
      });
      const again = await request(t.server)
        .post(`/api/mails/${open}/unassign`)
        .set(admin)
        .expect(409);
      expect(again.body.code).toBe('MAIL_TRANSITION_NOT_ALLOWED');
      expect(again.body.message).toContain('from new to new');
    });

    it('lets the assignee move their own mail without mail:edit', async () => {
      const target = await one(
        "SELECT max(id) FROM mails WHERE organization_id = $1 AND folder_id = $2 AND status = 'new'",
        [id.acme, id.finance],
      );
      await request(t.server)
        .post(`/api/mails/${target}/assign`)
        .send({ userId: id.acmeReader })
        .set(admin)
        .expect(200);
      const res = await request(t.server)
        .post(`/api/mails/${target}/status`)
        .send({ status: 'in_progress' })
        .set(reader)
        .expect(200);
      expect(res.body.status).toBe('in_progress');
      const other = await one(
        "SELECT min(id) FROM mails WHERE organization_id = $1 AND folder_id = $2 AND status = 'new'",
        [id.acme, id.finance],
      );
      await request(t.server)
        .post(`/api/mails/${other}/status`)
        .send({ status: 'in_progress' })
        .set(reader)
        .expect(403);
    });
  });
});
