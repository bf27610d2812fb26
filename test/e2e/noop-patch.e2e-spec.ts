import request from 'supertest';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';
import { fastifyRoutes } from '../support/routes';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

/**
 * A PATCH that changes nothing answers 200 with the record as it is: no new
 * version, no audit row, so a client saving an untouched form never makes a
 * conflict for someone else.
 */
describe('a PATCH that changes nothing', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    admin = await login(t.server, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => t.close());

  const auditRows = async () =>
    (await sql<{ n: number }>(t.db.url, 'SELECT count(*)::int AS n FROM audit_log'))[0].n;

  /** Every PATCH route with an id, from Fastify's route table. */
  const patchRoutes = () =>
    fastifyRoutes(t.app)
      .filter((r) => r.method === 'PATCH' && /^\/api\/[a-z-]+\/:id$/.test(r.url))
      .map((r) => r.url.replace('/:id', ''));

  it('covers every PATCH of a record', () => {
    expect(patchRoutes().length).toBeGreaterThanOrEqual(7);
  });

  it('with only the version: 200, the same version, no audit row', async () => {
    const wrong: string[] = [];
    for (const base of patchRoutes()) {
      const list = await request(t.server).get(`${base}?limit=1`).set(admin).expect(200);
      const row = (list.body as { data: { id: number | string; version: number }[] }).data[0];
      const before = await auditRows();
      const res = await request(t.server)
        .patch(`${base}/${row.id}`)
        .set(admin)
        .send({ version: row.version });
      const after = await auditRows();
      if (res.status !== 200 || res.body.version !== row.version || after !== before) {
        wrong.push(`${base}: ${res.status} version ${res.body.version} audit +${after - before}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('with the values it has: the same; a real change still makes a version and an audit row', async () => {
    const list = await request(t.server).get('/api/documents?limit=1').set(admin).expect(200);
    const doc = (list.body as { data: { id: number; version: number; title: string }[] }).data[0];
    const before = await auditRows();
    const same = await request(t.server)
      .patch(`/api/documents/${doc.id}`)
      .set(admin)
      .send({ version: doc.version, title: doc.title })
      .expect(200);
    expect(same.body.version).toBe(doc.version);
    expect(await auditRows()).toBe(before);
    const changed = await request(t.server)
      .patch(`/api/documents/${doc.id}`)
      .set(admin)
      .send({ version: doc.version, title: `${doc.title} (2)` })
      .expect(200);
    expect(changed.body.version).toBe(doc.version + 1);
    expect(await auditRows()).toBe(before + 1);
    // A stale version is still a conflict, even when nothing would change.
    await request(t.server)
      .patch(`/api/documents/${doc.id}`)
      .set(admin)
      .send({ version: doc.version })
      .expect(409);
  });
});
