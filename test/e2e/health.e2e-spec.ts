import request from 'supertest';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

describe('health basics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('answers liveness from the process alone', async () => {
    const res = await request(t.server).get('/health/live').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.process.status).toBe('up');
  });

  it('is ready when the database answers through the pool and Redis answers', async () => {
    const res = await request(t.server).get('/health/ready').expect(200);
    expect(res.body.details.database.status).toBe('up');
    expect(res.body.details.pool.max).toBe(t.cfg.db.maxConnections - t.cfg.db.reservedConnections);
    expect(res.body.details.redis.status).toBe('up');
  });

  it('sends security headers and a request id', async () => {
    const res = await request(t.server).get('/health/live').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('answers an unknown route with the error shape', async () => {
    const res = await request(t.server).get('/api/nothing-here').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('serves the OpenAPI document', async () => {
    const res = await request(t.server).get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths as object)).toContain('/health/ready');
  });
});
