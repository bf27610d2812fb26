import request from 'supertest';
import { login, seedDemo, sql } from '../support/fixtures';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { visibleDocumentIds } from '../support/visibility';

type Auth = { Authorization: string };
type Check = { who: string; what: string; run: () => Promise<void> };

const PEOPLE = [
  'clerk@acme.example',
  'finance@acme.example',
  'clerk@globex.example',
  'finance@globex.example',
  'admin@globex.example',
];

describe('no rows leak between organizations or folder grants', () => {
  let t: TestApp;
  const auth: Record<string, Auth> = {};
  const visible: Record<string, Set<number>> = {};
  const visibleFolders: Record<string, Set<number>> = {};
  let allDocuments: { id: number; organization_id: number; folder_id: number }[];

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    allDocuments = (
      await sql<{ id: number; organization_id: number; folder_id: number }>(
        t.db.url,
        'SELECT id, organization_id, folder_id FROM documents ORDER BY id',
      )
    ).map((d) => ({
      id: Number(d.id),
      organization_id: Number(d.organization_id),
      folder_id: Number(d.folder_id),
    }));
    for (const email of PEOPLE) {
      auth[email] = await login(t.server, email);
      visible[email] = new Set(await visibleDocumentIds(t.db.url, email));
      visibleFolders[email] = new Set(
        allDocuments.filter((d) => visible[email].has(d.id)).map((d) => d.folder_id),
      );
    }
  });
  afterAll(async () => t.close());

  it('has users whose visible sets really differ', () => {
    const sizes = PEOPLE.map((p) => visible[p].size);
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    // Same organization, different folder grants: the finance reader sees a strict subset.
    const clerk = visible['clerk@acme.example'];
    const finance = visible['finance@acme.example'];
    expect([...finance].every((id) => clerk.has(id))).toBe(true);
    expect(finance.size).toBeLessThan(clerk.size);
    expect([...clerk].some((id) => visible['clerk@globex.example'].has(id))).toBe(false);
  });

  /** Every way a user can read documents, each checked against the independent expectation. */
  function checksFor(email: string): Check[] {
    const a = auth[email];
    const mine = visible[email];
    const notMine = allDocuments.filter((d) => !mine.has(d.id));
    const someMine = [...mine].slice(0, 3);
    const someOthers = [
      notMine[0],
      notMine[Math.floor(notMine.length / 2)],
      notMine[notMine.length - 1],
    ];
    const checks: Check[] = [
      {
        who: email,
        what: 'list',
        run: async () => {
          const res = await request(t.server)
            .get('/api/documents?limit=500&sort=id')
            .set(a)
            .expect(200);
          expect((res.body.data as { id: number }[]).map((d) => d.id)).toEqual(
            [...mine].sort((x, y) => x - y),
          );
        },
      },
      {
        who: email,
        what: 'count=exact',
        run: async () => {
          const res = await request(t.server)
            .get('/api/documents?limit=1&count=exact')
            .set(a)
            .expect(200);
          expect(res.body.total).toEqual({ value: mine.size, exact: true });
        },
      },
      {
        who: email,
        what: 'folder values',
        run: async () => {
          const res = await request(t.server)
            .get('/api/documents/columns/folderId/values?limit=500')
            .set(a)
            .expect(200);
          const data = res.body.data as { value: number; count: number }[];
          expect(data.reduce((n, v) => n + v.count, 0)).toBe(mine.size);
          expect(data.map((v) => v.value).sort()).toEqual([...visibleFolders[email]].sort());
        },
      },
      {
        who: email,
        what: 'organization values',
        run: async () => {
          const res = await request(t.server)
            .get('/api/documents/columns/organizationId/values')
            .set(a)
            .expect(200);
          expect((res.body.data as unknown[]).length).toBe(1);
        },
      },
      {
        who: email,
        what: 'filter on a folder out of reach',
        run: async () => {
          const res = await request(t.server)
            .get(`/api/documents?filter[folderId]=${someOthers[0].folder_id}&count=exact`)
            .set(a)
            .expect(200);
          expect(res.body.data).toEqual([]);
          expect(res.body.total.value).toBe(0);
        },
      },
    ];
    for (const d of someOthers) {
      checks.push({
        who: email,
        what: `item ${d.id} (not theirs)`,
        run: async () => {
          const res = await request(t.server).get(`/api/documents/${d.id}`).set(a).expect(404);
          expect(res.body.code).toBe('NOT_FOUND');
        },
      });
    }
    for (const id of someMine) {
      checks.push({
        who: email,
        what: `item ${id} (theirs)`,
        run: async () => {
          const res = await request(t.server).get(`/api/documents/${id}`).set(a).expect(200);
          expect(res.body.id).toBe(id);
        },
      });
    }
    return checks;
  }

  it('answers every user exactly their rows, one after another (cold, then warm)', async () => {
    for (let round = 0; round < 2; round++) {
      for (const email of PEOPLE) for (const c of checksFor(email)) await c.run();
    }
  });

  it('keeps answers apart when the users’ requests interleave', async () => {
    const checks = PEOPLE.flatMap(checksFor);
    // A fixed shuffle: neighbours belong to different users.
    const mixed = checks
      .map((c, i) => ({ c, key: (i * 7919) % checks.length }))
      .sort((x, y) => x.key - y.key)
      .map((x) => x.c);
    expect(mixed.length).toBeGreaterThanOrEqual(50);
    const failures: string[] = [];
    await Promise.all(
      mixed.map((c) =>
        c.run().catch((e: unknown) => failures.push(`${c.who} ${c.what}: ${String(e)}`)),
      ),
    );
    expect(failures).toEqual([]);
  });

  it('keeps the users grids of two organizations apart under interleaving', async () => {
    const acme = await login(t.server, 'admin@acme.example');
    const globex = auth['admin@globex.example'];
    const expectOrg = async (a: Auth, domain: string) => {
      const res = await request(t.server).get('/api/users?count=exact').set(a).expect(200);
      const emails = (res.body.data as { email: string }[]).map((u) => u.email);
      expect(emails.length).toBe(3);
      expect(emails.every((e) => e.endsWith(`@${domain}.example`))).toBe(true);
    };
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 ? expectOrg(acme, 'acme') : expectOrg(globex, 'globex'),
      ),
    );
  });
});
