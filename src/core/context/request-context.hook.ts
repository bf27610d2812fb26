import type { FastifyInstance } from 'fastify';
import { CLS_ID, ClsServiceManager } from 'nestjs-cls';

/**
 * Opens each request's context (nestjs-cls) in Fastify's first onRequest hook.
 * ClsModule.forRoot would open it in a Nest middleware and also install a
 * global guard and interceptor that have nothing to do here, yet cost about
 * 0.4 ms of CPU per request (Nest runs every interceptor through rxjs and
 * AsyncResource.bind): measured with `npm run bench`. The context carries on
 * through body parsing, which Fastify binds to the context it started in.
 */
export function openRequestContexts(fastify: FastifyInstance): void {
  const cls = ClsServiceManager.getClsService();
  fastify.addHook('onRequest', (req, _reply, done) => {
    // A fresh store, never a copy of the one this hook happens to run in: a
    // request the admission gate lets in when another one's answer closes runs
    // its hooks inside that other request's context, and nestjs-cls's default
    // (inherit) would hand it that request's principal, memo, slots and counts.
    cls.run({ ifNested: 'override' }, () => {
      cls.set(CLS_ID, req.id);
      done();
    });
  });
}
