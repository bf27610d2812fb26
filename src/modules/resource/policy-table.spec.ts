import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPolicyTable } from './policy-table';
import { RESOURCES } from './resources';

describe('the README policy table', () => {
  it('is the one rendered from the declarations (npx ts-node … or copy from this failure)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const table = renderPolicyTable(RESOURCES);
    if (!readme.includes(table)) process.stdout.write(`\nexpected in README.md:\n${table}\n`);
    expect(readme).toContain(table);
  });
});
