import { Client } from 'pg';
import { ALL_ENTITIES } from '../support/entities';
import { findSchemaDrift } from '../support/schema-drift';
import type { TestDatabase } from '../support/test-db';
import { createTestDatabase } from '../support/test-db';

async function exec(url: string, sql: string): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe('entities and migrations', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await db.drop();
  });

  it('describe the same tables and columns (type, nullability, primary key)', async () => {
    expect(await findSchemaDrift(db.url, ALL_ENTITIES)).toEqual([]);
  });

  it('report columns, types, nullability and tables changed by hand', async () => {
    await exec(
      db.url,
      `ALTER TABLE mails ADD COLUMN x int;
       ALTER TABLE audit_log DROP COLUMN request_id;
       ALTER TABLE folders ALTER COLUMN depth TYPE integer;
       ALTER TABLE folders ALTER COLUMN path TYPE integer[];
       ALTER TABLE documents ALTER COLUMN title DROP NOT NULL;
       DROP TABLE request_metrics;
       CREATE TABLE stray (id int PRIMARY KEY)`,
    );
    expect(await findSchemaDrift(db.url, ALL_ENTITIES)).toEqual([
      'audit_log.request_id: in the entity (text NULL), missing from the database',
      'documents.title: NULL in the database, NOT NULL in the entity',
      'folders.depth: type is integer in the database, smallint in the entity',
      'folders.path: type is ARRAY of integer in the database, ARRAY of bigint in the entity',
      'mails.x: in the database (integer NULL), missing from the entity',
      'table request_metrics: has an entity, but is not in the database',
      'table stray: in the database, but no entity describes it',
    ]);
  });
});
