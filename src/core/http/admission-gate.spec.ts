import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { AdmissionOptions } from './admission-gate';
import { AdmissionGate, attachAdmission } from './admission-gate';

/**
 * The gate on a bare Fastify over real sockets: a route that finishes only when
 * the test lets it, so "in flight" and "queued" are states the test controls.
 */
class Harness {
  readonly started: string[] = [];
  private readonly holds = new Map<string, () => void>();
  readonly fastify: FastifyInstance = Fastify();
  readonly gate: AdmissionGate;
  base = '';

  constructor(opts: Partial<AdmissionOptions>) {
    this.gate = new AdmissionGate({
      maxInFlight: 2,
      queueTimeoutMs: 10_000,
      headers: [['x-content-type-options', 'nosniff']],
      corsOrigins: ['https://app.example'],
      ...opts,
    });
    this.gate.attach(this.fastify);
    this.fastify.get<{ Params: { name: string } }>('/work/:name', async (req) => {
      this.started.push(req.params.name);
      await new Promise<void>((resolve) => this.holds.set(req.params.name, resolve));
      return { done: req.params.name };
    });
    this.fastify.get('/health/live', () => ({ status: 'ok' }));
  }

  async listen(): Promise<void> {
    this.base = await this.fastify.listen({ port: 0, host: '127.0.0.1' });
  }

