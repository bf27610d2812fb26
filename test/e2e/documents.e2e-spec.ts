import request from 'supertest';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, login, seedDemo } from '../support/fixtures';

describe('documents grid', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    admin = await login(t.server, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => t.close());

  it('lists in the default order with labels', async () => {
    const res = await request(t.server).get('/api/documents?limit=5').set(admin).expect(200);
    expect(res.body.data).toHaveLength(5);
    expect(res.body.sort).toEqual([
      { column: 'createdOn', direction: 'desc' },
      { column: 'id', direction: 'desc' },
    ]);
    expect(res.body.data[0].folderName).toEqual(expect.any(String));
    expect(res.body.page.hasMore).toBe(true);
  });

  it('pages through everything by cursor', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await request(t.server)
        .get('/api/documents')
        .query({ limit: 7, ...(cursor ? { cursor } : {}) })
        .set(admin)
        .expect(200);
      seen.push(...(res.body.data as { id: number }[]).map((r) => r.id));
      cursor = res.body.page.nextCursor as string | null;
    } while (cursor);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
  });

  it('rejects an unknown sort column naming the parameter', async () => {
    const res = await request(t.server).get('/api/documents?sort=nope').set(admin).expect(400);
    expect(res.body).toMatchObject({ code: 'GRID_UNKNOWN_COLUMN', parameter: 'sort' });
  });

  it('discovers status values without its own filter', async () => {
    const res = await request(t.server)
      .get('/api/documents/columns/status/values')
      .query({ 'filter[status]': 'draft' })
      .set(admin)
      .expect(200);
    expect((res.body.data as unknown[]).length).toBeGreaterThan(1);
  });
});
