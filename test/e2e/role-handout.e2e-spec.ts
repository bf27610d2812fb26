import request from 'supertest';
import { hashPassword } from '../../src/core/auth/password';
import { withDirectClient } from '../../src/seed/seed-runner';
import { insertRole, insertUser } from '../../src/seed/seed-sql';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, DEMO_PASSWORD, login, seedDemo, sql } from '../support/fixtures';

type Auth = { Authorization: string };

/**
 * The role handout rules over HTTP: an admin-hub user who is not an organization
 * admin (the finding: he gave himself Administrators, gave a clerk an admin-hub
 * role and created a user with one) against an organization admin.
 */
describe('role handout', () => {
  let t: TestApp;
  let acmeAdmin: Auth;
  let platform: Auth;
  let hub: Auth;
  let org: number;
  const users: Record<string, number> = {};
  const roles: Record<string, number> = {};
  const folders: Record<string, number> = {};

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    [{ id: org }] = await sql<{ id: number }>(
      t.db.url,
      "SELECT id FROM organizations WHERE slug = 'acme'",
    );
    for (const f of await sql<{ name: string; id: number }>(
      t.db.url,
      'SELECT name, id FROM folders WHERE organization_id = $1',
      [org],
    )) {
      folders[f.name] = f.id;
    }
    // The fixture: "People managers" opens the admin hub and grants mail view/edit, the mail
    // and folder tabs and Finance view (so Invoices too); "Invoice mail" stays within that.
    const hash = await hashPassword(DEMO_PASSWORD);
    await withDirectClient(t.db.url, async (q) => {
      const hubId = await insertUser(q, {
        organizationId: org,
        email: 'hub@acme.example',
        displayName: 'Acme Hub Manager',
        passwordHash: hash,
      });
      await insertRole(q, {
        organizationId: org,
        name: 'People managers',
        adminHub: true,
        entityActions: { mail: ['view', 'edit'], folder: ['view'] },
        tabs: ['mail', 'folder'],
        folderGrants: [{ folderId: folders.Finance, actions: ['view'] }],
        members: [hubId],
      });
      await insertRole(q, {
        organizationId: org,
        name: 'Invoice mail',
        entityActions: { mail: ['view'] },
        tabs: ['mail'],
        folderGrants: [{ folderId: folders.Invoices, actions: ['view'] }],
        members: [],
      });
    });
    for (const u of await sql<{ email: string; id: number }>(
      t.db.url,
      'SELECT email, id FROM users WHERE organization_id = $1',
      [org],
    )) {
      users[u.email.split('@')[0]] = u.id;
    }
    for (const r of await sql<{ name: string; id: number }>(
      t.db.url,
      'SELECT name, id FROM roles WHERE organization_id = $1',
      [org],
    )) {
      roles[r.name] = r.id;
    }
    acmeAdmin = await login(t.server, 'admin@acme.example');
    platform = await login(t.server, ADMIN.email, ADMIN.password);
    hub = await login(t.server, 'hub@acme.example');
  });
  afterAll(async () => t.close());

  const api = () => request(t.server);

  /** Everything a handout could write: memberships, roles and their grants, users, audit, version. */
  const state = async () => ({
    memberships: await sql(
      t.db.url,
      'SELECT user_id, role_id FROM user_roles ORDER BY user_id, role_id',
    ),
    roles: await sql(t.db.url, 'SELECT id, name, admin_hub, version FROM roles ORDER BY id'),
    grants: await sql(
      t.db.url,
      `SELECT (SELECT count(*) FROM role_entity_permissions) AS entity,
              (SELECT count(*) FROM role_tab_permissions) AS tabs,
              (SELECT count(*) FROM role_folder_permissions) AS folders`,
    ),
    users: await sql(t.db.url, 'SELECT id, is_org_admin, version FROM users ORDER BY id'),
    audit: await sql(t.db.url, 'SELECT count(*) AS n FROM audit_log'),
    version: await sql(t.db.url, 'SELECT permission_version FROM organizations ORDER BY id'),
  });

  /** Sends the request, expects the 403 with code and parameter, and that nothing was written. */
  const refused = async (
    send: () => request.Test,
    code: string,
    parameter: string,
  ): Promise<string> => {
    const before = await state();
    const res = await send().expect(403);
    expect(res.body).toMatchObject({ statusCode: 403, code, parameter });
    expect(res.body.message).toMatch(new RegExp(`^${parameter.replace(/\./g, '\\.')}: `));
    expect(await state()).toEqual(before);
    return res.body.message as string;
  };
  const newUser = (email: string, extra: object) => ({
    email,
    displayName: email.split('@')[0],
    password: 'a-long-password',
    ...extra,
  });

  it('is an admin-hub user who is not an organization admin', async () => {
    const me = await api().get('/api/me').set(hub).expect(200);
    expect(me.body).toMatchObject({ adminHub: true, user: { isOrgAdmin: false } });
  });

  describe('an admin-hub user who is not an organization admin', () => {
    it('cannot give himself the Administrators role', async () => {
      const message = await refused(
        () =>
          api()
            .put(`/api/users/${users.hub}/roles`)
            .set(hub)
            .send({ roleIds: [roles['People managers'], roles.Administrators] }),
        'ROLE_GRANT_ADMIN_HUB',
        'roleIds',
      );
      expect(message).toContain(`role ${roles.Administrators} (Administrators)`);
    });

    it('cannot change his own roles, even within his own grants', async () => {
      await refused(
        () =>
          api()
            .put(`/api/users/${users.hub}/roles`)
            .set(hub)
            .send({ roleIds: [roles['People managers'], roles['Invoice mail']] }),
        'ROLE_GRANT_SELF',
        'roleIds',
      );
    });

    it('cannot give a clerk a role that opens the admin hub, nor take one away', async () => {
      for (const hubRole of [roles.Administrators, roles['People managers']]) {
        await refused(
          () =>
            api()
              .put(`/api/users/${users.clerk}/roles`)
              .set(hub)
              .send({ roleIds: [roles['Mailroom clerks'], hubRole] }),
          'ROLE_GRANT_ADMIN_HUB',
          'roleIds',
        );
      }
      const [{ id: other }] = await sql<{ id: number }>(
        t.db.url,
        `INSERT INTO users (organization_id, email, display_name, password_hash)
         VALUES ($1, 'peer@acme.example', 'Peer', 'x') RETURNING id`,
        [org],
      );
      await sql(
        t.db.url,
        'INSERT INTO user_roles (organization_id, user_id, role_id) VALUES ($1, $2, $3)',
        [org, other, roles['People managers']],
      );
      await refused(
        () => api().put(`/api/users/${other}/roles`).set(hub).send({ roleIds: [] }),
        'ROLE_GRANT_ADMIN_HUB',
        'roleIds',
      );
    });

    it('cannot create a user with an admin-hub role or as organization admin', async () => {
      await refused(
        () =>
          api()
            .post('/api/users')
            .set(hub)
            .send(newUser('made-admin@acme.example', { roleIds: [roles.Administrators] })),
        'ROLE_GRANT_ADMIN_HUB',
        'roleIds',
      );
      await refused(
        () =>
          api()
            .post('/api/users')
            .set(hub)
            .send(newUser('made-org-admin@acme.example', { isOrgAdmin: true })),
        'ROLE_GRANT_ORG_ADMIN',
        'isOrgAdmin',
      );
      const made = await sql(t.db.url, "SELECT 1 FROM users WHERE email LIKE 'made-%'");
      expect(made).toHaveLength(0);
    });

    it('cannot make anyone an organization admin', async () => {
      const clerk = await api().get(`/api/users/${users.clerk}`).set(hub).expect(200);
      await refused(
        () =>
          api()
            .patch(`/api/users/${users.clerk}`)
            .set(hub)
            .send({ version: clerk.body.version, isOrgAdmin: true }),
        'ROLE_GRANT_ORG_ADMIN',
        'isOrgAdmin',
      );
    });

    it('cannot create a role that opens the admin hub, nor set the flag', async () => {
      await refused(
        () => api().post('/api/roles').set(hub).send({ name: 'Hub 2', adminHub: true }),
        'ROLE_GRANT_ADMIN_HUB',
        'adminHub',
      );
      const role = await api().get(`/api/roles/${roles['Invoice mail']}`).set(hub).expect(200);
      await refused(
        () =>
          api()
            .patch(`/api/roles/${roles['Invoice mail']}`)
            .set(hub)
            .send({ version: role.body.version, adminHub: true }),
        'ROLE_GRANT_ADMIN_HUB',
        'adminHub',
      );
      const admins = await api().get(`/api/roles/${roles.Administrators}`).set(hub).expect(200);
      await refused(
        () =>
          api()
            .put(`/api/roles/${roles.Administrators}/grants`)
            .set(hub)
            .send({ version: admins.body.version, tabs: ['mail'] }),
        'ROLE_GRANT_ADMIN_HUB',
        'id',
      );
    });
  });

  describe('granting more than the granter holds', () => {
    it('refuses to give a role with grants the admin-hub user lacks (Legal, mail assign)', async () => {
      const message = await refused(
        () =>
          api()
            .put(`/api/users/${users.finance}/roles`)
            .set(hub)
            .send({ roleIds: [roles['Finance readers'], roles['Mailroom clerks']] }),
        'ROLE_GRANT_EXCEEDS_OWN',
        'roleIds',
      );
      expect(message).toContain('(Mailroom clerks)');
      expect(message).toContain('mail assign');
      expect(message).toContain(`view on folder ${folders.Legal}`);
    });

    it('gives a role within his own grants (a subfolder of his Finance grant), audited', async () => {
      const res = await api()
        .put(`/api/users/${users.finance}/roles`)
        .set(hub)
        .send({ roleIds: [roles['Finance readers'], roles['Invoice mail']] })
        .expect(200);
      expect((res.body.memberships as { name: string }[]).map((m) => m.name)).toEqual([
        'Finance readers',
        'Invoice mail',
      ]);
      const audit = await sql(
        t.db.url,
        "SELECT 1 FROM audit_log WHERE entity_type = 'user' AND entity_id = $1 AND action = 'set_roles'",
        [users.finance],
      );
      expect(audit).toHaveLength(1);
    });

    it('refuses to create a role with an entity action, tab or folder grant he lacks', async () => {
      await refused(
        () =>
          api()
            .post('/api/roles')
            .set(hub)
            .send({ name: 'Too much 1', entityActions: { mail: ['view', 'delete'] } }),
        'ROLE_GRANT_EXCEEDS_OWN',
        'entityActions.mail',
      );
      await refused(
        () =>
          api()
            .post('/api/roles')
            .set(hub)
            .send({ name: 'Too much 2', tabs: ['audit'] }),
        'ROLE_GRANT_EXCEEDS_OWN',
        'tabs',
      );
      await refused(
        () =>
          api()
            .post('/api/roles')
            .set(hub)
            .send({
              name: 'Too much 3',
              folderGrants: [
                { folderId: folders.Invoices, actions: ['view'] },
                { folderId: folders.Legal, actions: ['view'] },
              ],
            }),
        'ROLE_GRANT_EXCEEDS_OWN',
        'folderGrants.1.actions',
      );
      const created = await api()
        .post('/api/roles')
        .set(hub)
        .send({
          name: 'Within',
          entityActions: { mail: ['edit'] },
          tabs: ['folder'],
          folderGrants: [{ folderId: folders.Receipts, actions: ['view'] }],
        })
        .expect(201);
      expect(created.body.grants.tabs).toEqual(['folder']);
    });

    it('refuses to add a grant he lacks to a role held by users; nothing changes', async () => {
      const role = await api().get(`/api/roles/${roles['Invoice mail']}`).set(hub).expect(200);
      expect(role.body.members).toHaveLength(1);
      await refused(
        () =>
          api()
            .put(`/api/roles/${roles['Invoice mail']}/grants`)
            .set(hub)
            .send({
              version: role.body.version,
              folderGrants: [
                { folderId: folders.Invoices, actions: ['view'] },
                { folderId: folders.HR, actions: ['view'] },
              ],
            }),
        'ROLE_GRANT_EXCEEDS_OWN',
        'folderGrants.1.actions',
      );
      const after = await api().get(`/api/roles/${roles['Invoice mail']}`).set(hub).expect(200);
      expect(after.body.grants).toEqual(role.body.grants);
    });
  });

  describe('an organization admin', () => {
    it('may do all of it', async () => {
      const me = await api().get('/api/me').set(acmeAdmin).expect(200);
      const own = await api()
        .put(`/api/users/${me.body.user.id}/roles`)
        .set(acmeAdmin)
        .send({ roleIds: [roles.Administrators, roles['People managers']] })
        .expect(200);
      expect(own.body.memberships).toHaveLength(2);
      // Another set of roles revokes one's earlier tokens: sign in again.
      acmeAdmin = await login(t.server, 'admin@acme.example');
      const clerk = await api()
        .put(`/api/users/${users.clerk}/roles`)
        .set(acmeAdmin)
        .send({ roleIds: [roles['Mailroom clerks'], roles.Administrators] })
        .expect(200);
      expect((clerk.body.memberships as { name: string }[]).map((m) => m.name)).toEqual([
        'Administrators',
        'Mailroom clerks',
      ]);
      const created = await api()
        .post('/api/users')
        .set(acmeAdmin)
        .send(newUser('new-admin@acme.example', { roleIds: [roles.Administrators] }))
        .expect(201);
      expect(created.body.memberships).toEqual([
        { id: roles.Administrators, name: 'Administrators' },
      ]);
      const orgAdmin = await api()
        .post('/api/users')
        .set(acmeAdmin)
        .send(newUser('new-org-admin@acme.example', { isOrgAdmin: true }))
        .expect(201);
      expect(orgAdmin.body.isOrgAdmin).toBe(true);
      const role = await api()
        .post('/api/roles')
        .set(acmeAdmin)
        .send({
          name: 'Hub and HR',
          adminHub: true,
          tabs: ['audit'],
          folderGrants: [{ folderId: folders.HR, actions: ['view'] }],
        })
        .expect(201);
      expect(role.body.adminHub).toBe(true);
    });

    it('and so may a platform admin, in any organization', async () => {
      const res = await api()
        .post('/api/users')
        .set(platform)
        .send(
          newUser('platform-made@acme.example', {
            organizationId: org,
            isOrgAdmin: true,
            roleIds: [roles['Mailroom clerks']],
          }),
        )
        .expect(201);
      expect(res.body).toMatchObject({ isOrgAdmin: true, organizationId: org });
    });
  });
});
