import { readdirSync } from 'node:fs';
import request from 'supertest';
import { buildConsole } from '../browser/console-harness';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

/** The console at /console: hashed files cached for a year, index.html revalidated, precompressed copies. */
describe('console assets at /console', () => {
  let t: TestApp;
  let built: ReturnType<typeof buildConsole>;
  let script: string;

  beforeAll(async () => {
    built = buildConsole();
    script = readdirSync(built.dir).find((f) => /^console-\w+\.js$/.test(f)) ?? '';
    t = await startTestApp({ CONSOLE_DIR: built.dir });
  });
  afterAll(async () => {
    await t.close();
    built.remove();
  });

  it('redirects /console to /console/ and serves index.html as no-cache, Brotli when accepted', async () => {
    const bare = await request(t.server).get('/console');
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe('/console/');
    const res = await request(t.server).get('/console/').set('Accept-Encoding', 'br, gzip');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toContain(script);
  });

  it('serves the hashed script immutable for a year, gzip or plain as the client accepts', async () => {
    const gz = await request(t.server).get(`/console/${script}`).set('Accept-Encoding', 'gzip');
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const plain = await request(t.server)
      .get(`/console/${script}`)
      .set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/javascript/);
  });

  it('adds routes only: the hook chains of the app are those of an app without the console', async () => {
    const without = await startTestApp({ CONSOLE_DIR: `${built.dir}-none` }, t.db);
    try {
      // Every distinct hook chain in the route table ("• (onRequest) [...]"): a hook
      // added for the console would change the chain of every API route too.
      const chains = (app: TestApp) =>
        new Set(
          app.app
            .getHttpAdapter()
            .getInstance()
            .printRoutes({ includeHooks: true })
            .split('\n')
            .filter((line) => line.includes('• ('))
            .map((line) => line.slice(line.indexOf('• ('))),
        );
      const withConsole = chains(t);
      expect([...withConsole].some((chain) => chain.startsWith('• (onRequest)'))).toBe(true);
      expect(withConsole).toEqual(chains(without));
    } finally {
      await without.close();
    }
  });

  it('leaves the API as it was: no console headers on API answers, unknown files 404', async () => {
    const api = await request(t.server).get('/health/live');
    expect(api.headers['cache-control']).not.toBe('public, max-age=31536000, immutable');
    expect((await request(t.server).get('/console/nothing-here.js')).status).toBe(404);
  });
});
