import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A sort by the batch column of documents and mails (by the batch's name)
 * walks the batches in name order and reads each one's rows in the grid's
 * default order (created_on DESC, id DESC) from an index, as far as the page
 * needs (see the label walk of the grid engine; the other sortable references,
 * folder, document type, assignee and organization, have such an index
 * already). The batch id indexes gain that order: the same number of indexes
 * for inserts to maintain. One transaction: the tables are locked while they
 * are built (seconds at 1M rows).
 */
export class ReferenceOrderIndexes1765600000000 implements MigrationInterface {
  name = 'ReferenceOrderIndexes1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX documents_batch_idx, mails_batch_idx;
      CREATE INDEX documents_batch_created_idx ON documents (batch_id, created_on DESC, id DESC)
        WHERE batch_id IS NOT NULL;
      CREATE INDEX mails_batch_created_idx ON mails (batch_id, created_on DESC, id DESC)
        WHERE batch_id IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX documents_batch_created_idx, mails_batch_created_idx;
      CREATE INDEX documents_batch_idx ON documents (batch_id) WHERE batch_id IS NOT NULL;
      CREATE INDEX mails_batch_idx ON mails (batch_id) WHERE batch_id IS NOT NULL;
    `);
  }
}
