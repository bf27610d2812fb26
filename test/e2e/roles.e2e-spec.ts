import request from 'supertest';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';
import { visibleDocumentIds } from '../support/visibility';

type Auth = { Authorization: string };
type Row = Record<string, unknown>;

describe('roles and grants', () => {
  let t: TestApp;
  let replica: TestApp;
  let platform: Auth;
  let acmeAdmin: Auth;
  let orgs: Record<string, number>;
  let folders: Record<string, number>;

  beforeAll(async () => {
    t = await startTestApp();
    // A second replica on the same database and the same Redis keys.
    replica = await startTestApp({ REDIS_KEY_PREFIX: t.cfg.redis.keyPrefix }, t.db);
    await seedDemo(t.db.url);
    platform = await login(t.server, ADMIN.email, ADMIN.password);
    acmeAdmin = await login(t.server, 'admin@acme.example');
    const o = await sql<{ slug: string; id: number }>(
      t.db.url,
      'SELECT slug, id FROM organizations',
    );
    orgs = Object.fromEntries(o.map((r) => [r.slug, Number(r.id)]));
    const f = await sql<{ name: string; id: number }>(
      t.db.url,
      'SELECT name, id FROM folders WHERE organization_id = $1',
      [orgs.acme],
    );
    folders = Object.fromEntries(f.map((r) => [r.name, Number(r.id)]));
  });
  afterAll(async () => {
    await replica.close();
    await t.close();
  });

  const api = (app: TestApp = t) => request(app.server);
  const roleByName = async (org: string, name: string) => {
    const [r] = await sql<{ id: number }>(
      t.db.url,
      'SELECT id FROM roles WHERE organization_id = $1 AND name = $2',
      [orgs[org], name],
    );
    return (await api().get(`/api/roles/${r.id}`).set(acmeAdmin).expect(200)).body as Row & {
      id: number;
      version: number;
    };
  };
  const documentIds = async (app: TestApp, auth: Auth): Promise<number[]> => {
    const res = await api(app).get('/api/documents?limit=500&sort=id').set(auth).expect(200);
    return (res.body.data as { id: number }[]).map((d) => d.id);
  };

  it('lists the roles of the own organization; platform admins see all', async () => {
    const res = await api().get('/api/roles?count=exact').set(acmeAdmin).expect(200);
    expect((res.body.data as Row[]).map((r) => r.name)).toEqual([
      'Administrators',
      'Finance readers',
      'Mailroom clerks',
    ]);
    expect((res.body.data as Row[])[0]).toMatchObject({ adminHub: true, memberCount: 1 });
    const all = await api().get('/api/roles?count=exact').set(platform).expect(200);
    expect(all.body.total.value).toBe(6);
  });

  it('shows a role with its grants and members', async () => {
    const role = await roleByName('acme', 'Mailroom clerks');
    expect(role.grants).toEqual({
      entityActions: {
        batch: ['create', 'view'],
        document: ['create', 'edit', 'view'],
        document_type: ['view'],
        folder: ['view'],
        mail: ['assign', 'create', 'edit', 'view'],
      },
      tabs: ['batch', 'document', 'folder', 'mail'],
      folderGrants: [
        { folderId: folders.Finance, folderName: 'Finance', actions: ['create', 'edit', 'view'] },
        { folderId: folders.Legal, folderName: 'Legal', actions: ['create', 'edit', 'view'] },
      ],
    });
    expect((role.members as Row[]).map((m) => m.displayName)).toEqual(['Acme Logistics Clerk']);
  });

  it('hides roles of other organizations as not found', async () => {
    const [g] = await sql<{ id: number }>(
      t.db.url,
      'SELECT id FROM roles WHERE organization_id = $1 LIMIT 1',
      [orgs.globex],
    );
    await api().get(`/api/roles/${g.id}`).set(acmeAdmin).expect(404);
    await api().delete(`/api/roles/${g.id}`).set(acmeAdmin).expect(404);
    await api().get(`/api/roles/${g.id}`).set(platform).expect(200);
  });

  it('creates a role with grants, audited', async () => {
    const res = await api()
      .post('/api/roles')
      .set(acmeAdmin)
      .send({
        name: 'Auditors',
        description: 'Read the audit log',
        entityActions: { audit: ['view'], document: ['view', 'export'] },
        tabs: ['audit'],
        folderGrants: [{ folderId: folders.HR, actions: ['view'] }],
      })
      .expect(201);
    expect(res.body).toMatchObject({
      name: 'Auditors',
      organizationId: orgs.acme,
      adminHub: false,
      memberCount: 0,
      version: 1,
    });
    expect(res.body.grants.entityActions).toEqual({
      audit: ['view'],
      document: ['export', 'view'],
    });
    const audit = await sql<{ action: string; organization_id: number }>(
      t.db.url,
      "SELECT action, organization_id FROM audit_log WHERE entity_type = 'role' AND entity_id = $1",
      [res.body.id],
    );
    expect(audit).toEqual([{ action: 'create', organization_id: orgs.acme }]);
  });

  it('names the field of bad grants and leaves nothing half-written', async () => {
    const unknownType = await api()
      .post('/api/roles')
      .set(acmeAdmin)
      .send({ name: 'Bad 1', entityActions: { spaceship: ['view'] } })
      .expect(400);
    expect(unknownType.body.parameter).toBe('entityActions.spaceship');
    const unknownAction = await api()
      .post('/api/roles')
      .set(acmeAdmin)
      .send({ name: 'Bad 2', folderGrants: [{ folderId: folders.HR, actions: ['fly'] }] })
      .expect(400);
    expect(unknownAction.body.parameter).toBe('folderGrants.0.actions');
    const [globexFolder] = await sql<{ id: number }>(
      t.db.url,
      'SELECT id FROM folders WHERE organization_id = $1 LIMIT 1',
      [orgs.globex],
    );
    const foreign = await api()
      .post('/api/roles')
      .set(acmeAdmin)
      .send({
        name: 'Bad 3',
        entityActions: { document: ['view'] },
        folderGrants: [
          { folderId: folders.HR, actions: ['view'] },
          { folderId: globexFolder.id, actions: ['view'] },
        ],
      })
      .expect(400);
    expect(foreign.body).toMatchObject({
      code: 'FOLDER_NOT_FOUND',
      parameter: 'folderGrants.1.folderId',
    });
    const badTab = await api()
      .post('/api/roles')
      .set(acmeAdmin)
      .send({ name: 'Bad 4', tabs: ['rockets'] })
      .expect(400);
    expect(badTab.body.parameter).toBe('tabs');
    const dup = await api()
      .post('/api/roles')
      .set(acmeAdmin)
      .send({ name: 'Mailroom clerks' })
      .expect(409);
    expect(dup.body.parameter).toBe('name');
    const left = await sql(t.db.url, "SELECT 1 FROM roles WHERE name LIKE 'Bad %'");
    expect(left).toHaveLength(0);
  });

  it('changes grants: the next request on another replica already sees them', async () => {
    const finance = await login(t.server, 'finance@acme.example');
    const before = await documentIds(replica, finance); // warm on the replica
    expect(before).toEqual(await visibleDocumentIds(t.db.url, 'finance@acme.example'));
    expect(await documentIds(replica, finance)).toEqual(before); // served from the shared cache

    const role = await roleByName('acme', 'Finance readers');
    const widened = await api()
      .put(`/api/roles/${role.id}/grants`)
      .set(acmeAdmin)
      .send({
        version: role.version,
        folderGrants: [
          { folderId: folders.Finance, actions: ['view'] },
          { folderId: folders.Legal, actions: ['view'] },
        ],
      })
      .expect(200);
    expect(widened.body.version).toBe(role.version + 1);
    const after = await documentIds(replica, finance);
    expect(after).toEqual(await visibleDocumentIds(t.db.url, 'finance@acme.example'));
    expect(after.length).toBeGreaterThan(before.length);

    // Taking the documents tab away: the grid answers 403 on the next request.
    await api()
      .put(`/api/roles/${role.id}/grants`)
      .set(acmeAdmin)
      .send({ version: role.version + 1, tabs: ['folder'] })
      .expect(200);
    const denied = await api(replica).get('/api/documents').set(finance).expect(403);
    expect(denied.body.message).toContain('tab');

    const stale = await api()
      .put(`/api/roles/${role.id}/grants`)
      .set(acmeAdmin)
      .send({ version: role.version, tabs: ['folder', 'document'] })
      .expect(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    await api()
      .put(`/api/roles/${role.id}/grants`)
      .set(acmeAdmin)
      .send({
        version: role.version + 2,
        tabs: ['document', 'folder'],
        folderGrants: [{ folderId: folders.Finance, actions: ['view'] }],
      })
      .expect(200);
    expect(await documentIds(replica, finance)).toEqual(before);

    const audit = await sql<{ changes: Row }>(
      t.db.url,
      "SELECT changes FROM audit_log WHERE entity_type = 'role' AND entity_id = $1 AND action = 'set_grants' ORDER BY id",
      [role.id],
    );
    expect(audit).toHaveLength(3);
    expect(audit[1].changes).toEqual({
      tabs: { from: ['document', 'folder'], to: ['folder'] },
    });
  });

  it('takes entity grants away on the next request', async () => {
    const clerk = await login(t.server, 'clerk@acme.example');
    await api(replica).get('/api/documents').set(clerk).expect(200);
    const role = await roleByName('acme', 'Mailroom clerks');
    const grants = role.grants as { entityActions: Record<string, string[]> };
    const { document: _gone, ...rest } = grants.entityActions;
    await api()
      .put(`/api/roles/${role.id}/grants`)
      .set(acmeAdmin)
      .send({ version: role.version, entityActions: rest })
      .expect(200);
    const res = await api(replica).get('/api/documents').set(clerk).expect(403);
    expect(res.body.message).toContain('document');
    await api()
      .put(`/api/roles/${role.id}/grants`)
      .set(acmeAdmin)
      .send({ version: role.version + 1, entityActions: grants.entityActions })
      .expect(200);
    await api(replica).get('/api/documents').set(clerk).expect(200);
  });

  it('renames a role and deletes one: members lose its rights at once', async () => {
    const created = await api()
      .post('/api/roles')
      .set(acmeAdmin)
      .send({ name: 'Temporary', entityActions: { user: ['view'] }, tabs: ['user'] })
      .expect(201);
    const [finance] = await sql<{ id: number }>(
      t.db.url,
      "SELECT id FROM users WHERE email = 'finance@acme.example'",
    );
    const current = await api().get(`/api/users/${finance.id}`).set(acmeAdmin).expect(200);
    const ids = (current.body.memberships as { id: number }[]).map((m) => m.id);
    await api()
      .put(`/api/users/${finance.id}/roles`)
      .set(acmeAdmin)
      .send({ roleIds: [...ids, created.body.id] })
      .expect(200);
    const financeAuth = await login(t.server, 'finance@acme.example');
    await api(replica).get('/api/users').set(financeAuth).expect(200);
    const renamed = await api()
      .patch(`/api/roles/${created.body.id}`)
      .set(acmeAdmin)
      .send({ version: created.body.version, name: 'Temporary (renamed)' })
      .expect(200);
    expect(renamed.body.name).toBe('Temporary (renamed)');
    const me = await api(replica).get('/api/me').set(financeAuth).expect(200);
    expect((me.body.roles as Row[]).map((r) => r.name)).toContain('Temporary (renamed)');

    await api().delete(`/api/roles/${created.body.id}`).set(acmeAdmin).expect(204);
    // Another role set for its members: their earlier tokens are refused, and signed in
    // again they no longer hold what the role gave.
    const stale = await api(replica).get('/api/users').set(financeAuth).expect(401);
    expect(stale.body.code).toBe('AUTH_TOKEN_REVOKED');
    const again = await login(t.server, 'finance@acme.example');
    await api(replica).get('/api/users').set(again).expect(403);
    const gone = await sql(t.db.url, 'SELECT 1 FROM user_roles WHERE role_id = $1', [
      created.body.id,
    ]);
    expect(gone).toHaveLength(0);
  });

  it('lets only organization admins hand out the admin hub', async () => {
    const hub = await api()
      .post('/api/roles')
      .set(acmeAdmin)
      .send({ name: 'Hub keepers', adminHub: true, entityActions: { user: ['view'] } })
      .expect(201);
    const plain = await api().post('/api/roles').set(acmeAdmin).send({ name: 'Plain' }).expect(201);
    await api()
      .post('/api/users')
      .set(acmeAdmin)
      .send({
        email: 'keeper@acme.example',
        displayName: 'Keeper',
        password: 'a-long-password',
        roleIds: [hub.body.id],
      })
      .expect(201);
    const keeper = await login(t.server, 'keeper@acme.example', 'a-long-password');
    await api().get('/api/roles').set(keeper).expect(200);
    const res = await api()
      .patch(`/api/roles/${plain.body.id}`)
      .set(keeper)
      .send({ version: plain.body.version, adminHub: true })
      .expect(403);
    expect(res.body.parameter).toBe('adminHub');
    await api()
      .put(`/api/roles/${hub.body.id}/grants`)
      .set(keeper)
      .send({ version: hub.body.version, tabs: ['user'] })
      .expect(403);
    // Ordinary roles are theirs to manage, within the grants they hold themselves.
    await api()
      .put(`/api/roles/${plain.body.id}/grants`)
      .set(keeper)
      .send({ version: plain.body.version, entityActions: { user: ['view'] } })
      .expect(200);
  });
});
