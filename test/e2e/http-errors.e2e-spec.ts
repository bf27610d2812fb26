import request from 'supertest';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { ADMIN, login, seedDemo } from '../support/fixtures';

/** Every 4xx the HTTP layer itself produces: { statusCode, code, message, parameter? }. */
describe('errors of the HTTP layer', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp({ HTTP_BODY_LIMIT_BYTES: '4096' });
    await seedDemo(t.db.url);
    admin = await login(t.server, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => t.close());

  const shape = (status: number, code: string, parameter?: string) => ({
    statusCode: status,
    code,
    message: expect.any(String),
    ...(parameter ? { parameter } : {}),
  });

  it('415 for a content type no route takes', async () => {
    const res = await request(t.server)
      .post('/api/folders')
      .set(admin)
      .set('Content-Type', 'application/xml')
      .send('<folder/>')
      .expect(415);
    expect(res.body).toEqual(shape(415, 'UNSUPPORTED_MEDIA_TYPE', 'content-type'));
  });

  it('415 for text/plain on a JSON route', async () => {
    const res = await request(t.server)
      .patch('/api/folders/1')
      .set(admin)
      .set('Content-Type', 'text/plain')
      .send('{"version":1,"name":"x"}')
      .expect(415);
    expect(res.body).toEqual(shape(415, 'UNSUPPORTED_MEDIA_TYPE', 'content-type'));
  });

  it('400 BODY_NOT_OBJECT for a JSON body that is not an object', async () => {
    const res = await request(t.server)
      .post('/api/folders')
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('"a folder"')
      .expect(400);
    expect(res.body).toEqual(shape(400, 'BODY_NOT_OBJECT', 'body'));
  });

  it('413 PAYLOAD_TOO_LARGE beyond the body limit', async () => {
    const res = await request(t.server)
      .post('/api/folders')
      .set(admin)
      .send({ name: 'x'.repeat(8000) })
      .expect(413);
    expect(res.body).toEqual(shape(413, 'PAYLOAD_TOO_LARGE', 'body'));
  });

  it('431 REQUEST_HEADERS_TOO_LARGE for a URL over 16 KB', async () => {
    const res = await request(t.server)
      .get(`/api/documents?q=${'a'.repeat(17 * 1024)}`)
      .set(admin)
      .expect(431);
    expect(res.body).toEqual(shape(431, 'REQUEST_HEADERS_TOO_LARGE'));
  });

  it('404 ROUTE_NOT_FOUND for an unknown route', async () => {
    const res = await request(t.server).get('/api/nope').set(admin).expect(404);
    expect(res.body).toEqual(shape(404, 'ROUTE_NOT_FOUND'));
  });

  it('400 BODY_INVALID_JSON for an empty JSON body', async () => {
    const res = await request(t.server)
      .post('/api/folders')
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('')
      .expect(400);
    expect(res.body).toEqual(shape(400, 'BODY_INVALID_JSON', 'body'));
  });

  it('400 BODY_INVALID_JSON for malformed JSON', async () => {
    const res = await request(t.server)
      .post('/api/folders')
      .set(admin)
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.body).toEqual(shape(400, 'BODY_INVALID_JSON', 'body'));
  });

  it('400 INVALID_ID naming the path parameter as sent', async () => {
    const res = await request(t.server).get('/api/documents/abc').set(admin).expect(400);
    expect(res.body).toEqual({
      ...shape(400, 'INVALID_ID', 'id'),
      message: 'id: got "abc", takes a positive integer',
    });
  });
});
