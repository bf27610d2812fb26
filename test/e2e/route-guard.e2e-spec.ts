import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { login, seedDemo, sql } from '../support/fixtures';
import type { Route } from '../support/routes';
import { concreteUrl, fastifyRoutes, nestHandlers } from '../support/routes';

/**
 * Reachable without a token, and nothing else: sign-in, health probes, the
 * OpenAPI document and UI, Prometheus metrics, CORS preflight, and the
 * console's static files when it is built (it signs in through the API).
 */
const PUBLIC: RegExp[] = [
  /^POST \/api\/auth\/login$/,
  /^(GET|HEAD) \/health(\/.*)?$/,
  /^(GET|HEAD) \/docs(\/.*|-json|-yaml)?$/,
  /^(GET|HEAD) \/metrics$/,
  /^(GET|HEAD) \/console(\/.*|\*)?$/,
  /^OPTIONS \*$/,
];
const isPublic = (r: Route) => PUBLIC.some((p) => p.test(`${r.method} ${r.url}`));

function send(t: TestApp, r: Route, headers: Record<string, string> = {}) {
  const agent = request(t.server);
  const url = concreteUrl(r.url);
  const req =
    r.method === 'GET'
      ? agent.get(url)
      : r.method === 'HEAD'
        ? agent.head(url)
        : r.method === 'POST'
          ? agent.post(url)
          : r.method === 'PUT'
            ? agent.put(url)
            : r.method === 'PATCH'
              ? agent.patch(url)
              : r.method === 'DELETE'
                ? agent.delete(url)
                : agent.options(url);
  return req.set(headers);
}

