import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('config/.env.example', () => {
  it('documents every variable the schema reads', () => {
    const schema = readFileSync(join(__dirname, 'config.schema.ts'), 'utf8');
    const example = readFileSync(
      join(__dirname, '..', '..', '..', 'config', '.env.example'),
      'utf8',
    );
    const read = [...schema.matchAll(/\(r, '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]);
    const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
    expect(read.length).toBeGreaterThan(40);
    expect(read.filter((name) => !documented.has(name))).toEqual([]);
  });
});
