import { Client } from 'pg';
import { loadConfig } from '../../src/core/config/config.schema';
import { SeedRefusedError, runSeed } from '../../src/seed/seed-command';
import { specialUsers } from '../../src/seed/large-seed-plan';
import type { TestDatabase } from '../support/test-db';
import { createTestDatabase } from '../support/test-db';

const creds = loadConfig({ NODE_ENV: 'test' }).seed;
/** 10,000 documents, 3,000 mails, 20 batches: the large set's shape in about a second. */
const SCALE = 0.01;

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

async function count(url: string, table: string): Promise<number> {
  const [{ n }] = await sql<{ n: number }>(url, `SELECT count(*)::int AS n FROM ${table}`);
  return n;
}

describe('seed data sets', () => {
  const dbs: TestDatabase[] = [];
  const fresh = async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    return db.url;
  };
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.drop()));
  });

  it('loads the small set once, and refuses to put the large set on top without --reset', async () => {
    const url = await fresh();
    expect(await runSeed(url, creds, { set: 'small' })).toMatchObject({
      status: 'loaded',
      set: 'small',
    });
    expect(await count(url, 'organizations')).toBe(2);
    expect(await count(url, 'users')).toBe(7);
    expect(await count(url, 'mails')).toBe(60);
    expect(await count(url, 'documents')).toBe(120);

    expect(await runSeed(url, creds, { set: 'small' })).toMatchObject({
      status: 'already-seeded',
    });
    await expect(runSeed(url, creds, { set: 'large', scale: SCALE })).rejects.toThrow(
      SeedRefusedError,
    );
    expect(await count(url, 'documents')).toBe(120);

    const platformStamp = async () =>
      Number(
        (
          await sql<{ value: string }>(
            url,
            `SELECT value FROM app_meta WHERE key = 'permission_version:platform'`,
          )
        )[0].value,
      );
    const stampBefore = await platformStamp();
    const replaced = await runSeed(url, creds, { set: 'large', scale: SCALE, reset: true });
    expect(replaced).toMatchObject({ status: 'loaded', set: 'large' });
    // Other rows under the old ids: accesses cached for the old ones must not match.
    expect(await platformStamp()).toBeGreaterThan(stampBefore);
    expect(await count(url, 'organizations')).toBe(24);
    expect(await sql(url, `SELECT email FROM users WHERE email LIKE '%@acme.example'`)).toEqual([]);
  });

  it('refuses a database holding data no seed made', async () => {
    const url = await fresh();
    await sql(url, `INSERT INTO organizations (name, slug) VALUES ('Real Customer', 'real')`);
    await expect(runSeed(url, creds, { set: 'small' })).rejects.toThrow(/--reset/);
    await expect(runSeed(url, creds, { set: 'large', scale: SCALE })).rejects.toThrow(/--reset/);
    expect(await count(url, 'organizations')).toBe(1);
  });

  it('writes nothing when the large seed fails half-way', async () => {
    const url = await fresh();
    await sql(url, 'ALTER TABLE documents ADD CONSTRAINT seed_test_no_documents CHECK (false)');
    // app_meta starts with the migrations' rows (the platform's permission stamp).
    const meta = await count(url, 'app_meta');
    await expect(runSeed(url, creds, { set: 'large', scale: SCALE })).rejects.toThrow(
      /seed_test_no_documents/,
    );
    for (const table of ['organizations', 'users', 'folders', 'mails', 'batches']) {
      expect(await count(url, table)).toBe(0);
    }
    expect(await count(url, 'app_meta')).toBe(meta);
    expect(await sql(url, `SELECT 1 FROM app_meta WHERE key = 'seed'`)).toEqual([]);
  });

  describe('the large set at 1/100 scale', () => {
    let url: string;
    beforeAll(async () => {
      url = await fresh();
      expect(await runSeed(url, creds, { set: 'large', scale: SCALE })).toMatchObject({
        status: 'loaded',
        set: 'large',
      });
    });

    it('has the expected shape and counts', async () => {
      expect(await count(url, 'organizations')).toBe(24);
      expect(await count(url, 'documents')).toBe(10_000);
      expect(await count(url, 'mails')).toBe(3_000);
      expect(await count(url, 'batches')).toBe(20);
      expect(await count(url, 'folders')).toBeGreaterThanOrEqual(1_000);
      expect(await count(url, 'document_types')).toBeGreaterThanOrEqual(30);
      expect(await count(url, 'users')).toBeGreaterThanOrEqual(300);
      expect(await count(url, 'batch_items')).toBeGreaterThan(0);
      expect(await count(url, 'audit_log')).toBeGreaterThan(0);
      const [meta] = await sql<{ value: string }>(
        url,
        `SELECT value FROM app_meta WHERE key = 'seed'`,
      );
      expect(meta.value).toBe('large');
    });

    it('is a no-op when run again', async () => {
      const before = await sql(url, 'SELECT max(id) AS id, count(*) AS n FROM documents');
      expect(await runSeed(url, creds, { set: 'large', scale: SCALE })).toMatchObject({
        status: 'already-seeded',
        set: 'large',
      });
      expect(await sql(url, 'SELECT max(id) AS id, count(*) AS n FROM documents')).toEqual(before);
      expect(await count(url, 'organizations')).toBe(24);
    });

    it('keeps every constraint, and folder paths that are the ancestors of each folder', async () => {
      // The inserts ran against every CHECK and foreign key; none was dropped or left unvalidated.
      expect(await sql(url, 'SELECT conname FROM pg_constraint WHERE NOT convalidated')).toEqual(
        [],
      );
      const [tree] = await sql<{ bad: number; roots: number; system: number }>(
        url,
        `SELECT count(*) FILTER (WHERE p.id IS NOT NULL AND c.path <> p.path || c.id)::int AS bad,
                count(*) FILTER (WHERE c.parent_id IS NULL AND c.path <> ARRAY[c.id])::int AS roots,
                count(*) FILTER (WHERE c.system_key IS NOT NULL)::int AS system
         FROM folders c LEFT JOIN folders p ON p.id = c.parent_id`,
      );
      expect(tree).toEqual({ bad: 0, roots: 0, system: 48 });
    });

    it('is skewed: the biggest organization holds about a third of the documents', async () => {
      const rows = await sql<{ slug: string; n: number }>(
        url,
        `SELECT o.slug, count(d.id)::int AS n FROM organizations o
         LEFT JOIN documents d ON d.organization_id = o.id GROUP BY o.id ORDER BY o.id`,
      );
      const biggest = rows[0];
      const smallest = Math.min(...rows.map((r) => r.n));
      expect(biggest.slug).toBe('northwind');
      expect(biggest.n).toBeGreaterThan(10 * smallest);
      expect(biggest.n / 10_000).toBeGreaterThan(0.25);
      expect(biggest.n / 10_000).toBeLessThan(0.45);
    });

    it('gives the inbox user more assigned mail than anyone else in the organization', async () => {
      const u = specialUsers(creds.adminEmail);
      const rows = await sql<{ email: string; n: number }>(
        url,
        `SELECT u.email, count(*)::int AS n FROM mails m JOIN users u ON u.id = m.assigned_to
         JOIN organizations o ON o.id = u.organization_id AND o.slug = 'northwind'
         GROUP BY u.email ORDER BY n DESC LIMIT 2`,
      );
      expect(rows[0].email).toBe(u.inboxUser);
      expect(rows[0].n).toBeGreaterThan(2 * rows[1].n);
    });

    it('scopes the folder-scoped user to the Finance and Legal trees only', async () => {
      const u = specialUsers(creds.adminEmail);
      const roles = await sql<{ name: string }>(
        url,
        `SELECT r.name FROM users u JOIN user_roles ur ON ur.user_id = u.id
         JOIN roles r ON r.id = ur.role_id WHERE u.email = $1 ORDER BY r.name`,
        [u.folderScopedUser],
      );
      expect(roles.map((r) => r.name)).toEqual(['Finance readers', 'Legal readers']);
      const [scope] = await sql<{ granted: number; visible: number; all: number }>(
        url,
        `WITH g AS (
           SELECT DISTINCT rfp.folder_id FROM users u
           JOIN user_roles ur ON ur.user_id = u.id
           JOIN role_folder_permissions rfp ON rfp.role_id = ur.role_id
           WHERE u.email = $1)
         SELECT (SELECT count(*) FROM g)::int AS granted,
                (SELECT count(*) FROM folders f, users u
                 WHERE u.email = $1 AND f.organization_id = u.organization_id
                   AND f.path && ARRAY(SELECT folder_id FROM g))::int AS visible,
                (SELECT count(*) FROM folders f, users u
                 WHERE u.email = $1 AND f.organization_id = u.organization_id)::int AS all`,
        [u.folderScopedUser],
      );
      expect(scope.granted).toBe(2);
      expect(scope.visible).toBeGreaterThan(10);
      expect(scope.visible).toBeLessThan(scope.all / 4);
    });
  });
});
