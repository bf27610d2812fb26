import request from 'supertest';
import { Db } from '../../src/core/database/db.service';
import { RESOURCES } from '../../src/modules/resource/resources';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';

type Row = Record<string, unknown>;

const CAMEL = /^[a-z][A-Za-z0-9]*$/;
/** What PostgreSQL's text of a timestamp looks like, in any of its spellings. */
const TIMESTAMP_LIKE = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/;
const RFC3339_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/**
 * Objects keyed by data, not by field names: entity type codes (document_type),
 * the same codes as in tabs, filter[entityType] values and grant bodies.
 */
const KEYED_BY_CODE = new Set(['actions', 'entityActions']);

/** Every key that is not camelCase and every timestamp not written as RFC 3339 UTC with ms. */
function contractProblems(value: unknown, path = '$', mapKeys = false): string[] {
  if (Array.isArray(value))
    return value.flatMap((v, i) => contractProblems(v, `${path}[${i}]`, false));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Row).flatMap(([k, v]) => [
      ...(mapKeys || CAMEL.test(k) ? [] : [`${path}.${k}: key not camelCase`]),
      ...contractProblems(v, `${path}.${k}`, KEYED_BY_CODE.has(k)),
    ]);
  }
  if (typeof value === 'string' && TIMESTAMP_LIKE.test(value) && !RFC3339_MS_UTC.test(value))
    return [`${path}: timestamp ${value}`];
  return [];
}

