import request from 'supertest';
import type { Headers, Row } from '../support/grid-json';
import { getJson, ids, pageAll } from '../support/grid-json';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';
import { BatchService } from '../../src/modules/batch/batch.service';

const items = (n: number, extra: (i: number) => Record<string, unknown> = () => ({})) =>
  Array.from({ length: n }, (_, i) => ({
    subject: `Letter ${i}`,
    sender: `sender${i % 7}@post.example`,
    ...extra(i),
  }));

describe('batches', () => {
  let t: TestApp;
  let platform: Headers;
  let admin: Headers;
  let clerk: Headers;
  let globexAdmin: Headers;
  let ids0: { acme: number; globex: number; clerk: number; finance: number; hr: number };

  const one = async (text: string, params: unknown[] = []) =>
    Number(Object.values((await sql(t.db.url, text, params))[0])[0]);
  const expectedIds = async (where: string, params: unknown[] = []) =>
    (
      await sql<{ id: number }>(
        t.db.url,
        `SELECT id FROM batches WHERE ${where} ORDER BY created_on DESC, id DESC`,
        params,
      )
    ).map((r) => Number(r.id));
  const create = (h: Headers, body: Record<string, unknown>) =>
    request(t.server).post('/api/batches').send(body).set(h);

  beforeAll(async () => {
    // The api role stores and enqueues batches but processes none: what this file
    // checks is the batches API itself, with batches that stay as they were made.
    t = await startTestApp({ APP_ROLE: 'api' });
    await seedDemo(t.db.url);
    const acme = await one("SELECT id FROM organizations WHERE slug = 'acme'");
    ids0 = {
      acme,
      globex: await one("SELECT id FROM organizations WHERE slug = 'globex'"),
      clerk: await one("SELECT id FROM users WHERE email = 'clerk@acme.example'"),
      finance: await one("SELECT id FROM folders WHERE organization_id = $1 AND name = 'Finance'", [
        acme,
      ]),
      hr: await one("SELECT id FROM folders WHERE organization_id = $1 AND name = 'HR'", [acme]),
    };
    platform = await login(t.server, ADMIN.email, ADMIN.password);
    admin = await login(t.server, 'admin@acme.example');
    clerk = await login(t.server, 'clerk@acme.example');
    globexAdmin = await login(t.server, 'admin@globex.example');
    // A few more batches in both organizations, in several states.
    for (const [h, name, source] of [
      [clerk, 'Afternoon scan run', 'scan'],
      [clerk, 'Supplier e-mails', 'email'],
      [admin, 'Portal uploads', 'upload'],
      [globexAdmin, 'Court filings', 'upload'],
    ] as const) {
      await create(h, { name, source, items: items(3) }).expect(201);
    }
    await sql(
      t.db.url,
      `UPDATE batches SET status = 'failed', attempts = 3, last_error = 'OCR service timed out',
              finished_on = now() WHERE name = 'Portal uploads'`,
    );
  }, 60_000);
  afterAll(async () => t.close());

  it('documents its routes and the nested item body in OpenAPI', async () => {
    const doc = (await request(t.server).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    for (const path of ['/api/batches', '/api/batches/{id}', '/api/batches/{id}/cancel']) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.components.schemas.CreateBatchDto.properties.items).toMatchObject({
      type: 'array',
      maxItems: 10_000,
    });
    expect(Object.keys(doc.components.schemas.BatchItemDto.properties)).toEqual(
      expect.arrayContaining(['subject', 'sender', 'documentTypeId', 'folderId']),
    );
  });

  describe('grid', () => {
    it('lists newest first with the creator’s name', async () => {
      const body = await getJson(t.server, '/api/batches', admin);
      const rows = body.data as Row[];
      expect(ids(rows)).toEqual(await expectedIds('organization_id = $1', [ids0.acme]));
      expect(rows[0]).toMatchObject({
        name: 'Portal uploads',
        createdByName: 'Acme Logistics Admin',
        organizationName: 'Acme Logistics',
      });
      expect(body.sort).toEqual([
        { column: 'createdOn', direction: 'desc' },
        { column: 'id', direction: 'desc' },
      ]);
    });

    it.each([
      ['enum eq', { 'filter[status]': 'queued' }, "status = 'queued'"],
      ['enum in', { 'filter[source][in]': 'email,upload' }, "source IN ('email', 'upload')"],
      ['text contains', { 'filter[name][contains]': 'SCAN' }, "name ILIKE '%scan%'"],
      ['integer gte', { 'filter[itemCount][gte]': '5' }, 'item_count >= 5'],
      ['integer between', { 'filter[attempts][between]': '1,3' }, 'attempts BETWEEN 1 AND 3'],
      ['datetime isNull', { 'filter[finishedOn][isNull]': 'true' }, 'finished_on IS NULL'],
      ['text isNull false', { 'filter[lastError][isNull]': 'false' }, 'last_error IS NOT NULL'],
      [
        'search',
        { search: 'timed out' },
        "(name ILIKE '%timed out%' OR last_error ILIKE '%timed out%')",
      ],
    ])('filters: %s', async (_n, query, where) => {
      const rows = (await getJson(t.server, '/api/batches', admin, query)).data as Row[];
      const want = await expectedIds(`organization_id = $1 AND ${where}`, [ids0.acme]);
      expect(want.length).toBeGreaterThan(0);
      expect(ids(rows)).toEqual(want);
    });

    it('filters on the creator (a reference) and discovers creators with labels', async () => {
      const rows = (
        await getJson(t.server, '/api/batches', admin, { 'filter[createdBy]': ids0.clerk })
      ).data as Row[];
      expect(ids(rows)).toEqual(
        await expectedIds('organization_id = $1 AND created_by = $2', [ids0.acme, ids0.clerk]),
      );
      const values = await getJson(t.server, '/api/batches/columns/createdBy/values', admin, {
        'filter[createdBy]': ids0.clerk,
      });
      expect((values.data as { label: string }[]).map((d) => d.label).sort()).toEqual([
        'Acme Logistics Admin',
        'Acme Logistics Clerk',
      ]);
    });

    it('discovers statuses under the other filters, not its own', async () => {
      const body = await getJson(t.server, '/api/batches/columns/status/values', admin, {
        'filter[status]': 'queued',
        'filter[source]': 'upload',
      });
      expect(body.data).toEqual([{ value: 'failed', label: 'Failed', count: 1 }]);
    });

    it('pages through everything by cursor', async () => {
      const all = await pageAll(t.server, '/api/batches', platform, {}, 2);
      expect(ids(all)).toEqual(await expectedIds('TRUE'));
    });

    it('keeps tenants apart in list, item, values and counts', async () => {
      const counted = await getJson(t.server, '/api/batches', admin, { count: 'exact' });
      expect(counted.total).toEqual({ value: 4, exact: true });
      expect((counted.data as Row[]).every((r) => r.organizationId === ids0.acme)).toBe(true);
      const foreign = await one('SELECT min(id) FROM batches WHERE organization_id = $1', [
        ids0.globex,
      ]);
      await request(t.server).get(`/api/batches/${foreign}`).set(admin).expect(404);
      await request(t.server).post(`/api/batches/${foreign}/cancel`).set(admin).expect(404);
      const orgs = await getJson(t.server, '/api/batches/columns/organizationId/values', admin);
      expect(orgs.data).toEqual([{ value: ids0.acme, label: 'Acme Logistics', count: 4 }]);
    });

    it.each([
      [{ sort: 'version' }, 'sort'],
      [{ 'filter[source]': 'fax' }, 'filter[source]'],
      [{ 'filter[itemCount][contains]': '1' }, 'filter[itemCount][contains]'],
      [{ offset: '-1' }, 'offset'],
      [{ cursor: '!!' }, 'cursor'],
    ])('rejects %j naming the parameter', async (query, parameter) => {
      const res = await request(t.server).get('/api/batches').query(query).set(admin).expect(400);
      expect(res.body.parameter).toBe(parameter);
    });
  });

  describe('create', () => {
    it('stores a batch of 1,000 items with all its items in one request, pending', async () => {
      const hook = jest.spyOn(t.app.get(BatchService), 'afterCreate');
      const res = await create(clerk, {
        name: 'Big scan run',
        source: 'scan',
        items: items(1000, (i) =>
          i % 10 === 0
            ? { priority: 'high', folderId: ids0.finance, documentTitle: `Invoice ${i}` }
            : {},
        ),
      }).expect(201);
      const batchId = Number(res.body.id);
      expect(res.body).toMatchObject({
        name: 'Big scan run',
        status: 'queued',
        itemCount: 1000,
        processedCount: 0,
        createdBy: ids0.clerk,
        progress: { processed: 0, failed: 0, remaining: 1000, percent: 0 },
      });
      expect(hook).toHaveBeenCalledWith(batchId);
      hook.mockRestore();
      const [stored] = await sql<{ n: number; lo: number; hi: number; distinct_seq: number }>(
        t.db.url,
        `SELECT count(*)::int AS n, min(seq) AS lo, max(seq) AS hi, count(DISTINCT seq)::int AS distinct_seq
         FROM batch_items WHERE batch_id = $1 AND status = 'pending' AND organization_id = $2`,
        [batchId, ids0.acme],
      );
      expect(stored).toEqual({ n: 1000, lo: 0, hi: 999, distinct_seq: 1000 });
      const [tenth] = await sql<{ payload: Record<string, unknown> }>(
        t.db.url,
        'SELECT payload FROM batch_items WHERE batch_id = $1 AND seq = 10',
        [batchId],
      );
      expect(tenth.payload).toEqual({
        subject: 'Letter 10',
        sender: 'sender3@post.example',
        priority: 'high',
        folderId: ids0.finance,
        documentTitle: 'Invoice 10',
      });
      expect(
        await one(
          "SELECT count(*) FROM audit_log WHERE entity_type = 'batch' AND entity_id = $1 AND action = 'create'",
          [batchId],
        ),
      ).toBe(1);
    });

    it('takes the full 10,000 items of realistic size, above the general body limit', async () => {
      const full = items(10_000, (i) => ({
        subject: `Invoice 2025-${i} from a supplier of office furniture`,
        priority: 'normal',
        receivedOn: '2025-03-01T08:00:00Z',
      }));
      const body = JSON.stringify({ name: 'Ten thousand', source: 'scan', items: full });
      expect(body.length).toBeGreaterThan(t.cfg.http.bodyLimitBytes);
      const res = await request(t.server)
        .post('/api/batches')
        .set(clerk)
        .set('content-type', 'application/json')
        .send(body)
        .expect(201);
      expect(res.body.itemCount).toBe(10_000);
      // Stored in parts of ITEMS_PER_PART: numbered 0…9,999 across them, each item at its place.
      const [stored] = await sql<{ n: number; lo: number; hi: number; distinct_seq: number }>(
        t.db.url,
        `SELECT count(*)::int AS n, min(seq) AS lo, max(seq) AS hi, count(DISTINCT seq)::int AS distinct_seq
         FROM batch_items WHERE batch_id = $1`,
        [res.body.id],
      );
      expect(stored).toEqual({ n: 10_000, lo: 0, hi: 9_999, distinct_seq: 10_000 });
      const placed = await sql<{ seq: number; subject: string }>(
        t.db.url,
        `SELECT seq, payload->>'subject' AS subject FROM batch_items
         WHERE batch_id = $1 AND seq IN (0, 999, 1000, 5555, 9999) ORDER BY seq`,
        [res.body.id],
      );
      expect(placed.map((p) => p.subject)).toEqual(
        [0, 999, 1000, 5555, 9999].map(
          (i) => `Invoice 2025-${i} from a supplier of office furniture`,
        ),
      );
      // Other routes keep the general limit.
      const big = await request(t.server)
        .post('/api/mails')
        .set(clerk)
        .set('content-type', 'application/json')
        .send(JSON.stringify({ subject: 'x'.repeat(t.cfg.http.bodyLimitBytes), sender: 'a' }))
        .expect(413);
      expect(big.body.statusCode).toBe(413);
    }, 60_000);

    it.each([
      [{ items: items(5, (i) => (i === 3 ? { subject: undefined } : {})) }, 'items.3.subject'],
      [{ items: items(5, (i) => (i === 2 ? { sender: '' } : {})) }, 'items.2.sender'],
      [{ items: items(5, (i) => (i === 4 ? { priority: 'asap' } : {})) }, 'items.4.priority'],
      [{ items: items(5, (i) => (i === 1 ? { receivedOn: 'today' } : {})) }, 'items.1.receivedOn'],
      [{ items: items(5, (i) => (i === 0 ? { folderId: -1 } : {})) }, 'items.0.folderId'],
      [{ items: items(5, (i) => (i === 2 ? { pages: 3 } : {})) }, 'items.2.pages'],
      [{ items: [] }, 'items'],
      [{ items: 'many' }, 'items'],
      [{ items: items(10_001) }, 'items'],
      [{ items: items(2), source: 'fax' }, 'source'],
      [{ items: items(2), name: ' ' }, 'name'],
    ])('stores nothing for an invalid batch, naming the field (%#)', async (patch, field) => {
      const before = await one('SELECT count(*) FROM batch_items');
      const batches = await one('SELECT count(*) FROM batches');
      const res = await create(clerk, { name: 'Broken', source: 'scan', ...patch }).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', parameter: field });
      expect(await one('SELECT count(*) FROM batch_items')).toBe(before);
      expect(await one('SELECT count(*) FROM batches')).toBe(batches);
    });

    it('checks the folders and document types items name, once per distinct id', async () => {
      const hr = await create(clerk, {
        name: 'Into HR',
        source: 'scan',
        items: items(4, (i) => (i >= 2 ? { folderId: ids0.hr } : { folderId: ids0.finance })),
      }).expect(400);
      // HR is not the clerk's to see: answered as a folder that does not exist.
      expect(hr.body).toMatchObject({ code: 'FOLDER_NOT_FOUND', parameter: 'items.2.folderId' });
      const type = await create(clerk, {
        name: 'Unknown type',
        source: 'scan',
        items: items(4, (i) => (i === 3 ? { documentTypeId: 999999 } : {})),
      }).expect(400);
      expect(type.body).toMatchObject({
        code: 'VALIDATION_REFERENCE',
        parameter: 'items.3.documentTypeId',
      });
      const globexType = await one(
        'SELECT min(id) FROM document_types WHERE organization_id = $1',
        [ids0.globex],
      );
      await create(clerk, {
        name: 'Foreign type',
        source: 'scan',
        items: items(2, () => ({ documentTypeId: globexType })),
      }).expect(400);
      expect(
        await one(
          "SELECT count(*) FROM batches WHERE name IN ('Into HR', 'Unknown type', 'Foreign type')",
        ),
      ).toBe(0);
    });

    it('creates for the caller’s organization only; platform administrators name one', async () => {
      const other = await create(clerk, {
        name: 'x',
        source: 'api',
        items: items(1),
        organizationId: ids0.globex,
      }).expect(403);
      // Another organization is refused as everywhere (targetOrganization).
      expect(other.body).toMatchObject({ code: 'FORBIDDEN', parameter: 'organizationId' });
      const none = await create(platform, { name: 'x', source: 'api', items: items(1) }).expect(
        400,
      );
      expect(none.body.parameter).toBe('organizationId');
      const res = await create(platform, {
        name: 'Platform import',
        source: 'api',
        items: items(2),
        organizationId: ids0.globex,
      }).expect(201);
      expect(res.body).toMatchObject({ organizationId: ids0.globex, createdBy: null });
      const reader = await login(t.server, 'finance@acme.example');
      await create(reader, { name: 'x', source: 'api', items: items(1) }).expect(403);
    });

    it('writes the batch, its audit row and its items in one transaction', async () => {
      // The items insert fails after the batch and its audit row were written: nothing stays.
      await sql(
        t.db.url,
        `ALTER TABLE batch_items ADD CONSTRAINT test_items_refuse
         CHECK (payload->>'subject' IS DISTINCT FROM 'poison')`,
      );
      try {
        const res = await create(clerk, {
          name: 'Poisoned batch',
          source: 'scan',
          items: items(50, (i) => (i === 49 ? { subject: 'poison' } : {})),
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
      } finally {
        await sql(t.db.url, 'ALTER TABLE batch_items DROP CONSTRAINT test_items_refuse');
      }
      expect(await one("SELECT count(*) FROM batches WHERE name = 'Poisoned batch'")).toBe(0);
      expect(
        await one(
          "SELECT count(*) FROM audit_log WHERE entity_type = 'batch' AND changes->>'name' = 'Poisoned batch'",
        ),
      ).toBe(0);
    });
  });

  describe('get and cancel', () => {
    it('shows one batch with its progress', async () => {
      const seeded = await one(
        "SELECT id FROM batches WHERE organization_id = $1 AND name = 'Morning scan run'",
        [ids0.acme],
      );
      await sql(
        t.db.url,
        'UPDATE batches SET processed_count = 9, failed_count = 1 WHERE id = $1',
        [seeded],
      );
      const res = await request(t.server).get(`/api/batches/${seeded}`).set(clerk).expect(200);
      expect(res.body).toMatchObject({
        itemCount: 12,
        progress: { processed: 9, failed: 1, remaining: 2, percent: 83.3 },
      });
      await request(t.server).get('/api/batches/abc').set(clerk).expect(400);
    });

    it('cancels a pending batch once; finished ones answer 409', async () => {
      const pending = await one(
        "SELECT id FROM batches WHERE organization_id = $1 AND name = 'Supplier e-mails'",
        [ids0.acme],
      );
      await request(t.server).post(`/api/batches/${pending}/cancel`).set(clerk).expect(403);
      const stale = await request(t.server)
        .post(`/api/batches/${pending}/cancel`)
        .send({ version: 7 })
        .set(admin)
        .expect(409);
      expect(stale.body.code).toBe('VERSION_CONFLICT');
      const res = await request(t.server)
        .post(`/api/batches/${pending}/cancel`)
        .send({ version: 1 })
        .set(admin)
        .expect(200);
      expect(res.body).toMatchObject({ status: 'cancelled', version: 2 });
      expect(res.body.finishedOn).toEqual(expect.any(String));
      const again = await request(t.server)
        .post(`/api/batches/${pending}/cancel`)
        .set(admin)
        .expect(409);
      expect(again.body).toMatchObject({ code: 'BATCH_NOT_CANCELLABLE', parameter: 'id' });
      expect(again.body.message).toContain('cancelled');
      const failed = await one("SELECT id FROM batches WHERE name = 'Portal uploads'");
      const done = await request(t.server)
        .post(`/api/batches/${failed}/cancel`)
        .set(admin)
        .expect(409);
      expect(done.body.message).toContain('failed');
      expect(
        await one(
          "SELECT count(*) FROM audit_log WHERE entity_type = 'batch' AND entity_id = $1 AND action = 'cancel'",
          [pending],
        ),
      ).toBe(1);
    });
  });
});
