import 'reflect-metadata';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadConfig } from '../core/config/config.schema';
import { createApp } from '../create-app';
import { openApiDocument } from '../openapi-document';

/** The repository root: the nearest folder with a package.json (from src/cli or dist/src/cli). */
function repositoryRoot(dir = __dirname): string {
  if (existsSync(join(dir, 'package.json'))) return dir;
  const up = dirname(dir);
  if (up === dir) throw new Error(`no package.json above ${__dirname}`);
  return repositoryRoot(up);
}

/** Where the document is committed, at the repository root. */
export const OPENAPI_FILE = join(repositoryRoot(), 'openapi.json');

/** The committed text of a document: the same for the same document, on any machine. */
export function openApiText(doc: object): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * `npm run openapi`: builds the api application without a database (the pool is
 * declared, never opened) and writes its OpenAPI document to openapi.json.
 */
async function main(): Promise<void> {
  const cfg = loadConfig({
    NODE_ENV: 'test',
    APP_ROLE: 'api',
    DATABASE_URL: 'postgres://openapi@127.0.0.1:1/openapi',
    JWT_SECRET: 'openapi-document-only-openapi-document-only',
    REQUEST_LOGGING: 'false',
    FILE_LOGGING: 'false',
    PERFORMANCE_MONITORING: 'false',
    LOAD_DEMO_DATA: 'false',
  });
  const app = await createApp(cfg, { url: cfg.db.url ?? '', poolMax: 2, connect: false }, false);
  try {
    writeFileSync(OPENAPI_FILE, openApiText(openApiDocument(app)));
    process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
