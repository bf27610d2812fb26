import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');

/** Fails loudly (never skips) when the browser the suite drives is missing. */
export function requireChromium(): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser suite needs Debian's chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run installs it)`,
    );
  }
  return CHROMIUM;
}

/** The console built as `npm run build` builds it, into a temporary folder. */
export function buildConsole(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'postroom-console-'));
  execFileSync(process.execPath, [join(ROOT, 'console', 'build.mjs'), dir], { stdio: 'pipe' });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The console from another origin than the API: a static server of its own on
 * another port, so every API call from the page is cross-origin (CORS).
 */
export async function serveElsewhere(
  dir: string,
): Promise<{ origin: string; server: FastifyInstance }> {
  const server = Fastify();
  await server.register(fastifyStatic, { root: dir, preCompressed: true });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return { origin: `http://127.0.0.1:${address.port}`, server };
}

/** Where the suite writes its screenshots (gitignored). */
export function resultsDir(): string {
  const dir = join(ROOT, 'test-results');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export const DOCS_IMAGES = join(ROOT, 'docs', 'images');
