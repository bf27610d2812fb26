import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Hashed file names (console-3KXJ2ZQA.js) never change content: cached for a year. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashed files: always revalidated. */
export const REVALIDATE = 'no-cache';

/** The build's console folder: dist/console beside the compiled server, or under dist when running the sources. */
export function defaultConsoleDir(serverDir: string, compiled: boolean): string {
  return compiled ? join(serverDir, '..', 'console') : join(serverDir, '..', 'dist', 'console');
}

/**
 * The web console at /console: the files `npm run build` wrote, with their
 * Brotli and gzip copies made at build time (no compression per request).
 * Routes only, no hook: API requests do no work for it. Not built: not served.
 */
export function serveConsole(app: NestFastifyApplication, dir: string): boolean {
  if (!existsSync(join(dir, 'index.html'))) {
    new Logger('Console').log(`not served: no build in ${dir} (npm run build writes it)`);
    return false;
  }
  void app.register(fastifyStatic, {
    root: dir,
    prefix: '/console/',
    preCompressed: true,
    cacheControl: false,
    // No reply.sendFile: the routes alone, nothing added to other requests' replies.
    decorateReply: false,
    setHeaders: (res: { setHeader(name: string, value: string): unknown }, path: string) => {
      // With preCompressed the path is the copy's (index.html.br).
      const file = basename(path).replace(/\.(br|gz)$/, '');
      res.setHeader('Cache-Control', file === 'index.html' ? REVALIDATE : IMMUTABLE);
    },
  });
  // The bare path: relative asset URLs in index.html need the trailing slash.
  app
    .getHttpAdapter()
    .getInstance()
    .get('/console', (_req, reply) => reply.redirect('/console/', 301));
  return true;
}