  request(name: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.base}/work/${name}`, init);
  }

  finish(name: string): void {
    const release = this.holds.get(name);
    if (!release) throw new Error(`${name} is not running`);
    this.holds.delete(name);
    release();
  }

  close(): Promise<void> {
    for (const name of [...this.holds.keys()]) this.finish(name);
    return this.fastify.close();
  }
}

async function until(what: string, ok: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('AdmissionGate', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('works on at most maxInFlight requests and admits the others in arrival order', async () => {
    h = new Harness({ maxInFlight: 2 });
    await h.listen();
    const answers: Promise<Response>[] = [];
    for (const [i, name] of ['a', 'b', 'c', 'd', 'e'].entries()) {
      answers.push(h.request(name));
      // Each arrives before the next is sent, so arrival order is known.
      await until(`${name} to arrive`, () => h.started.length + h.gate.figures().queued === i + 1);
    }
    expect(h.started).toEqual(['a', 'b']);
    expect(h.gate.figures()).toMatchObject({ inFlight: 2, queued: 3, queuedTotal: 3 });

    h.finish('b');
    await until('c to start', () => h.started.length === 3);
    h.finish('a');
    await until('d to start', () => h.started.length === 4);
    expect(h.started).toEqual(['a', 'b', 'c', 'd']);
    h.finish('c');
    h.finish('d');
    await until('e to start', () => h.started.length === 5);
    h.finish('e');

    const bodies = await Promise.all(answers.map(async (a) => await (await a).json()));
    expect(bodies).toEqual(['a', 'b', 'c', 'd', 'e'].map((done) => ({ done })));
    await until('nothing in flight', () => h.gate.figures().inFlight === 0);
    expect(h.gate.figures()).toMatchObject({ queued: 0, shedTotal: 0, abandonedTotal: 0 });
  });

  it('answers 503 SERVER_BUSY with Retry-After after the queue timeout, with the usual headers', async () => {
    h = new Harness({ maxInFlight: 1, queueTimeoutMs: 100 });
    await h.listen();
    const first = h.request('a');
    await until('a to start', () => h.started.length === 1);

    const busy = await h.request('b', { headers: { origin: 'https://app.example' } });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(busy.headers.get('x-content-type-options')).toBe('nosniff');
    expect(busy.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(await busy.json()).toMatchObject({ statusCode: 503, code: 'SERVER_BUSY' });
    const foreign = await h.request('c', { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(503);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

    expect(h.started).toEqual(['a']); // the shed requests never ran
    expect(h.gate.figures()).toMatchObject({ inFlight: 1, queued: 0, shedTotal: 2 });
    h.finish('a');
    expect((await first).status).toBe(200);
  });

  it('never queues health probes', async () => {
    h = new Harness({ maxInFlight: 1 });
    await h.listen();
    const first = h.request('a');
    await until('a to start', () => h.started.length === 1);
    const queued = h.request('b');
    await until('b to queue', () => h.gate.figures().queued === 1);

    const live = await fetch(`${h.base}/health/live`);
    expect(live.status).toBe(200);
    expect(h.gate.figures()).toMatchObject({ inFlight: 1, queued: 1 });

    h.finish('a');
    await until('b to start', () => h.started.length === 2);
    h.finish('b');
    expect((await first).status).toBe(200);
    expect((await queued).status).toBe(200);
  });

  it('skips a waiter whose client left, and frees the slot of a client that left mid-request', async () => {
    h = new Harness({ maxInFlight: 1 });
    await h.listen();
    const leaving = new AbortController();
    const first = h.request('a', { signal: leaving.signal }).catch(() => 'aborted');
    await until('a to start', () => h.started.length === 1);
    const gone = new AbortController();
    const second = h.request('b', { signal: gone.signal }).catch(() => 'aborted');
    await until('b to queue', () => h.gate.figures().queued === 1);
    gone.abort();
    expect(await second).toBe('aborted');
    const third = h.request('c');
    await until('c to queue', () => h.gate.figures().queued === 2);

    // a's client leaves while a is still being worked on: its slot is free at once.
    leaving.abort();
    expect(await first).toBe('aborted');
    await until('c to start', () => h.started.length === 2);
    expect(h.started).toEqual(['a', 'c']);
    expect(h.gate.figures()).toMatchObject({ abandonedTotal: 1 });
    h.finish('c');
    expect((await third).status).toBe(200);
  });

  it('refuses a cap that is not a positive integer', () => {
    const opts = { queueTimeoutMs: 1, headers: [], corsOrigins: [] };
    expect(() => new AdmissionGate({ ...opts, maxInFlight: 0 })).toThrow(/positive integer/);
    expect(() => new AdmissionGate({ ...opts, maxInFlight: 1.5 })).toThrow(/positive integer/);
  });
});

describe('attachAdmission: a lane of its own for some routes', () => {
  const opts = { headers: [], corsOrigins: [] };
  let fastify: FastifyInstance;
  afterEach(async () => fastify.close());

  it('admits lane routes at their own gate, never at the main one, and sheds them with the lane code', async () => {
    fastify = Fastify();
    const main = new AdmissionGate({ ...opts, maxInFlight: 1, queueTimeoutMs: 10_000 });
    const login = new AdmissionGate({
      ...opts,
      maxInFlight: 1,
      queueTimeoutMs: 100,
      busyCode: 'LOGIN_BUSY',
      admits: 'sign-ins',
    });
    attachAdmission(fastify, main, { login });
    const holds: (() => void)[] = [];
    const hold = () => new Promise<void>((resolve) => holds.push(resolve));
    fastify.get('/work', async () => {
      await hold();
      return 'work';
    });
    fastify.post('/login', { config: { admissionLane: 'login' } }, async () => {
      await hold();
      return 'login';
    });
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });

    const work = fetch(`${base}/work`);
    await until('work to start', () => holds.length === 1);
    // The main gate is full, yet a sign-in is admitted in its lane (spelled as it may be).
    const signIn = fetch(`${base}/l%6Fgin`, { method: 'POST' });
    await until('the sign-in to start', () => holds.length === 2);
    expect(main.figures()).toMatchObject({ inFlight: 1, queued: 0 });
    expect(login.figures()).toMatchObject({ inFlight: 1, queued: 0 });

    const busy = await fetch(`${base}/login`, { method: 'POST' });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(await busy.json()).toEqual({
      statusCode: 503,
      code: 'LOGIN_BUSY',
      message: expect.stringContaining('(1 sign-ins in flight)') as unknown,
    });
    expect(login.figures()).toMatchObject({ shedTotal: 1 });
    expect(main.figures()).toMatchObject({ queuedTotal: 0, shedTotal: 0 });

    for (const release of holds) release();
    expect(await (await work).text()).toBe('work');
    expect(await (await signIn).text()).toBe('login');
  });

  it('caps lane routes even when the main gate is off', async () => {
    fastify = Fastify();
    const login = new AdmissionGate({ ...opts, maxInFlight: 1, queueTimeoutMs: 10_000 });
    attachAdmission(fastify, undefined, { login });
    let release = () => {};
    fastify.post('/login', { config: { admissionLane: 'login' } }, async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return 'login';
    });
    fastify.get('/other', () => 'other');
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    const first = fetch(`${base}/login`, { method: 'POST' });
    await until('the first to start', () => login.figures().inFlight === 1);
    const second = fetch(`${base}/login`, { method: 'POST' });
    await until('the second to queue', () => login.figures().queued === 1);
    expect(await (await fetch(`${base}/other`)).text()).toBe('other');
    release();
    expect(await (await first).text()).toBe('login');
    await until('the second to start', () => login.figures().inFlight === 1);
    release();
    expect(await (await second).text()).toBe('login');
  });
});
