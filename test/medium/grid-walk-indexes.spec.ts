import { Client } from 'pg';
import type { GridDefinition } from '../../src/core/grid/grid.types';
import { GRIDS } from '../support/grid-registry';
import type { TestDatabase } from '../support/test-db';
import { createTestDatabase } from '../support/test-db';

/**
 * A reference column declared with `walk` (labelRef(…, { walk: true })) is
 * sorted by its label reference by reference, each reference's rows read from
 * an index on (the column, the grid's default sort) as far as the page needs.
 * Without that index the walk reads every row of each reference: here, every
 * such declaration must find its index in the migrated schema.
 */
const bare = (sql: string) => sql.replace(/^\w+\./, '');

function walkedIndexes(def: GridDefinition): { column: string; key: string }[] {
  const order = def.defaultSort.map((t) => {
    const c = def.columns.find((x) => x.key === t.column);
    return `${bare(c?.sql ?? t.column)}${t.direction === 'desc' ? ' DESC' : ''}`;
  });
  return def.columns
    .filter((c) => c.ref?.walk)
    .map((c) => ({ column: c.key, key: `(${[bare(c.sql), ...order].join(', ')})` }));
}

describe('indexes behind label walks', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('declares walks on the grids a user sorts by folder, type, assignee, organization and batch', () => {
    const walked = GRIDS.flatMap((g) =>
      walkedIndexes(g.definition).map((w) => `${g.definition.name}.${w.column}`),
    );
    expect(walked).toEqual(
      expect.arrayContaining([
        'documents.folderId',
        'documents.documentTypeId',
        'documents.batchId',
        'documents.organizationId',
        'mails.folderId',
        'mails.assignedTo',
        'mails.batchId',
        'mails.organizationId',
      ]),
    );
  });

  it.each(GRIDS.map((g) => [g.definition.name, g.definition] as const))(
    '%s: every walked reference has its (column, default sort) index',
    async (_name, def) => {
      const table = def.from.split(' ')[0];
      const { rows } = await client.query<{ indexdef: string }>(
        'SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1',
        [table],
      );
      const missing = walkedIndexes(def).filter(
        (w) => !rows.some((r) => r.indexdef.includes(`USING btree ${w.key}`)),
      );
      expect(missing).toEqual([]);
    },
  );
});
