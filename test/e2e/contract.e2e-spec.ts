import request from 'supertest';
import type { GridRow, Schemas } from '../../client';
import type { Api } from '../support/contract-client';
import { contractClient } from '../support/contract-client';
import { ADMIN, seedDemo } from '../support/fixtures';
import type { OpenApiDocument } from '../support/openapi-conformance';
import { answerSchema, problems } from '../support/openapi-conformance';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

/** The keys a value of T must have. */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** The PATCH bodies (Update…Dto) whose generated type asks for more than the version. */
type OverRequired = {
  [N in keyof Schemas & `Update${string}Dto`]: Exclude<
    RequiredKeys<Schemas[N]>,
    'version'
  > extends never
    ? never
    : N;
}[keyof Schemas & `Update${string}Dto`];
// A PATCH sends what changes and the version it read: a field with a documented default is
// no required field of a body (openapi-typescript --default-non-nullable=false).
const patchBodiesAskOnlyTheVersion: [OverRequired] extends [never] ? true : false = true;

/**
 * The API through the generated client (client/): its types and the served
 * document against what the server answers. Column keys come from the document.
 */
describe('contract: the generated client against the running app', () => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let api: Api;
  let platform: Api;

  const client = (token?: string) => contractClient(t, token);

  const signIn = async (email: string, password: string) => {
    const { data, error } = await api.POST('/api/auth/login', { body: { email, password } });
    if (!data) throw new Error(`login ${email}: ${JSON.stringify(error)}`);
    return data.token;
  };

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    doc = (await request(t.server).get('/docs-json').expect(200)).body as OpenApiDocument;
    api = client();
    platform = client(await signIn(ADMIN.email, ADMIN.password));
  });
  afterAll(async () => t.close());

  const conforms = (value: unknown, path: string, method: string, status: number) => {
    const schema = answerSchema(doc, path, method, status);
    if (!schema) throw new Error(`${method} ${path} ${status}: no schema in the document`);
    expect(problems(doc, value, schema)).toEqual([]);
  };

  it('signs in, and a wrong password is an ApiErrorBody', async () => {
    const bad = await api.POST('/api/auth/login', {
      body: { email: ADMIN.email, password: 'not-the-password' },
    });
    expect(bad.response.status).toBe(401);
    expect(bad.error?.code).toBe('AUTH_INVALID_CREDENTIALS');
    conforms(bad.error, '/api/auth/login', 'post', 401);

    const ok = await api.POST('/api/auth/login', {
      body: { email: 'admin@acme.example', password: 'postroom-demo' },
    });
    expect(ok.data?.token).toEqual(expect.any(String));
    conforms(ok.data, '/api/auth/login', 'post', 200);
  });

  it('answers me as MeDto', async () => {
    const admin = client(await signIn('admin@acme.example', 'postroom-demo'));
    const { data } = await admin.GET('/api/me');
    expect(data?.organization?.name).toEqual(expect.any(String));
    conforms(data, '/api/me', 'get', 200);
    const me = await platform.GET('/api/me');
    expect(me.data?.organization).toBeNull();
    conforms(me.data, '/api/me', 'get', 200);
  });

  it('lists the folders grid, sorted and filtered through the typed query', async () => {
    const { data, error } = await platform.GET('/api/folders', {
      params: { query: { sort: ['-id'], filter: { id: { gte: 1 } }, limit: 5, count: 'exact' } },
    });
    expect(error).toBeUndefined();
    const rows: GridRow<'/api/folders'>[] = data?.data ?? [];
    expect(rows.length).toBe(5);
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort((a, b) => b - a));
    expect(data?.total?.exact).toBe(true);
    conforms(data, '/api/folders', 'get', 200);

    const cursor = data?.page.nextCursor ?? undefined;
    const next = await platform.GET('/api/folders', {
      params: { query: { sort: ['-id'], filter: { id: { gte: 1 } }, limit: 5, cursor } },
    });
    expect(next.data?.data[0]?.id).toBeLessThan(rows[4].id);
    // The cursor belongs to its sort and filters: without the filter it is stale.
    const stale = await platform.GET('/api/folders', {
      params: { query: { sort: ['-id'], limit: 5, cursor } },
    });
    expect(stale.response.status).toBe(400);
    expect(stale.error).toMatchObject({ code: 'GRID_CURSOR_STALE', parameter: 'cursor' });
  });

  it('answers every grid with rows of its row schema', async () => {
    const grids = Object.keys(doc.paths).filter((p) => {
      const ok = answerSchema(doc, p, 'get', 200);
      return ok?.$ref?.endsWith('GridPage') === true && !p.includes('{');
    });
    expect(grids.length).toBeGreaterThanOrEqual(9);
    for (const path of grids) {
      const res = await request(t.server)
        .get(path)
        .query({ limit: 50 })
        .set('Authorization', `Bearer ${await signIn(ADMIN.email, ADMIN.password)}`);
      expect(`${path} ${res.status}`).toBe(`${path} 200`);
      expect({
        path,
        problems: problems(doc, res.body, answerSchema(doc, path, 'get', 200)!),
      }).toEqual({
        path,
        problems: [],
      });
    }
  });

  it('creates a folder with a typed body and answers its row; a missing one is NOT_FOUND', async () => {
    const parent = await platform.GET('/api/folders', { params: { query: { limit: 1 } } });
    const parentId = parent.data?.data[0]?.id ?? null;
    const created = await platform.POST('/api/folders', {
      body: { name: `Contract ${Date.now()}`, parentId },
    });
    expect(created.response.status).toBe(201);
    conforms(created.data, '/api/folders', 'post', 201);

    const item = await platform.GET('/api/folders/{id}', {
      params: { path: { id: created.data!.id } },
    });
    expect(item.data).toEqual(created.data);
    conforms(item.data, '/api/folders/{id}', 'get', 200);

    const missing = await platform.GET('/api/folders/{id}', {
      params: { path: { id: 999999999 } },
    });
    expect(missing.error?.code).toBe('NOT_FOUND');
    conforms(missing.error, '/api/folders/{id}', 'get', 404);
  });

  it('answers the admin reports as documented', async () => {
    const pool = await platform.GET('/api/admin/pool-metrics');
    expect(pool.data?.server.available).toBe(true);
    conforms(pool.data, '/api/admin/pool-metrics', 'get', 200);
    const queues = await platform.GET('/api/admin/queues');
    expect(queues.response.status).toBe(200);
    conforms(queues.data, '/api/admin/queues', 'get', 200);
  });

  it('answers each grid item, and the richer user and role items, as documented', async () => {
    const items = Object.keys(doc.paths).filter(
      (p) => /^\/api\/[a-z-]+\/\{id\}$/.test(p) && answerSchema(doc, p, 'get', 200),
    );
    expect(items.length).toBeGreaterThanOrEqual(9);
    const token = await signIn(ADMIN.email, ADMIN.password);
    for (const path of items) {
      const list = await request(t.server)
        .get(path.replace('/{id}', ''))
        .query({ limit: 1 })
        .set('Authorization', `Bearer ${token}`);
      const first = (list.body as { data?: { id: number }[] }).data?.[0];
      if (!first) continue;
      const res = await request(t.server)
        .get(path.replace('{id}', String(first.id)))
        .set('Authorization', `Bearer ${token}`);
      expect(`${path} ${res.status}`).toBe(`${path} 200`);
      const schema = answerSchema(doc, path, 'get', 200)!;
      expect({ path, problems: problems(doc, res.body, schema) }).toEqual({ path, problems: [] });
    }
  });

  it('asks a PATCH body for the version and what changes, nothing more', () => {
    expect(patchBodiesAskOnlyTheVersion).toBe(true);
    const updates = Object.keys(doc.components.schemas).filter((n) => /^Update\w+Dto$/.test(n));
    expect(updates.length).toBeGreaterThanOrEqual(7);
    for (const name of updates) {
      expect({ name, required: doc.components.schemas[name].required }).toEqual({
        name,
        required: ['version'],
      });
    }
    const mail: Schemas['UpdateMailDto'] = { subject: 'Only the subject', version: 3 };
    expect(Object.keys(mail)).toEqual(['subject', 'version']);
  });
});
