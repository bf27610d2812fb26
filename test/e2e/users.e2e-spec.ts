import request from 'supertest';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, DEMO_PASSWORD, login, seedDemo, sql } from '../support/fixtures';

type Auth = { Authorization: string };
type Row = Record<string, unknown>;

describe('users and /me', () => {
  let t: TestApp;
  let platform: Auth;
  let acmeAdmin: Auth;
  let clerk: Auth;
  let orgs: Record<string, number>;

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    platform = await login(t.server, ADMIN.email, ADMIN.password);
    acmeAdmin = await login(t.server, 'admin@acme.example');
    clerk = await login(t.server, 'clerk@acme.example');
    const rows = await sql<{ slug: string; id: number }>(
      t.db.url,
      'SELECT slug, id FROM organizations',
    );
    orgs = Object.fromEntries(rows.map((r) => [r.slug, Number(r.id)]));
  });
  afterAll(async () => t.close());

  const api = () => request(t.server);
  const roleId = async (org: string, name: string) =>
    Number(
      (
        await sql<{ id: number }>(
          t.db.url,
          'SELECT id FROM roles WHERE organization_id = $1 AND name = $2',
          [orgs[org], name],
        )
      )[0].id,
    );

  describe('GET /api/me', () => {
    it('gives a clerk its organization, roles, tabs and actions, no admin hub', async () => {
      const res = await api().get('/api/me').set(clerk).expect(200);
      expect(res.body.user).toMatchObject({
        email: 'clerk@acme.example',
        isPlatformAdmin: false,
        isOrgAdmin: false,
      });
      expect(res.body.organization).toEqual({ id: orgs.acme, name: 'Acme Logistics' });
      expect((res.body.roles as Row[]).map((r) => r.name)).toEqual(['Mailroom clerks']);
      expect(res.body.tabs).toEqual(['batch', 'document', 'folder', 'mail']);
      expect(res.body.adminHub).toBe(false);
      expect(res.body.actions.mail).toEqual(['view', 'create', 'edit', 'assign'].sort());
      expect(res.body.actions.user).toBeUndefined();
      expect(res.body.actions.organization).toEqual(['view']);
      // Finance, Legal and their subfolders plus the two system folders.
      expect(res.body.viewFolderIds).toHaveLength(7);
      expect(res.body.permissionVersion).toEqual(expect.any(Number));
    });

    it('gives a platform admin everything and no organization', async () => {
      const res = await api().get('/api/me').set(platform).expect(200);
      expect(res.body.organization).toBeNull();
      expect(res.body.adminHub).toBe(true);
      expect(res.body.viewFolderIds).toBeNull();
      expect(res.body.tabs).toContain('organization');
      expect(res.body.actions.organization).toContain('delete');
    });

    it('answers 401 without a token', async () => {
      const res = await api().get('/api/me').expect(401);
      expect(res.body.code).toBe('AUTH_TOKEN_MISSING');
    });
  });

  describe('users grid', () => {
    it('shows an organization admin its own organization only, by name', async () => {
      const res = await api().get('/api/users?count=exact').set(acmeAdmin).expect(200);
      const emails = (res.body.data as Row[]).map((r) => r.email);
      expect(emails).toEqual(['admin@acme.example', 'clerk@acme.example', 'finance@acme.example']);
      expect(res.body.total).toEqual({ value: 3, exact: true });
      expect(res.body.sort).toEqual([
        { column: 'displayName', direction: 'asc' },
        { column: 'id', direction: 'asc' },
      ]);
      const first = (res.body.data as Row[])[0];
      expect(first.organizationName).toBe('Acme Logistics');
      expect(first.roles).toBe('Administrators');
      expect(Object.keys(first)).not.toContain('password_hash');
    });

    it('shows a platform admin every user, and searches names', async () => {
      const all = await api().get('/api/users?count=exact').set(platform).expect(200);
      expect(all.body.total.value).toBe(7);
      const found = await api().get('/api/users?search=legal%20clerk').set(platform).expect(200);
      expect((found.body.data as Row[]).map((r) => r.email)).toEqual(['clerk@globex.example']);
    });

    it('discovers values within the organization only', async () => {
      const res = await api()
        .get('/api/users/columns/organizationId/values')
        .set(acmeAdmin)
        .expect(200);
      expect(res.body.data).toEqual([{ value: orgs.acme, label: 'Acme Logistics', count: 3 }]);
    });

    it('refuses the grid to a user without the users tab', async () => {
      const res = await api().get('/api/users').set(clerk).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });

    it('hides users of other organizations as not found', async () => {
      const [{ id }] = await sql<{ id: number }>(
        t.db.url,
        "SELECT id FROM users WHERE email = 'clerk@globex.example'",
      );
      await api().get(`/api/users/${id}`).set(acmeAdmin).expect(404);
      const own = await api().get(`/api/users/${id}`).set(platform).expect(200);
      expect(own.body.memberships).toEqual([
        { id: await roleId('globex', 'Mailroom clerks'), name: 'Mailroom clerks' },
      ]);
    });
  });

  describe('administration', () => {
    it('creates a user who can sign in, never shows the password, audits and scopes', async () => {
      const clerks = await roleId('acme', 'Mailroom clerks');
      const res = await api()
        .post('/api/users')
        .set(acmeAdmin)
        .send({
          email: 'New.Person@Acme.example',
          displayName: 'New Person',
          password: 'a-long-password',
          roleIds: [clerks],
        })
        .expect(201);
      expect(res.body).toMatchObject({
        email: 'new.person@acme.example',
        organizationId: orgs.acme,
        isActive: true,
        isOrgAdmin: false,
        memberships: [{ id: clerks, name: 'Mailroom clerks' }],
      });
      expect(JSON.stringify(res.body)).not.toMatch(/password|scrypt/);
      const [stored] = await sql<{ password_hash: string }>(
        t.db.url,
        'SELECT password_hash FROM users WHERE id = $1',
        [res.body.id],
      );
      expect(stored.password_hash).toMatch(/^scrypt\$/);
      const audit = await sql<{ action: string; changes: Row; actor: string }>(
        t.db.url,
        `SELECT a.action, a.changes, u.email AS actor FROM audit_log a JOIN users u ON u.id = a.actor_id
         WHERE a.entity_type = 'user' AND a.entity_id = $1`,
        [res.body.id],
      );
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'create', actor: 'admin@acme.example' });
      expect(JSON.stringify(audit[0].changes)).not.toContain('a-long-password');

      const me = await api()
        .get('/api/me')
        .set(await login(t.server, 'new.person@acme.example', 'a-long-password'))
        .expect(200);
      expect(me.body.roles).toEqual([{ id: clerks, name: 'Mailroom clerks' }]);
    });

    it('puts users an organization admin creates into its own organization only', async () => {
      const res = await api()
        .post('/api/users')
        .set(acmeAdmin)
        .send({
          email: 'intruder@globex.example',
          displayName: 'Intruder',
          password: 'a-long-password',
          organizationId: orgs.globex,
        })
        .expect(403);
      expect(res.body.parameter).toBe('organizationId');
      const platformNeedsOrg = await api()
        .post('/api/users')
        .set(platform)
        .send({ email: 'x@y.example', displayName: 'X', password: 'a-long-password' })
        .expect(400);
      expect(platformNeedsOrg.body.parameter).toBe('organizationId');
      const noSuchOrg = await api()
        .post('/api/users')
        .set(platform)
        .send({
          email: 'x@y.example',
          displayName: 'X',
          password: 'a-long-password',
          organizationId: 999999,
        })
        .expect(400);
      expect(noSuchOrg.body).toMatchObject({
        code: 'ORGANIZATION_NOT_FOUND',
        parameter: 'organizationId',
      });
    });

    it('names the field of bad input and of a duplicate email', async () => {
      const short = await api()
        .post('/api/users')
        .set(acmeAdmin)
        .send({ email: 'p@acme.example', displayName: 'P', password: 'short' })
        .expect(400);
      expect(short.body.parameter).toBe('password');
      const dup = await api()
        .post('/api/users')
        .set(acmeAdmin)
        .send({ email: 'clerk@acme.example', displayName: 'Dup', password: 'a-long-password' })
        .expect(409);
      expect(dup.body).toMatchObject({ code: 'USER_EMAIL_TAKEN', parameter: 'email' });
      const foreignRole = await api()
        .post('/api/users')
        .set(acmeAdmin)
        .send({
          email: 'r@acme.example',
          displayName: 'R',
          password: 'a-long-password',
          roleIds: [await roleId('globex', 'Mailroom clerks')],
        })
        .expect(400);
      expect(foreignRole.body).toMatchObject({ code: 'ROLE_NOT_FOUND', parameter: 'roleIds' });
      const none = await sql(t.db.url, "SELECT 1 FROM users WHERE email = 'r@acme.example'");
      expect(none).toHaveLength(0); // nothing half-written
    });

    it('answers a taken email the same whichever organization holds it, naming neither', async () => {
      const create = (email: string) =>
        api()
          .post('/api/users')
          .set(acmeAdmin)
          .send({ email, displayName: 'Taken', password: 'a-long-password' })
          .expect(409);
      const own = await create('clerk@acme.example');
      const foreign = await create('Clerk@Globex.example');
      const platformAdmin = await create(ADMIN.email);
      const expected = {
        statusCode: 409,
        code: 'USER_EMAIL_TAKEN',
        message: 'email: this address cannot be used; choose another',
        parameter: 'email',
      };
      expect(own.body).toEqual(expected);
      expect(foreign.body).toEqual(expected);
      expect(platformAdmin.body).toEqual(expected);
      expect(JSON.stringify(foreign.body)).not.toMatch(/users_email_key|globex/i);

      // Renaming to an address of another organization: the same answer, nothing changed.
      const [finance] = await sql<{ id: number; version: number }>(
        t.db.url,
        "SELECT id, version FROM users WHERE email = 'finance@acme.example'",
      );
      const renamed = await api()
        .patch(`/api/users/${finance.id}`)
        .set(acmeAdmin)
        .send({ version: finance.version, email: 'finance@globex.example' })
        .expect(409);
      expect(renamed.body).toEqual(expected);
      const [after] = await sql<{ email: string; version: number }>(
        t.db.url,
        'SELECT email, version FROM users WHERE id = $1',
        [finance.id],
      );
      expect(after).toEqual({ email: 'finance@acme.example', version: finance.version });
    });

    it('deactivates a user: its valid token stops working on the next request', async () => {
      const created = await api()
        .post('/api/users')
        .set(acmeAdmin)
        .send({ email: 'temp@acme.example', displayName: 'Temp', password: 'a-long-password' })
        .expect(201);
      const temp = await login(t.server, 'temp@acme.example', 'a-long-password');
      await api().get('/api/me').set(temp).expect(200); // warm in both caches
      const changed = await api()
        .patch(`/api/users/${created.body.id}`)
        .set(acmeAdmin)
        .send({ version: created.body.version, isActive: false, displayName: 'Temp (left)' })
        .expect(200);
      expect(changed.body).toMatchObject({ isActive: false, displayName: 'Temp (left)' });
      const denied = await api().get('/api/me').set(temp).expect(401);
      expect(denied.body.code).toBe('AUTH_ACCOUNT_DISABLED');
      const stale = await api()
        .patch(`/api/users/${created.body.id}`)
        .set(acmeAdmin)
        .send({ version: created.body.version, isActive: true })
        .expect(409);
      expect(stale.body.code).toBe('VERSION_CONFLICT');
    });

    it('changes a password: the old one stops working', async () => {
      const created = await api()
        .post('/api/users')
        .set(acmeAdmin)
        .send({ email: 'pw@acme.example', displayName: 'Pw', password: 'first-password' })
        .expect(201);
      await api()
        .patch(`/api/users/${created.body.id}`)
        .set(acmeAdmin)
        .send({ version: created.body.version, password: 'second-password' })
        .expect(200);
      await api()
        .post('/api/auth/login')
        .send({ email: 'pw@acme.example', password: 'first-password' })
        .expect(401);
      await login(t.server, 'pw@acme.example', 'second-password');
      const [audit] = await sql<{ changes: Row }>(
        t.db.url,
        "SELECT changes FROM audit_log WHERE entity_id = $1 AND action = 'update'",
        [created.body.id],
      );
      expect(audit.changes).toEqual({ password: 'changed' });
    });

    it('sets role memberships, effective on the next request; the old token is revoked', async () => {
      const finance = await login(t.server, 'finance@acme.example');
      const before = await api().get('/api/me').set(finance).expect(200);
      expect(before.body.tabs).toEqual(['document', 'folder']);
      const [{ id }] = await sql<{ id: number }>(
        t.db.url,
        "SELECT id FROM users WHERE email = 'finance@acme.example'",
      );
      const both = [
        await roleId('acme', 'Finance readers'),
        await roleId('acme', 'Mailroom clerks'),
      ];
      const res = await api()
        .put(`/api/users/${id}/roles`)
        .set(acmeAdmin)
        .send({ roleIds: both })
        .expect(200);
      expect((res.body.memberships as Row[]).map((r) => r.name)).toEqual([
        'Finance readers',
        'Mailroom clerks',
      ]);
      const revoked = await api().get('/api/me').set(finance).expect(401);
      expect(revoked.body.code).toBe('AUTH_TOKEN_REVOKED');
      const again = await login(t.server, 'finance@acme.example');
      const after = await api().get('/api/me').set(again).expect(200);
      expect(after.body.tabs).toEqual(['batch', 'document', 'folder', 'mail']);
      expect(after.body.permissionVersion).toBeGreaterThan(before.body.permissionVersion as number);

      await api()
        .put(`/api/users/${id}/roles`)
        .set(acmeAdmin)
        .send({ roleIds: [both[0]] })
        .expect(200);
      await api().get('/api/me').set(again).expect(401);
      const back = await api()
        .get('/api/me')
        .set(await login(t.server, 'finance@acme.example'))
        .expect(200);
      expect(back.body.tabs).toEqual(['document', 'folder']);
    });

    it('protects against self-lockout and keeps organization admins to their peers', async () => {
      const me = await api().get('/api/me').set(acmeAdmin).expect(200);
      const self = await api().get(`/api/users/${me.body.user.id}`).set(acmeAdmin).expect(200);
      const res = await api()
        .patch(`/api/users/${me.body.user.id}`)
        .set(acmeAdmin)
        .send({ version: self.body.version, isActive: false })
        .expect(409);
      expect(res.body).toMatchObject({ code: 'SELF_LOCKOUT', parameter: 'isActive' });
      await api().delete(`/api/users/${me.body.user.id}`).set(acmeAdmin).expect(409);

      // A hub manager who is not an organization admin cannot touch admins or make new ones.
      const hubRole = await api()
        .post('/api/roles')
        .set(acmeAdmin)
        .send({ name: 'People managers', adminHub: true })
        .expect(201);
      const managerUser = await api()
        .post('/api/users')
        .set(acmeAdmin)
        .send({
          email: 'manager@acme.example',
          displayName: 'Manager',
          password: 'a-long-password',
          roleIds: [hubRole.body.id],
        })
        .expect(201);
      const manager = await login(t.server, 'manager@acme.example', 'a-long-password');
      const makeAdmin = await api()
        .patch(`/api/users/${managerUser.body.id}`)
        .set(manager)
        .send({ version: managerUser.body.version, isOrgAdmin: true })
        .expect(403);
      expect(makeAdmin.body.parameter).toBe('isOrgAdmin');
      await api()
        .patch(`/api/users/${me.body.user.id}`)
        .set(manager)
        .send({ version: self.body.version, displayName: 'Hijacked' })
        .expect(403);
      // …but does manage ordinary users, and sees the users grid through the hub.
      await api().get('/api/users').set(manager).expect(200);
    });

    it('deletes a user without work on record; one with work answers 409', async () => {
      const created = await api()
        .post('/api/users')
        .set(acmeAdmin)
        .send({ email: 'gone@acme.example', displayName: 'Gone', password: 'a-long-password' })
        .expect(201);
      await api().delete(`/api/users/${created.body.id}`).set(acmeAdmin).expect(204);
      await api().get(`/api/users/${created.body.id}`).set(acmeAdmin).expect(404);
      const [clerkRow] = await sql<{ id: number }>(
        t.db.url,
        "SELECT id FROM users WHERE email = 'clerk@acme.example'",
      );
      const busy = await api().delete(`/api/users/${clerkRow.id}`).set(acmeAdmin).expect(409);
      expect(busy.body.code).toBe('USER_IN_USE');
      const [globexClerk] = await sql<{ id: number }>(
        t.db.url,
        "SELECT id FROM users WHERE email = 'clerk@globex.example'",
      );
      await api().delete(`/api/users/${globexClerk.id}`).set(acmeAdmin).expect(404);
      const audit = await sql(
        t.db.url,
        "SELECT 1 FROM audit_log WHERE entity_type = 'user' AND entity_id = $1 AND action = 'delete'",
        [created.body.id],
      );
      expect(audit).toHaveLength(1);
    });

    it('lets a platform admin manage platform admins; demotion revokes the demoted one’s tokens', async () => {
      const created = await api()
        .post('/api/users')
        .set(platform)
        .send({
          email: 'ops@acme.example',
          displayName: 'Ops',
          password: 'a-long-password',
          organizationId: orgs.acme,
          isOrgAdmin: true,
        })
        .expect(201);
      const ops = await login(t.server, 'ops@acme.example', 'a-long-password');
      expect((await api().get('/api/me').set(ops).expect(200)).body.adminHub).toBe(true);
      await api()
        .patch(`/api/users/${created.body.id}`)
        .set(platform)
        .send({ version: created.body.version, isOrgAdmin: false })
        .expect(200);
      const revoked = await api().get('/api/users').set(ops).expect(401);
      expect(revoked.body.code).toBe('AUTH_TOKEN_REVOKED');
      const demoted = await login(t.server, 'ops@acme.example', 'a-long-password');
      const after = await api().get('/api/me').set(demoted).expect(200);
      expect(after.body.adminHub).toBe(false);
      await api().get('/api/users').set(demoted).expect(403);
    });
  });

  it('keeps the demo password working for untouched users', async () => {
    await login(t.server, 'finance@globex.example', DEMO_PASSWORD);
  });
});
