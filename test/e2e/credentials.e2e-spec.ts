import request from 'supertest';
import { hashPassword } from '../../src/core/auth/password';
import { login, seedDemo, sql } from '../support/fixtures';
import { StatementCounter } from '../support/statements';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

type Auth = { Authorization: string };
type Row = Record<string, unknown>;

/**
 * A password change, a change of roles or of the organization-admin flag, and
 * a (de)activation refuse every token issued before, from the next request on,
 * on every replica; a warm request pays no statement for the check.
 */
describe('credential changes revoke earlier tokens', () => {
  let t: TestApp;
  let counter: StatementCounter;
  let acmeAdmin: Auth;
  let seq = 0;

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    counter = new StatementCounter(t);
    acmeAdmin = await login(t.server, 'admin@acme.example');
  });
  afterAll(async () => {
    counter.close();
    await t.close();
  });

  const api = () => request(t.server);

  /** GET as `auth`: status, error code and the statements the request sent. */
  async function get(auth: Auth, url = '/api/me') {
    const id = `cred-${++seq}`;
    const res = await api().get(url).set(auth).set('x-request-id', id);
    return {
      status: res.status,
      code: (res.body as { code?: string }).code,
      message: (res.body as { message?: string }).message,
      body: res.body as Row,
      statements: counter.of(id),
    };
  }

  let n = 0;
  /** A new user of acme (admin-made), signed in; returns its row and a token. */
  async function person(extra: Record<string, unknown> = {}) {
    const email = `person${++n}@acme.example`;
    const created = await api()
      .post('/api/users')
      .set(acmeAdmin)
      .send({ email, displayName: `Person ${n}`, password: 'first-password', ...extra })
      .expect(201);
    const body = created.body as { id: number; version: number };
    return {
      id: body.id,
      version: body.version,
      email,
      auth: await login(t.server, email, 'first-password'),
    };
  }

  const roleId = async (name: string) =>
    Number(
      (
        await sql<{ id: string }>(
          t.db.url,
          `SELECT r.id FROM roles r JOIN organizations o ON o.id = r.organization_id
           WHERE o.slug = 'acme' AND r.name = $1`,
          [name],
        )
      )[0].id,
    );

  it('revokes every token of a password change on the next request, warm ones too', async () => {
    const p = await person();
    const other = await login(t.server, p.email, 'first-password');
    expect((await get(p.auth)).status).toBe(200);
    expect((await get(other)).status).toBe(200);
    const warm = await get(p.auth);
    expect(warm.statements).toBe(0); // the check itself costs nothing when warm

    await api()
      .patch(`/api/users/${p.id}`)
      .set(acmeAdmin)
      .send({ version: p.version, password: 'second-password' })
      .expect(200);

    const first = await get(p.auth);
    expect(first).toMatchObject({ status: 401, code: 'AUTH_TOKEN_REVOKED' });
    expect(first.message).toMatch(/sign in again/i);
    expect(await get(other, '/api/organizations?limit=1')).toMatchObject({
      status: 401,
      code: 'AUTH_TOKEN_REVOKED',
    });
    // Still refused once the current access is cached again.
    const fresh = await login(t.server, p.email, 'second-password');
    expect((await get(fresh)).status).toBe(200);
    expect((await get(fresh)).statements).toBe(0);
    const again = await get(p.auth);
    expect(again).toMatchObject({ status: 401, code: 'AUTH_TOKEN_REVOKED' });
    expect(again.statements).toBeLessThanOrEqual(1);
  });

  it('revokes on another set of roles, not on the same set given again', async () => {
    const clerks = await roleId('Mailroom clerks');
    const finance = await roleId('Finance readers');
    const p = await person({ roleIds: [clerks] });
    expect((await get(p.auth)).status).toBe(200);
    await api()
      .put(`/api/users/${p.id}/roles`)
      .set(acmeAdmin)
      .send({ roleIds: [clerks] })
      .expect(200);
    expect((await get(p.auth)).status).toBe(200);
    await api()
      .put(`/api/users/${p.id}/roles`)
      .set(acmeAdmin)
      .send({ roleIds: [finance, clerks] })
      .expect(200);
    expect(await get(p.auth)).toMatchObject({ status: 401, code: 'AUTH_TOKEN_REVOKED' });
    const fresh = await login(t.server, p.email, 'first-password');
    expect(((await get(fresh)).body.roles as Row[]).map((r) => r.name)).toEqual([
      'Finance readers',
      'Mailroom clerks',
    ]);
  });

  it('revokes the tokens of a deleted role’s members, not of others', async () => {
    const created = await api()
      .post('/api/roles')
      .set(acmeAdmin)
      .send({ name: 'Short-lived', entityActions: { document: ['view'] } })
      .expect(201);
    const role = created.body as { id: number };
    const member = await person({ roleIds: [role.id] });
    const bystander = await person();
    expect((await get(member.auth)).status).toBe(200);
    await api().delete(`/api/roles/${role.id}`).set(acmeAdmin).expect(204);
    expect(await get(member.auth)).toMatchObject({ status: 401, code: 'AUTH_TOKEN_REVOKED' });
    expect((await get(bystander.auth)).status).toBe(200);
    const fresh = await login(t.server, member.email, 'first-password');
    expect((await get(fresh)).body.roles).toEqual([]);
  });

  it('revokes on the organization-admin flag, not on a new display name', async () => {
    const p = await person();
    const renamed = await api()
      .patch(`/api/users/${p.id}`)
      .set(acmeAdmin)
      .send({ version: p.version, displayName: 'Renamed' })
      .expect(200);
    expect((await get(p.auth)).body.user).toMatchObject({ displayName: 'Renamed' });
    await api()
      .patch(`/api/users/${p.id}`)
      .set(acmeAdmin)
      .send({ version: (renamed.body as { version: number }).version, isOrgAdmin: true })
      .expect(200);
    expect(await get(p.auth)).toMatchObject({ status: 401, code: 'AUTH_TOKEN_REVOKED' });
    const promoted = await login(t.server, p.email, 'first-password');
    expect((await get(promoted)).body.adminHub).toBe(true);
  });

  it('keeps the tokens of a deactivated account refused after it is reactivated', async () => {
    const p = await person();
    expect((await get(p.auth)).status).toBe(200);
    const off = await api()
      .patch(`/api/users/${p.id}`)
      .set(acmeAdmin)
      .send({ version: p.version, isActive: false })
      .expect(200);
    expect(await get(p.auth)).toMatchObject({ status: 401, code: 'AUTH_ACCOUNT_DISABLED' });
    await api()
      .patch(`/api/users/${p.id}`)
      .set(acmeAdmin)
      .send({ version: (off.body as { version: number }).version, isActive: true })
      .expect(200);
    expect(await get(p.auth)).toMatchObject({ status: 401, code: 'AUTH_TOKEN_REVOKED' });
    const back = await login(t.server, p.email, 'first-password');
    expect((await get(back)).status).toBe(200);
  });

  it('answers one’s own password change, then wants a new sign-in', async () => {
    const p = await person({ isOrgAdmin: true });
    const self = await api()
      .patch(`/api/users/${p.id}`)
      .set(p.auth)
      .send({ version: p.version, password: 'my-own-new-password' })
      .expect(200);
    expect(self.body).toMatchObject({ id: p.id, email: p.email });
    expect(await get(p.auth)).toMatchObject({ status: 401, code: 'AUTH_TOKEN_REVOKED' });
    await api()
      .post('/api/auth/login')
      .send({ email: p.email, password: 'first-password' })
      .expect(401);
    const fresh = await login(t.server, p.email, 'my-own-new-password');
    expect((await get(fresh)).body.user).toMatchObject({ id: p.id, isOrgAdmin: true });
  });

  it('revokes a platform admin’s tokens too (the platform’s stamp moves)', async () => {
    await sql(
      t.db.url,
      `INSERT INTO users (organization_id, email, display_name, password_hash, is_platform_admin)
       VALUES (NULL, 'ops@postroom.local', 'Ops', $1, true)`,
      [await hashPassword('ops-password-1')],
    );
    const ops = await login(t.server, 'ops@postroom.local', 'ops-password-1');
    const me = await get(ops);
    expect(me.body.organization).toBeNull();
    expect((await get(ops)).statements).toBe(0);
    const user = me.body.user as { id: number };
    const [{ version }] = await sql<{ version: number }>(
      t.db.url,
      'SELECT version FROM users WHERE id = $1',
      [user.id],
    );
    await api()
      .patch(`/api/users/${user.id}`)
      .set(ops)
      .send({ version, password: 'ops-password-2' })
      .expect(200);
    expect(await get(ops)).toMatchObject({ status: 401, code: 'AUTH_TOKEN_REVOKED' });
    const fresh = await login(t.server, 'ops@postroom.local', 'ops-password-2');
    expect((await get(fresh)).status).toBe(200);
  });
});
