import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The folders and document-types grids sort by (name, id). Within one
 * organization the (organization_id, name, id) indexes deliver that order; a
 * platform administrator's grid spans every organization, and these deliver it
 * there, as organizations_name_id_idx does for organizations.
 */
export class CrossTenantNameIndexes1764633600000 implements MigrationInterface {
  name = 'CrossTenantNameIndexes1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX folders_name_id_idx ON folders (name, id);
      CREATE INDEX document_types_name_id_idx ON document_types (name, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS folders_name_id_idx, document_types_name_id_idx');
  }
}
