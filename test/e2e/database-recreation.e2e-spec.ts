import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { hashPassword } from '../../src/core/auth/password';
import { PermissionService } from '../../src/modules/permission/permission.service';
import { login, seedDemo, sql } from '../support/fixtures';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-db';
import { createTestDatabase } from '../support/test-db';

type Auth = { Authorization: string };

/**
 * The shared cache outlives the database: Redis keeps its keys while the
 * database is re-created (a re-seed, a backup restore). Every Postroom here
 * shares one Redis key prefix, as the replicas of one deployment do, and one
 * token secret, so tokens of the first database reach the second.
 */
describe('the shared cache across database lifetimes', () => {
  const opened: TestApp[] = [];
  const databases: TestDatabase[] = [];

  afterEach(async () => {
    for (const t of opened.splice(0)) await t.close();
    for (const db of databases.splice(0)) await db.drop();
  });

  async function database(from?: TestDatabase): Promise<TestDatabase> {
    const db = await createTestDatabase(from);
    databases.push(db);
    return db;
  }

  async function postroom(db: TestDatabase, prefix: string): Promise<TestApp> {
    const t = await startTestApp({ REDIS_KEY_PREFIX: prefix }, db);
    opened.push(t);
    return t;
  }

  /** Closes one Postroom and drops its database: the Redis keys stay. */
  async function retire(t: TestApp): Promise<void> {
    opened.splice(opened.indexOf(t), 1);
    await t.close();
    const i = databases.indexOf(t.db);
    databases.splice(i, 1);
    await t.db.drop();
  }

  /** `times` permission changes of the organization, each published as every change is. */
  async function changePermissions(t: TestApp, organizationId: number, times: number) {
    const permissions = t.app.get(PermissionService);
    for (let i = 0; i < times; i++)
      await permissions.transaction((_q, bump) => bump(organizationId));
  }

  const me = (t: TestApp, auth: Auth) => request(t.server).get('/api/me').set(auth);

  it('answers the new user under a reused id after a re-creation, never the cached old one', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}`;
    const first = await database();
    await seedDemo(first.url);
    const [clerk] = await sql<{ id: string; org: string }>(
      first.url,
      "SELECT id, organization_id AS org FROM users WHERE email = 'clerk@acme.example'",
    );
    const [userId, orgId] = [Number(clerk.id), Number(clerk.org)];
    const a = await postroom(first, prefix);
    const oldToken = await login(a.server, 'clerk@acme.example');
    await changePermissions(a, orgId, 3);
    const before = await me(a, oldToken).expect(200);
    expect(before.body.user).toMatchObject({ id: userId, email: 'clerk@acme.example' });
    await retire(a);

    // The database again, from scratch: someone else under the same ids, and as
    // many permission changes as before.
    const second = await database();
    await sql(
      second.url,
      `INSERT INTO organizations (id, name, slug) VALUES ($1, 'Initech', 'initech')`,
      [orgId],
    );
    await sql(
      second.url,
      `INSERT INTO users (id, organization_id, email, display_name, password_hash)
       VALUES ($1, $2, 'newcomer@initech.example', 'Newcomer', $3)`,
      [userId, orgId, await hashPassword('newcomer-password')],
    );
    const b = await postroom(second, prefix);
    await changePermissions(b, orgId, 3);

    const newcomer = await login(b.server, 'newcomer@initech.example', 'newcomer-password');
    const after = await me(b, newcomer).expect(200);
    expect(after.body.user).toMatchObject({
      id: userId,
      email: 'newcomer@initech.example',
      displayName: 'Newcomer',
      isOrgAdmin: false,
    });
    expect(after.body.organization).toEqual({ id: orgId, name: 'Initech' });
    expect(after.body.roles).toEqual([]);
    expect(after.body.tabs).toEqual([]);
    // The first database's token names the same user id: it is not the newcomer's.
    const stale = await me(b, oldToken).expect(401);
    expect(stale.body.code).toBe('AUTH_TOKEN_REVOKED');
  });

  it('answers the restored grants after a restore from backup, not the cached later ones', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}`;
    const live = await database();
    await seedDemo(live.url);
    const backup = await database(live);
    const [role] = await sql<{ id: string; org: string; version: number }>(
      live.url,
      `SELECT r.id, r.organization_id AS org, r.version FROM roles r
       JOIN organizations o ON o.id = r.organization_id
       WHERE o.slug = 'acme' AND r.name = 'Finance readers'`,
    );
    const a = await postroom(live, prefix);
    const finance = await login(a.server, 'finance@acme.example');
    const admin = await login(a.server, 'admin@acme.example');
    expect((await me(a, finance).expect(200)).body.tabs).toEqual(['document', 'folder']);
    // After the backup: finance readers get the mail tab (one permission change).
    await request(a.server)
      .put(`/api/roles/${role.id}/grants`)
      .set(admin)
      .send({
        version: role.version,
        tabs: ['document', 'folder', 'mail'],
        // A screen needs the tab and the view grant (the tabs of /api/me are the screens).
        entityActions: {
          document: ['view'],
          folder: ['view'],
          document_type: ['view'],
          mail: ['view'],
        },
      })
      .expect(200);
    expect((await me(a, finance).expect(200)).body.tabs).toEqual(['document', 'folder', 'mail']);
    await retire(a);

    // Restored from the backup, then as many permission changes as the lost one.
    const b = await postroom(backup, prefix);
    await changePermissions(b, Number(role.org), 1);
    // The token from before the restore stays good: the restore kept the account as it was.
    const restored = await me(b, finance).expect(200);
    expect(restored.body.tabs).toEqual(['document', 'folder']);
  });
});
