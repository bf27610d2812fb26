import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { OPENAPI_FILE, openApiText } from '../../src/cli/openapi';
import type { TestApp } from '../support/test-app';
import { startTestApp } from '../support/test-app';

/** The JSON paths where two documents differ (a few), for a message a person can act on. */
function differences(a: unknown, b: unknown, at = '#', out: string[] = []): string[] {
  if (out.length >= 10) return out;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(at);
    return out;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    differences(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      `${at}/${k}`,
      out,
    );
  }
  return out;
}

interface ResponseObject {
  content?: Record<string, { schema?: { $ref?: string } }>;
}

describe('the committed OpenAPI document (openapi.json)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('is the document the running application serves (npm run openapi writes it)', async () => {
    const served = (await request(t.server).get('/docs-json').expect(200)).body as object;
    const committed = readFileSync(OPENAPI_FILE, 'utf8');
    if (openApiText(served) !== committed) {
      const where = differences(served, JSON.parse(committed));
      throw new Error(
        `openapi.json is not the served document (run npm run openapi); differences at:\n${where.join('\n') || '(key order)'}`,
      );
    }
  });

  it('answers every error with the ApiErrorBody schema', async () => {
    const doc = (await request(t.server).get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
    };
    const untyped: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, response] of Object.entries(op.responses)) {
          // The probes answer their 503 with the health report (its own schema).
          if (Number(status) < 400 || path.startsWith('/health')) continue;
          const schema = response.content?.['application/json']?.schema;
          if (schema?.$ref !== '#/components/schemas/ApiErrorBody') {
            untyped.push(`${method} ${path} ${status}`);
          }
        }
      }
    }
    expect(untyped).toEqual([]);
  });
});

describe('the committed client types (client/schema.d.ts)', () => {
  it('are what openapi-typescript makes of openapi.json (npm run openapi writes both)', () => {
    const root = dirname(OPENAPI_FILE);
    const cli = join(dirname(require.resolve('openapi-typescript/package.json')), 'bin', 'cli.js');
    const dir = mkdtempSync(join(tmpdir(), 'postroom-client-'));
    try {
      const out = join(dir, 'schema.d.ts');
      // The flags of npm run openapi:client (package.json).
      execFileSync(
        process.execPath,
        [cli, OPENAPI_FILE, '--default-non-nullable=false', '--output', out],
        { stdio: 'pipe' },
      );
      const committed = join(root, 'client', 'schema.d.ts');
      // Formatted as the repository formats it (prettier in a process of its own).
      const prettier = join(
        dirname(require.resolve('prettier/package.json')),
        'bin',
        'prettier.cjs',
      );
      const generated = execFileSync(process.execPath, [prettier, '--stdin-filepath', committed], {
        input: readFileSync(out),
        cwd: root,
      }).toString();
      if (generated !== readFileSync(committed, 'utf8')) {
        throw new Error(
          'client/schema.d.ts is not generated from openapi.json: run npm run openapi',
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