describe('every route is guarded', () => {
  let t: TestApp;
  let routes: Route[];
  let guarded: Route[];

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    routes = fastifyRoutes(t.app);
    guarded = routes.filter((r) => !isPublic(r));
  });
  afterAll(async () => t.close());

  it('reads the route table of the running app', () => {
    expect(routes.length).toBeGreaterThan(20);
    // Known routes of several modules are in it: the parse is not vacuous.
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'GET /api/documents',
        'PATCH /api/users/:id',
        'PUT /api/roles/:id/grants',
        'GET /api/me',
        'POST /api/auth/login',
        'GET /health/live',
      ]),
    );
  });

  it('has every Nest handler in the route table, and marks public exactly the allow-list', () => {
    const handlers = nestHandlers(t.app);
    expect(handlers.length).toBeGreaterThan(15);
    const table = new Set(routes.map((r) => `${r.method} ${r.url}`));
    const problems: string[] = [];
    for (const h of handlers) {
      // Excluded from the global prefix (health, metrics) or under it.
      const url = table.has(`${h.method} /api${h.path}`) ? `/api${h.path}` : h.path;
      const where = `${h.controller}.${h.handler} (${h.method} ${url})`;
      if (!table.has(`${h.method} ${url}`)) problems.push(`${where}: not in the route table`);
      if (h.isPublic !== isPublic({ method: h.method, url })) {
        problems.push(`${where}: @Public() is ${h.isPublic}, the allow-list says ${!h.isPublic}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('documents every API route in OpenAPI', async () => {
    const doc = await request(t.server).get('/docs-json').expect(200);
    const paths = doc.body.paths as Record<string, Record<string, unknown>>;
    const documented = new Set(
      Object.entries(paths).flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
      ),
    );
    const api = routes.filter((r) => r.url.startsWith('/api/') && r.method !== 'HEAD');
    for (const r of api) expect(documented).toContain(`${r.method} ${r.url}`);
  });

  it('answers 401 AUTH_TOKEN_MISSING on every other route without a token', async () => {
    expect(guarded.length).toBeGreaterThan(20);
    const answers = await Promise.all(guarded.map((r) => send(t, r)));
    // HEAD answers carry no body: the status alone tells.
    const wrong = guarded
      .map((r, i) => {
        const code =
          r.method === 'HEAD' ? 'AUTH_TOKEN_MISSING' : (answers[i].body as { code?: string }).code;
        return `${r.method} ${r.url} ${answers[i].status} ${code}`;
      })
      .filter((line) => !line.endsWith(' 401 AUTH_TOKEN_MISSING'));
    expect(wrong).toEqual([]);
  });

  it('lets the allow-listed routes through without a token', async () => {
    const open = routes.filter(isPublic).filter((r) => r.method !== 'OPTIONS');
    expect(open.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /api/auth/login', 'GET /health/live', 'GET /docs-json']),
    );
    for (const r of open) {
      const res = await send(t, r);
      expect(`${r.method} ${r.url} ${res.status}`).not.toMatch(/ 401$/);
    }
  });

  describe('tokens that are not good enough', () => {
    const claims = { org: null, pa: true, oa: false };
    const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
    const cases: [string, () => string, string][] = [
      [
        'signed with another secret',
        () =>
          jwt.sign(claims, 'another-secret-another-secret-0123456789', {
            algorithm: 'HS256',
            subject: '1',
            issuer: 'postroom',
            expiresIn: 600,
          }),
        'AUTH_TOKEN_INVALID',
      ],
      [
        'expired',
        () =>
          jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, t.cfg.auth.jwtSecret, {
            algorithm: 'HS256',
            subject: '1',
            issuer: 'postroom',
          }),
        'AUTH_TOKEN_EXPIRED',
      ],
      [
        'from another issuer',
        () =>
          jwt.sign(claims, t.cfg.auth.jwtSecret, {
            algorithm: 'HS256',
            subject: '1',
            issuer: 'someone-else',
            expiresIn: 600,
          }),
        'AUTH_TOKEN_INVALID',
      ],
      [
        'unsigned (alg none)',
        () =>
          `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
            JSON.stringify({ ...claims, sub: '1', iss: 'postroom', exp: Date.now() / 1000 + 600 }),
          ).toString('base64url')}.`,
        'AUTH_TOKEN_INVALID',
      ],
      ['garbage', () => 'not-a-token', 'AUTH_TOKEN_INVALID'],
      [
        'without a credential version (issued before tokens carried one)',
        () =>
          jwt.sign(claims, t.cfg.auth.jwtSecret, {
            algorithm: 'HS256',
            subject: '1',
            issuer: 'postroom',
            expiresIn: 600,
          }),
        'AUTH_TOKEN_REVOKED',
      ],
    ];

    it.each(cases)(
      'answers 401 on every guarded route to a token %s',
      async (_what, make, code) => {
        const headers = bearer(make());
        const targets = guarded.filter((r) => r.method !== 'HEAD');
        const answers = await Promise.all(targets.map((r) => send(t, r, headers)));
        const wrong = targets
          .map(
            (r, i) =>
              `${r.method} ${r.url} ${answers[i].status} ${(answers[i].body as { code?: string }).code}`,
          )
          .filter((line) => !line.endsWith(` 401 ${code}`));
        expect(wrong).toEqual([]);
      },
    );

    it('refuses a well-signed token of a deleted user', async () => {
      const [{ id }] = await sql<{ id: number }>(
        t.db.url,
        "INSERT INTO users (organization_id, email, display_name, password_hash) SELECT id, 'ghost@acme.example', 'Ghost', 'x' FROM organizations WHERE slug = 'acme' RETURNING id",
      );
      const [{ org }] = await sql<{ org: number }>(
        t.db.url,
        'SELECT organization_id AS org FROM users WHERE id = $1',
        [id],
      );
      await sql(t.db.url, 'DELETE FROM users WHERE id = $1', [id]);
      const token = jwt.sign(
        { org: Number(org), pa: false, oa: false, cv: 1 },
        t.cfg.auth.jwtSecret,
        {
          algorithm: 'HS256',
          subject: String(id),
          issuer: 'postroom',
          expiresIn: 600,
        },
      );
      const res = await request(t.server).get('/api/me').set(bearer(token)).expect(401);
      expect(res.body.code).toBe('AUTH_USER_UNKNOWN');
    });

    it('refuses a token whose organization claim is not the account’s', async () => {
      const [u] = await sql<{ id: number }>(
        t.db.url,
        "SELECT id FROM users WHERE email = 'clerk@acme.example'",
      );
      const [g] = await sql<{ id: number }>(
        t.db.url,
        "SELECT id FROM organizations WHERE slug = 'globex'",
      );
      const [{ cv }] = await sql<{ cv: string }>(
        t.db.url,
        'SELECT credential_version AS cv FROM users WHERE id = $1',
        [u.id],
      );
      const token = jwt.sign(
        { org: Number(g.id), pa: false, oa: false, cv: Number(cv) },
        t.cfg.auth.jwtSecret,
        {
          algorithm: 'HS256',
          subject: String(u.id),
          issuer: 'postroom',
          expiresIn: 600,
        },
      );
      const res = await request(t.server).get('/api/documents').set(bearer(token)).expect(401);
      expect(res.body.code).toBe('AUTH_TOKEN_STALE');
    });
  });

  describe('admin APIs', () => {
    /** Valid bodies, so that the answer is about rights and not about input. */
    const BODIES: Record<string, object> = {
      'POST /api/users': { email: 'x@acme.example', displayName: 'X', password: 'a-long-password' },
      'PATCH /api/users/:id': { version: 1, displayName: 'Y' },
      'PUT /api/users/:id/roles': { roleIds: [] },
      'POST /api/roles': { name: 'Z' },
      'PATCH /api/roles/:id': { version: 1, name: 'Z' },
      'PUT /api/roles/:id/grants': { version: 1, tabs: [] },
    };
    const adminRoutes = () =>
      fastifyRoutes(t.app).filter(
        (r) =>
          r.method !== 'HEAD' &&
          (r.url.startsWith('/api/roles') ||
            (r.url.startsWith('/api/users') && r.method !== 'GET')),
      );

    it('answers 403 to users without the admin hub, on every admin route', async () => {
      const routesToCheck = adminRoutes();
      expect(routesToCheck.length).toBeGreaterThanOrEqual(11);
      const [{ id: someUser }] = await sql<{ id: number }>(
        t.db.url,
        "SELECT id FROM users WHERE email = 'finance@acme.example'",
      );
      for (const email of ['clerk@acme.example', 'finance@globex.example']) {
        const auth = await login(t.server, email);
        for (const r of routesToCheck) {
          const res = await send(
            t,
            { method: r.method, url: r.url.replace(':id', String(someUser)) },
            auth,
          ).send(BODIES[`${r.method} ${r.url}`] ?? {});
          expect(
            `${email} ${r.method} ${r.url} ${res.status} ${(res.body as { code?: string }).code}`,
          ).toBe(`${email} ${r.method} ${r.url} 403 FORBIDDEN`);
        }
      }
    });

    it('answers 403 on the users grid to users without the users tab or the hub', async () => {
      const auth = await login(t.server, 'finance@acme.example');
      for (const url of ['/api/users', '/api/users/columns/isActive/values']) {
        await request(t.server).get(url).set(auth).expect(403);
      }
    });

    it('lets an organization admin through the same routes', async () => {
      const auth = await login(t.server, 'admin@acme.example');
      await request(t.server).get('/api/roles').set(auth).expect(200);
      await request(t.server).get('/api/roles/columns').set(auth).expect(200);
      await request(t.server)
        .post('/api/users')
        .set(auth)
        .send(BODIES['POST /api/users'])
        .expect(201);
    });
  });
});