describe('JSON contract: camelCase keys, RFC 3339 UTC timestamps, one shape per resource', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  const get = async (url: string, query: Record<string, string> = {}) =>
    (await request(t.server).get(url).query(query).set(admin).expect(200)).body as unknown;

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    admin = await login(t.server, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => t.close());

  it('every connection of the pool runs with TimeZone UTC (startup parameter, not a SET)', async () => {
    const db = t.app.get(Db);
    expect(await db.query('SHOW TimeZone')).toEqual([{ TimeZone: 'UTC' }]);
    expect(await db.transaction((q) => q.query('SHOW TimeZone'))).toEqual([{ TimeZone: 'UTC' }]);
  });

  it.each(RESOURCES.map((r) => [r.grid.name, r] as const))(
    '%s: rows, items, columns and values',
    async (_name, resource) => {
      const url = `/api/${resource.grid.name}`;
      const page = (await get(url, { limit: '5', count: 'exact' })) as { data: Row[] };
      expect(contractProblems(page)).toEqual([]);
      const columns = (await get(`${url}/columns`)) as { key: string; discoverable: boolean }[];
      expect(contractProblems(columns)).toEqual([]);
      for (const c of columns) {
        expect(c.key).toMatch(CAMEL);
        if (c.discoverable)
          expect(contractProblems(await get(`${url}/columns/${c.key}/values`))).toEqual([]);
      }
      const first = page.data[0];
      if (first && resource.item !== false) {
        const item = (await get(`${url}/${String(first.id)}`)) as Row;
        expect(contractProblems(item)).toEqual([]);
        // The item is the row (plus its details, when the resource has some).
        expect(item).toMatchObject(first);
      }
    },
  );

  it.each(['users', 'roles'])(
    '%s: the item served by its module is the row with details',
    async (grid) => {
      const [row] = ((await get(`/api/${grid}`, { limit: '1' })) as { data: Row[] }).data;
      const item = (await get(`/api/${grid}/${String(row.id)}`)) as Row;
      expect(contractProblems(item)).toEqual([]);
      expect(item).toMatchObject(row);
    },
  );

  it('me, admin figures and errors', async () => {
    expect(contractProblems(await get('/api/me'))).toEqual([]);
    expect(contractProblems(await get('/api/admin/pool-metrics'))).toEqual([]);
    const queues = (await get('/api/admin/queues')) as Row;
    for (const figures of Object.values(queues)) expect(contractProblems(figures)).toEqual([]);
    for (const probe of ['/health', '/health/ready', '/health/live']) {
      const res = await request(t.server).get(probe);
      expect([probe, contractProblems(res.body)]).toEqual([probe, []]);
    }
    const missing = await request(t.server).get('/api/documents/99999999').set(admin).expect(404);
    expect(contractProblems(missing.body)).toEqual([]);
    const invalid = await request(t.server)
      .get('/api/documents')
      .query({ 'filter[created_on]': 'x' })
      .set(admin)
      .expect(400);
    expect(invalid.body).toMatchObject({ code: 'GRID_UNKNOWN_COLUMN' });
  });

  it('a client sends back what it read: the row names are the body names', async () => {
    const [row] = ((await get('/api/documents', { limit: '1' })) as { data: Row[] }).data;
    const writable = [
      'title',
      'folderId',
      'documentTypeId',
      'status',
      'fileName',
      'mimeType',
      'sizeBytes',
      'pageCount',
      'documentDate',
      'version',
    ];
    const body = Object.fromEntries(
      writable.filter((k) => row[k] !== null && row[k] !== undefined).map((k) => [k, row[k]]),
    );
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['title', 'folderId', 'version']));
    const res = await request(t.server)
      .patch(`/api/documents/${String(row.id)}`)
      .send({ ...body, title: `${String(row.title)} (again)` })
      .set(admin)
      .expect(200);
    expect(Object.keys(res.body as Row).sort()).toEqual(Object.keys(row).sort());
    expect(res.body).toMatchObject({ id: row.id, folderId: row.folderId, version: 2 });
  });

  it('create, update and read answer the same shape', async () => {
    const [row] = ((await get('/api/documents', { limit: '1' })) as { data: Row[] }).data;
    const created = await request(t.server)
      .post('/api/documents')
      .send({ title: 'Shape check', folderId: row.folderId })
      .set(admin)
      .expect(201);
    const id = String((created.body as Row).id);
    const updated = await request(t.server)
      .patch(`/api/documents/${id}`)
      .send({ title: 'Shape check 2', version: 1 })
      .set(admin)
      .expect(200);
    const read = (await get(`/api/documents/${id}`)) as Row;
    const keys = Object.keys(row).sort();
    expect(Object.keys(created.body as Row).sort()).toEqual(keys);
    expect(Object.keys(updated.body as Row).sort()).toEqual(keys);
    expect(Object.keys(read).sort()).toEqual(keys);
    expect(read).toEqual(updated.body);
  });

  describe('datetimes at millisecond precision', () => {
    /** Copies of a document stored within one millisecond, at different microseconds. */
    let ids: number[];
    const MS = '2031-05-06T07:08:09.123Z';
    beforeAll(async () => {
      const rows = await sql<{ id: number }>(
        t.db.url,
        `INSERT INTO documents (organization_id, folder_id, title, status, created_on, updated_on)
         SELECT d.organization_id, d.folder_id, 'Same millisecond ' || s.n, 'active',
                '2031-05-06 07:08:09.123000+00'::timestamptz + s.n * interval '1 microsecond' * 150,
                '2031-05-06 07:08:09.123000+00'::timestamptz
         FROM (SELECT organization_id, folder_id FROM documents ORDER BY id LIMIT 1) d,
              generate_series(0, 5) AS s(n)
         RETURNING id`,
      );
      ids = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
    });

    it('show the millisecond, truncated', async () => {
      const row = (await get(`/api/documents/${ids[5]}`)) as Row;
      expect(row.createdOn).toBe(MS); // stored at .123750
    });

    it('a value read from a row is a filter value that finds the row', async () => {
      const list = async (query: Record<string, string>) =>
        ((await get('/api/documents', { limit: '50', ...query })) as { data: Row[] }).data
          .map((r) => Number(r.id))
          .sort((a, b) => a - b);
      expect(await list({ 'filter[createdOn]': MS })).toEqual(ids);
      expect(await list({ 'filter[createdOn][gte]': MS })).toEqual(ids);
      expect(await list({ 'filter[createdOn][lte]': MS, 'filter[id][in]': ids.join(',') })).toEqual(
        ids,
      );
      expect(await list({ 'filter[createdOn][gt]': MS })).toEqual([]);
      expect(await list({ 'filter[createdOn][lt]': MS, 'filter[id][in]': ids.join(',') })).toEqual(
        [],
      );
      expect(await list({ 'filter[createdOn][between]': `${MS},${MS}` })).toEqual(ids);
      expect(await list({ 'filter[createdOn][ne]': MS, 'filter[id][in]': ids.join(',') })).toEqual(
        [],
      );
      // Other spellings of the same instant.
      expect(await list({ 'filter[createdOn]': '2031-05-06T09:08:09.123+02:00' })).toEqual(ids);
      expect(await list({ 'filter[createdOn]': '2031-05-06 07:08:09.123456+00' })).toEqual(ids);
    });

    it('the cursor keeps the microseconds: pages within one millisecond neither skip nor repeat', async () => {
      for (const sort of ['-createdOn', 'createdOn', 'createdOn,-id', '-updatedOn,createdOn']) {
        const seen: number[] = [];
        let cursor: string | null = null;
        do {
          const page = (await get('/api/documents', {
            limit: '2',
            sort,
            'filter[createdOn]': MS,
            ...(cursor ? { cursor } : {}),
          })) as { data: Row[]; page: { nextCursor: string | null } };
          seen.push(...page.data.map((r) => Number(r.id)));
          cursor = page.page.nextCursor;
        } while (cursor);
        expect([sort, [...seen].sort((a, b) => a - b)]).toEqual([sort, ids]);
        // Ascending by created_on is ascending by id here (the copies were made in that order).
        if (sort === 'createdOn') expect(seen).toEqual(ids);
        if (sort === '-createdOn') expect(seen).toEqual([...ids].reverse());
      }
    });
  });
});
