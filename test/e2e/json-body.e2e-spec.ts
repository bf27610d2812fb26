import request from 'supertest';
import type { Headers } from '../support/grid-json';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import { login, seedDemo } from '../support/fixtures';

/** A maximal POST /api/batches body: 10,000 items with their fields at their longest. */
function maximalBatch(): string {
  const items = Array.from({ length: 10_000 }, (_, i) => ({
    subject: `${i} `.padEnd(500, 's'),
    sender: `${i}@`.padEnd(320, 'e'),
    documentTitle: `${i} `.padEnd(500, 'd'),
    receivedOn: '2025-03-01T08:00:00Z',
    priority: 'normal',
  }));
  return JSON.stringify({ name: 'M'.repeat(200), source: 'scan', items });
}

describe('JSON bodies', () => {
  let t: TestApp;
  let clerk: Headers;
  const post = (path: string, body: string) =>
    request(t.server).post(path).set(clerk).set('content-type', 'application/json').send(body);

  beforeAll(async () => {
    t = await startTestApp({ APP_ROLE: 'api' });
    await seedDemo(t.db.url);
    clerk = await login(t.server, 'clerk@acme.example');
  });
  afterAll(() => t.close());

  it.each(['/api/batches', '/api/mails'])(
    'refuses deep nesting on %s with 400, never 500',
    async (path) => {
      const deepArray = await post(path, '['.repeat(100_000));
      expect(deepArray.status).toBe(400);
      expect(deepArray.body).toMatchObject({ code: 'BODY_TOO_DEEP', parameter: 'body' });
      const deepObject = await post(path, '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000));
      expect(deepObject.status).toBe(400);
      expect(deepObject.body).toMatchObject({ code: 'BODY_TOO_DEEP', parameter: 'body' });
    },
  );

  it('refuses deep nesting in a heavy body, parsed on a body-parse thread', async () => {
    const body = `{"name":"${'x'.repeat(300_000)}","items":${'['.repeat(40)}${']'.repeat(40)}}`;
    const res = await post('/api/batches', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'BODY_TOO_DEEP', parameter: 'body' });
  });

  it.each([
    ['{"subject":"a","sender":"b","__proto__":{"admin":true}}', '__proto__'],
    ['{"subject":"a","sender":"b","constructor":{"prototype":{"x":1}}}', 'constructor'],
    [
      '{"name":"n","source":"scan","items":[{"subject":"a","sender":"b","__proto__":{}}]}',
      'items.0.__proto__',
    ],
  ])('refuses prototype keys: %s', async (body, parameter) => {
    const res = await post(body.includes('items') ? '/api/batches' : '/api/mails', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'BODY_PROTOTYPE_KEY', parameter });
  });

  it.each(['', '{"subject":', '{"a":1,}', 'not json'])(
    'answers %j with 400 BODY_INVALID_JSON',
    async (body) => {
      const res = await post('/api/mails', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'BODY_INVALID_JSON', parameter: 'body' });
    },
  );

  it('validates a heavy batch on the threads with the same 400s', async () => {
    const items = Array.from({ length: 2_000 }, (_, i) => ({
      subject: 'x'.repeat(200),
      sender: i === 1_234 ? '' : 'a@b.example',
    }));
    const res = await post('/api/batches', JSON.stringify({ name: 'n', source: 'scan', items }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', parameter: 'items.1234.sender' });
  });

  it('takes maximal batches while /health/live keeps answering', async () => {
    const body = maximalBatch();
    expect(body.length).toBeGreaterThan(13_000_000);
    const finished: string[] = [];
    const uploads = [0, 1, 2].map((i) =>
      post('/api/batches', body).then((res) => {
        finished.push(`upload ${i}`);
        return res;
      }),
    );
    // While the uploads are being parsed and validated, the probe is answered.
    await new Promise((r) => setTimeout(r, 300));
    const live = await request(t.server).get('/health/live');
    finished.push('live');
    expect(live.status).toBe(200);
    const answers = await Promise.all(uploads);
    for (const res of answers) {
      expect(res.status).toBe(201);
      expect(res.body.itemCount).toBe(10_000);
    }
    expect(finished.indexOf('live')).toBe(0);
  }, 120_000);
});
