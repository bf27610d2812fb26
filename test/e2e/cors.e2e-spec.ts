import request from 'supertest';
import {
  CORS_ALLOWED_HEADERS,
  CORS_EXPOSED_HEADERS,
  CORS_MAX_AGE_SECONDS,
} from '../../src/core/http/cors';
import { ADMIN, login, seedDemo } from '../support/fixtures';
import { fastifyRoutes } from '../support/routes';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

const FRONTEND = 'https://app.example';
const ELSEWHERE = 'https://evil.example';

/** A browser frontend on another origin: every method a route answers must pass its preflight. */
describe('CORS for a browser frontend', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  beforeAll(async () => {
    t = await startTestApp({ CORS_ORIGINS: FRONTEND });
    await seedDemo(t.db.url);
    admin = await login(t.server, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => t.close());

  /** One API route per method, from Fastify's own route table (a new method is covered as it lands). */
  const routesByMethod = () => {
    const byMethod = new Map<string, string>();
    for (const r of fastifyRoutes(t.app)) {
      if (r.method === 'OPTIONS' || !r.url.startsWith('/api/')) continue;
      if (!byMethod.has(r.method)) byMethod.set(r.method, r.url.replace(/:[^/]+/g, '1'));
    }
    return [...byMethod.entries()];
  };

  it('finds the methods the API uses (PATCH, PUT and DELETE among them)', () => {
    expect(routesByMethod().map(([m]) => m)).toEqual(
      expect.arrayContaining(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
    );
  });

  it('answers the preflight of every method an API route uses', async () => {
    const refused: string[] = [];
    for (const [method, url] of routesByMethod()) {
      const res = await request(t.server)
        .options(url)
        .set('Origin', FRONTEND)
        .set('Access-Control-Request-Method', method)
        .set(
          'Access-Control-Request-Headers',
          'authorization,content-type,x-request-id,traceparent',
        );
      const allowed = String(res.headers['access-control-allow-methods'] ?? '').split(/,\s*/);
      const headers = String(res.headers['access-control-allow-headers'] ?? '').toLowerCase();
      if (
        res.status !== 204 ||
        res.headers['access-control-allow-origin'] !== FRONTEND ||
        !allowed.includes(method) ||
        !CORS_ALLOWED_HEADERS.every((h) => headers.includes(h.toLowerCase())) ||
        res.headers['access-control-max-age'] !== String(CORS_MAX_AGE_SECONDS)
      ) {
        refused.push(`${method} ${url}: ${res.status} ${JSON.stringify(res.headers)}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('lets the frontend read Retry-After and the request id of an answer', async () => {
    const res = await request(t.server)
      .get('/api/me')
      .set(admin)
      .set('Origin', FRONTEND)
      .set('X-Request-Id', 'ticket-4711')
      .expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(FRONTEND);
    expect(res.headers['access-control-expose-headers']).toBe(CORS_EXPOSED_HEADERS.join(', '));
    expect(res.headers['x-request-id']).toBe('ticket-4711');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    // An id that does not look like one (it would go into logs and the audit log) is replaced.
    const odd = await request(t.server)
      .get('/api/me')
      .set(admin)
      .set('X-Request-Id', `${'x'.repeat(200)}`)
      .expect(200);
    expect(odd.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an edit from the frontend carries the CORS headers, errors too', async () => {
    const res = await request(t.server)
      .patch('/api/folders/999999')
      .set(admin)
      .set('Origin', FRONTEND)
      .send({ version: 1, name: 'x' })
      .expect(404);
    expect(res.headers['access-control-allow-origin']).toBe(FRONTEND);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('gives another origin nothing to go on', async () => {
    const pre = await request(t.server)
      .options('/api/folders/1')
      .set('Origin', ELSEWHERE)
      .set('Access-Control-Request-Method', 'PATCH');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const res = await request(t.server).get('/api/me').set(admin).set('Origin', ELSEWHERE);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
