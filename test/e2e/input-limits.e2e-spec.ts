import request from 'supertest';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, login, seedDemo, sql } from '../support/fixtures';

type Headers = { Authorization: string };
type Body = Record<string, unknown>;

/**
 * Hostile values the database would refuse with a 500 (NUL: invalid byte
 * sequence for UTF8; integers beyond int4/int8) are 400 naming the field, and
 * nothing is written.
 */
describe('input limits', () => {
  let t: TestApp;
  let platform: Headers;
  let admin: Headers;
  const id: Record<string, number> = {};
  const one = async (text: string, params: unknown[] = []) =>
    Number(Object.values((await sql(t.db.url, text, params))[0])[0]);

  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.db.url);
    id.acme = await one("SELECT id FROM organizations WHERE slug = 'acme'");
    id.folder = await one(
      "SELECT id FROM folders WHERE organization_id = $1 AND name = 'Finance'",
      [id.acme],
    );
    id.document = await one('SELECT min(id) FROM documents WHERE organization_id = $1', [id.acme]);
    id.mail = await one('SELECT min(id) FROM mails WHERE organization_id = $1', [id.acme]);
    id.user = await one("SELECT id FROM users WHERE email = 'clerk@acme.example'");
    id.type = await one('SELECT min(id) FROM document_types WHERE organization_id = $1', [id.acme]);
    id.role = await one('SELECT min(id) FROM roles WHERE organization_id = $1', [id.acme]);
    platform = await login(t.server, ADMIN.email, ADMIN.password);
    admin = await login(t.server, 'admin@acme.example');
  }, 60_000);
  afterAll(async () => t.close());

  const TABLES = [
    'documents',
    'mails',
    'folders',
    'users',
    'user_roles',
    'batches',
    'organizations',
    'document_types',
    'roles',
    'role_folder_permissions',
  ];
  /** A fingerprint of every row of the tables written to. */
  const snapshot = async () =>
    Promise.all(
      TABLES.map(async (table) =>
        String(
          (
            await sql<{ h: string | null }>(
              t.db.url,
              `SELECT md5(string_agg(x::text, ',' ORDER BY x::text)) AS h FROM ${table} x`,
            )
          )[0].h,
        ),
      ),
    );

  const send = (method: 'post' | 'patch' | 'put', url: string, body: Body, h = admin) =>
    request(t.server)[method](url).set(h).send(body);

  /** [route label, method, url (ids filled in), a valid body, as platform admin]. */
  const routes = () =>
    ({
      'POST /documents': ['post', '/api/documents', { title: 'T', folderId: id.folder }],
      'PATCH /documents/:id': ['patch', `/api/documents/${id.document}`, { version: 1 }],
      'POST /mails': ['post', '/api/mails', { subject: 'S', sender: 'a@b.example' }],
      'PATCH /mails/:id': ['patch', `/api/mails/${id.mail}`, { version: 1 }],
      'POST /folders': ['post', '/api/folders', { name: 'N', parentId: id.folder }],
      'PATCH /folders/:id': ['patch', `/api/folders/${id.folder}`, { version: 1 }],
      'POST /users': [
        'post',
        '/api/users',
        { email: 'new@acme.example', displayName: 'D', password: 'long-enough-1' },
      ],
      'PATCH /users/:id': ['patch', `/api/users/${id.user}`, { version: 1 }],
      'PUT /users/:id/roles': ['put', `/api/users/${id.user}/roles`, { roleIds: [] }],
      'POST /batches': [
        'post',
        '/api/batches',
        { name: 'B', source: 'api', items: [{ subject: 'S', sender: 'x@y.example' }] },
      ],
      'POST /organizations': ['post', '/api/organizations', { name: 'O', slug: 'o-new' }, true],
      'PATCH /organizations/:id': ['patch', `/api/organizations/${id.acme}`, { version: 1 }, true],
      'POST /document-types': ['post', '/api/document-types', { name: 'DT' }],
      'PATCH /document-types/:id': ['patch', `/api/document-types/${id.type}`, { version: 1 }],
      'POST /roles': ['post', '/api/roles', { name: 'R' }],
      'PATCH /roles/:id': ['patch', `/api/roles/${id.role}`, { version: 1 }],
      'PUT /roles/:id/grants': ['put', `/api/roles/${id.role}/grants`, { version: 1 }],
      'POST /mails/:id/assign': ['post', `/api/mails/${id.mail}/assign`, {}],
    }) as Record<string, ['post' | 'patch' | 'put', string, Body, boolean?]>;

  /** Sets a value at a path like items.0.subject. */
  function withValue(body: Body, path: string, value: unknown): Body {
    const copy = JSON.parse(JSON.stringify(body)) as Body;
    const keys = path.split('.');
    let at: Record<string, unknown> = copy;
    for (const k of keys.slice(0, -1)) {
      at[k] ??= /^\d+$/.test(keys[keys.indexOf(k) + 1]) ? [] : {};
      at = at[k] as Record<string, unknown>;
    }
    at[keys[keys.length - 1]] = value;
    return copy;
  }

  async function expectRefused(route: string, field: string, value: unknown, message?: string) {
    const [method, url, valid, asPlatform] = routes()[route];
    const before = await snapshot();
    const res = await send(
      method,
      url,
      withValue(valid, field, value),
      asPlatform ? platform : admin,
    );
    expect({ route, field, status: res.status, body: res.body as unknown }).toMatchObject({
      status: 400,
      body: {
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        parameter: field,
        message: message ?? expect.stringMatching(new RegExp(`^${field.replace(/\./g, '\\.')}\\b`)),
      },
    });
    expect(await snapshot()).toEqual(before);
  }

  const NUL_CASES: [string, string][] = [
    ['POST /documents', 'title'],
    ['POST /documents', 'fileName'],
    ['POST /documents', 'mimeType'],
    ['PATCH /documents/:id', 'title'],
    ['PATCH /documents/:id', 'fileName'],
    ['PATCH /documents/:id', 'mimeType'],
    ['POST /mails', 'subject'],
    ['POST /mails', 'sender'],
    ['PATCH /mails/:id', 'subject'],
    ['PATCH /mails/:id', 'sender'],
    ['POST /folders', 'name'],
    ['PATCH /folders/:id', 'name'],
    ['POST /users', 'displayName'],
    ['POST /users', 'password'],
    ['PATCH /users/:id', 'displayName'],
    ['POST /batches', 'name'],
    ['POST /batches', 'items.0.subject'],
    ['POST /batches', 'items.0.sender'],
    ['POST /batches', 'items.0.documentTitle'],
    ['POST /organizations', 'name'],
    ['PATCH /organizations/:id', 'name'],
    ['POST /document-types', 'name'],
    ['POST /document-types', 'description'],
    ['PATCH /document-types/:id', 'description'],
    ['POST /roles', 'name'],
    ['POST /roles', 'description'],
    ['PATCH /roles/:id', 'name'],
  ];

  it.each(NUL_CASES)('%s: NUL in %s is 400 naming the field, nothing written', (route, field) =>
    expectRefused(route, field, 'a\u0000b', `${field} must not contain NUL characters`),
  );

  it.each([
    ['POST /documents', 'title'],
    ['POST /mails', 'subject'],
  ])('%s: a lone surrogate in %s is 400', (route, field) =>
    expectRefused(
      route,
      field,
      'a\ud800b',
      `${field} must be well-formed text (no lone surrogates)`,
    ),
  );

  const INT8 = 'must be at most 9007199254740991';
  const INT_CASES: [string, string, number, string][] = [
    ['POST /documents', 'pageCount', 2 ** 31, 'must be at most 2147483647'],
    ['PATCH /documents/:id', 'pageCount', 2 ** 31, 'must be at most 2147483647'],
    ['POST /documents', 'sizeBytes', 2 ** 63, INT8],
    ['POST /documents', 'folderId', 2 ** 63, INT8],
    ['POST /documents', 'folderId', 1e308, INT8],
    ['PATCH /documents/:id', 'folderId', 2 ** 63, INT8],
    ['POST /documents', 'documentTypeId', 2 ** 63, INT8],
    ['POST /documents', 'mailId', 2 ** 63, INT8],
    ['POST /mails', 'folderId', 2 ** 63, INT8],
    ['PATCH /mails/:id', 'folderId', 1e308, INT8],
    ['POST /folders', 'parentId', 2 ** 63, INT8],
    ['PATCH /folders/:id', 'parentId', 2 ** 63, INT8],
    ['POST /mails/:id/assign', 'userId', 2 ** 63, INT8],
    ['POST /users', 'organizationId', 2 ** 63, INT8],
    ['POST /document-types', 'retentionDays', 2 ** 31, 'must be at most 2147483647'],
    ['POST /document-types', 'organizationId', 2 ** 63, INT8],
    ['POST /batches', 'organizationId', 2 ** 63, INT8],
    ['POST /batches', 'items.0.folderId', 2 ** 63, INT8],
    ['POST /batches', 'items.0.documentTypeId', 1e308, INT8],
    ['POST /roles', 'organizationId', 2 ** 63, INT8],
    ['PATCH /documents/:id', 'version', 2 ** 31, 'must be at most 2147483647'],
  ];

  it.each(INT_CASES)('%s: %s = %d is 400 naming the field', (route, field, value, reason) =>
    expectRefused(route, field, value, `${field} ${reason}`),
  );

  it.each([
    ['POST /users', 'roleIds'],
    ['PUT /users/:id/roles', 'roleIds'],
  ])('%s: %s with 2^63 is 400 naming the field', (route, field) =>
    expectRefused(route, field, [2 ** 63], `${field}[0] ${INT8}`),
  );

  it('PUT /roles/:id/grants: folderGrants.0.folderId names the nested field', async () => {
    const res = await send('put', `/api/roles/${id.role}/grants`, {
      version: 1,
      folderGrants: [{ folderId: 2 ** 63, actions: ['view'] }],
    });
    expect(res.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: `folderGrants.0.folderId ${INT8}`,
      parameter: 'folderGrants.0.folderId',
    });
  });

  describe('messages say what is wrong', () => {
    it('PATCH without version: version is required', () =>
      expectRefused('PATCH /documents/:id', 'version', undefined, 'version is required'));

    it('"version": "4": version must be an integer', () =>
      expectRefused('PATCH /folders/:id', 'version', '4', 'version must be an integer'));

    it('assign {}: userId is required', () =>
      expectRefused('POST /mails/:id/assign', 'userId', undefined, 'userId is required'));

    it('login without password: password is required', async () => {
      const res = await request(t.server)
        .post('/api/auth/login')
        .send({ email: 'admin@acme.example' })
        .expect(400);
      expect(res.body).toEqual({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        message: 'password is required',
        parameter: 'password',
      });
    });

    it('a missing batch item field names items.<n>.<field>', () =>
      expectRefused('POST /batches', 'items.0.sender', undefined, 'items.0.sender is required'));
  });
});
