import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit rows carry the folder of the record they describe (at the time of the
 * change; a folder's own rows name the folder), so the audit grid shows a row
 * only to those who may see that folder, as the record's own grid would.
 * Existing rows take their record's current folder; rows of deleted records
 * take the folder their delete entry named.
 */
export class AuditFolder1765180000000 implements MigrationInterface {
  name = 'AuditFolder1765180000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE audit_log ADD COLUMN folder_id bigint;
      UPDATE audit_log a SET folder_id = d.folder_id
        FROM documents d WHERE a.entity_type = 'document' AND d.id = a.entity_id;
      UPDATE audit_log a SET folder_id = m.folder_id
        FROM mails m WHERE a.entity_type = 'mail' AND m.id = a.entity_id;
      UPDATE audit_log a SET folder_id = a.entity_id
        WHERE a.entity_type = 'folder' AND EXISTS (SELECT 1 FROM folders f WHERE f.id = a.entity_id);
      UPDATE audit_log a SET folder_id = (a.changes->>'folder_id')::bigint
        WHERE a.folder_id IS NULL AND a.entity_type IN ('document', 'mail')
          AND jsonb_typeof(a.changes->'folder_id') = 'number';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE audit_log DROP COLUMN folder_id');
  }
}
