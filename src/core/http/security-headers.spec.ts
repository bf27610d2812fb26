import fastifyHelmet from '@fastify/helmet';
import Fastify from 'fastify';
import { securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  const options = {
    contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'] } },
  };

  it('are the headers @fastify/helmet sets per request, worked out once', async () => {
    const app = Fastify();
    await app.register(fastifyHelmet, options);
    app.get('/', () => 'ok');
    const res = await app.inject({ method: 'GET', url: '/' });
    await app.close();
    const expected = Object.fromEntries(
      Object.entries(res.headers).filter(
        ([name]) => !['content-type', 'content-length', 'date', 'connection'].includes(name),
      ),
    );
    expect(Object.fromEntries(securityHeaders(options))).toEqual(expected);
  });

  it('carry the configured policy and helmet defaults', () => {
    const headers = new Map(securityHeaders(options));
    expect(headers.get('content-security-policy')).toContain("img-src 'self' data:");
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(headers.has('x-powered-by')).toBe(false);
  });
});
