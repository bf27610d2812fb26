import type { IncomingMessage } from 'node:http';
import * as password from '../../src/core/auth/password';
import { DEMO_PASSWORD, login, seedDemo } from '../support/fixtures';
import { get, listen, tally } from '../support/load';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';
import type { TestDatabase } from '../support/test-db';
import { createTestDatabase } from '../support/test-db';

interface SignIn {
  status: number;
  body: Record<string, unknown>;
  code: string | undefined;
  retryAfter: string | null;
  token: string | undefined;
}

async function signIn(
  base: string,
  email: string,
  pw: string,
  signal?: AbortSignal,
): Promise<SignIn> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: pw }),
    signal,
  });
  const body = (await res.json()) as { code?: string; token?: string };
  return {
    status: res.status,
    body,
    code: body.code,
    retryAfter: res.headers.get('retry-after'),
    token: body.token,
  };
}

/** The value of one unlabelled Prometheus sample, undefined when absent. */
async function metric(base: string, name: string): Promise<number | undefined> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Counts the sign-in requests the server has received (parsed its request line of). */
function countArrivals(t: TestApp): { arrived: () => number; stop: () => void } {
  let n = 0;
  const onRequest = (req: IncomingMessage) => {
    if (req.method === 'POST' && req.url === '/api/auth/login') n++;
  };
  t.server.on('request', onRequest);
  return { arrived: () => n, stop: () => t.server.off('request', onRequest) };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('sign-in: the throttle and the login lane', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemo(db.url);
  });
  afterAll(async () => db.drop());

  describe('parallel guesses (main gate at its default, wide enough for all of them)', () => {
    let t: TestApp;
    let base: string;
    let verify: jest.SpyInstance;
    beforeAll(async () => {
      t = await startTestApp(
        { LOGIN_MAX_FAILURES: '5', LOGIN_MAX_IN_FLIGHT: '2', LOGIN_QUEUE_TIMEOUT_MS: '60000' },
        db,
      );
      base = await listen(t.app);
    });
    beforeEach(() => {
      verify = jest.spyOn(password, 'verifyPassword');
    });
    afterEach(() => verify.mockRestore());
    afterAll(async () => t.close());

    it('60 parallel wrong passwords on one email: 5 password checks, 5 × 401, then 429 with Retry-After', async () => {
      const answers = await Promise.all(
        Array.from({ length: 60 }, (_, i) => signIn(base, 'clerk@acme.example', `wrong-${i}`)),
      );
      expect(tally(answers, (a) => a.status)).toEqual({ 401: 5, 429: 55 });
      expect(verify).toHaveBeenCalledTimes(5);
      for (const a of answers.filter((x) => x.status === 429)) {
        expect(a.code).toBe('AUTH_THROTTLED');
        expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(Number(a.retryAfter)).toBeLessThanOrEqual(900);
      }
    });

    it('the right password after the limit was reached by guesses still in flight: 429, never a token', async () => {
      const email = 'finance@acme.example';
      const arrivals = countArrivals(t);
      let answers: SignIn[];
      try {
        const guesses = Array.from({ length: 30 }, (_, i) => signIn(base, email, `guess-${i}`));
        // All 30 are in the server (queued or worked on) before the right one is sent.
        await until('30 guesses to arrive', () => arrivals.arrived() === 30);
        const right = signIn(base, email, DEMO_PASSWORD);
        const more = Array.from({ length: 9 }, (_, i) => signIn(base, email, `later-${i}`));
        answers = await Promise.all([...guesses, right, ...more]);
      } finally {
        arrivals.stop();
      }
      const rightAnswer = answers[30];
      expect(rightAnswer).toMatchObject({ status: 429, code: 'AUTH_THROTTLED', token: undefined });
      expect(Number(rightAnswer.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(answers.filter((a) => a.token !== undefined || a.status === 200)).toEqual([]);
      expect(tally(answers, (a) => a.status)).toEqual({ 401: 5, 429: 35 });
      expect(verify).toHaveBeenCalledTimes(5);
    });

    it('a successful sign-in clears the count of its email and address', async () => {
      const email = 'admin@globex.example';
      const wrong = await Promise.all(Array.from({ length: 4 }, () => signIn(base, email, 'nope')));
      expect(wrong.map((a) => a.status)).toEqual([401, 401, 401, 401]);
      expect((await signIn(base, email, DEMO_PASSWORD)).token).toEqual(expect.any(String));
      const again = await Promise.all(Array.from({ length: 6 }, () => signIn(base, email, 'no')));
      expect(tally(again, (a) => a.status)).toEqual({ 401: 5, 429: 1 });
    });
  });

  describe('a flood of sign-ins beside signed-in traffic (HTTP_MAX_IN_FLIGHT=4)', () => {
    let t: TestApp;
    let base: string;
    beforeAll(async () => {
      t = await startTestApp(
        {
          HTTP_MAX_IN_FLIGHT: '4',
          HTTP_QUEUE_TIMEOUT_MS: '2000',
          LOGIN_MAX_IN_FLIGHT: '2',
          LOGIN_QUEUE_TIMEOUT_MS: '60000',
        },
        db,
      );
      base = await listen(t.app);
    });
    afterAll(async () => t.close());

    it('serves signed-in requests at once while hundreds of sign-ins wait in their own lane', async () => {
      const auth = await login(t.server, 'admin@acme.example');
      const storm = 400;
      const arrivals = countArrivals(t);
      const leave = new AbortController();
      let answered = 0;
      const flood = Array.from({ length: storm }, (_, i) =>
        signIn(base, `nobody-${i}@flood.example`, 'guess', leave.signal).then(
          (a) => {
            answered++;
            return a;
          },
          () => undefined,
        ),
      );
      try {
        await until('the flood to arrive', () => arrivals.arrived() === storm);
        const signedIn = [];
        for (let i = 0; i < 5; i++) {
          signedIn.push(await get(`${base}/api/documents?limit=10`, auth));
        }
        // Answered while most of the flood was still waiting.
        const answeredMeanwhile = answered;
        const loginQueued = await metric(base, 'postroom_login_queued');
        expect(signedIn).toEqual(
          Array.from({ length: 5 }, () => ({ status: 200, retryAfter: null, code: undefined })),
        );
        expect(answeredMeanwhile).toBeLessThan(storm / 2);
        expect(loginQueued).toBeGreaterThan(0);
        expect(await metric(base, 'postroom_http_shed_requests_total')).toBe(0);
        expect(await metric(base, 'postroom_login_max_in_flight')).toBe(2);
      } finally {
        arrivals.stop();
        leave.abort();
        await Promise.all(flood);
      }
      // The sign-ins left behind are dropped, not worked on: the lane empties.
      await until('the lane to empty', async () => {
        const [inFlight, queued] = await Promise.all([
          metric(base, 'postroom_login_in_flight'),
          metric(base, 'postroom_login_queued'),
        ]);
        return inFlight === 0 && queued === 0;
      });
      expect(await metric(base, 'postroom_login_abandoned_requests_total')).toBeGreaterThan(0);
    });
  });

  describe('a full login lane (LOGIN_MAX_IN_FLIGHT=1, LOGIN_QUEUE_TIMEOUT_MS=200)', () => {
    let t: TestApp;
    let base: string;
    beforeAll(async () => {
      t = await startTestApp({ LOGIN_MAX_IN_FLIGHT: '1', LOGIN_QUEUE_TIMEOUT_MS: '200' }, db);
      base = await listen(t.app);
    });
    afterAll(async () => t.close());

    it('answers what waited too long 503 LOGIN_BUSY with Retry-After, counted in /metrics', async () => {
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => signIn(base, `nobody-${i}@busy.example`, 'x')),
      );
      const counts = tally(answers, (a) => a.status);
      // 40 password checks one at a time take far longer than 200 ms.
      expect(counts[503]).toBeGreaterThan(0);
      expect((counts[401] ?? 0) + counts[503]).toBe(40);
      for (const a of answers.filter((x) => x.status === 503)) {
        expect(a).toMatchObject({ retryAfter: '1' });
        expect(a.body).toEqual({
          statusCode: 503,
          code: 'LOGIN_BUSY',
          message:
            'The server is at capacity (1 sign-ins in flight); the request waited 200 ms. Retry shortly.',
        });
      }
      expect(await metric(base, 'postroom_login_shed_requests_total')).toBe(counts[503]);
      expect(await metric(base, 'postroom_login_max_in_flight')).toBe(1);
      expect(await metric(base, 'postroom_http_queued_requests_total')).toBe(0);
    });
  });
});
