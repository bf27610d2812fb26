import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Value discovery on documents (`/columns/{column}/values`) counts every row
 * under the other filters: with the counted column only in the table, that was
 * a bitmap heap scan over a third of a large organization (200–570 ms on the
 * 1M-row seed). These indexes carry every discoverable column, so the counts
 * come from an index-only scan of just the filtered range (the INCLUDE lists
 * are document.grid.ts's discoverable columns, less the key):
 *
 * - documents_type_created_idx: a document type filter (plus any created_on
 *   range), e.g. status values under a type and a year; also a type-filtered
 *   grid page in its default order, and the usage check before a type is
 *   deleted. Replaces documents_type_idx (document_type_id).
 * - documents_folder_created_idx: a folder filter, or a folder-scoped user's
 *   visible folders; also the folder grid page as before (same key).
 * - documents_org_created_idx: one organization, optionally a created_on
 *   range; also the organization's grid page as before (same key).
 *
 * The last two keep their keys and names and only gain INCLUDE columns, so the
 * table keeps the same number of indexes for inserts to maintain. One
 * transaction: the table is locked while they are built (seconds at 1M rows).
 */
export class DocumentCoveringIndexes1765100000000 implements MigrationInterface {
  name = 'DocumentCoveringIndexes1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX documents_type_idx, documents_folder_created_idx, documents_org_created_idx;
      CREATE INDEX documents_type_created_idx ON documents (document_type_id, created_on DESC, id DESC)
        INCLUDE (organization_id, folder_id, status, mime_type, batch_id, created_by) WHERE document_type_id IS NOT NULL;
      CREATE INDEX documents_folder_created_idx ON documents (folder_id, created_on DESC, id DESC)
        INCLUDE (organization_id, document_type_id, status, mime_type, batch_id, created_by);
      CREATE INDEX documents_org_created_idx ON documents (organization_id, created_on DESC, id DESC)
        INCLUDE (folder_id, document_type_id, status, mime_type, batch_id, created_by);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX documents_type_created_idx, documents_folder_created_idx, documents_org_created_idx;
      CREATE INDEX documents_type_idx ON documents (document_type_id) WHERE document_type_id IS NOT NULL;
      CREATE INDEX documents_folder_created_idx ON documents (folder_id, created_on DESC, id DESC);
      CREATE INDEX documents_org_created_idx ON documents (organization_id, created_on DESC, id DESC);
    `);
  }
}
