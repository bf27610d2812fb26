import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Grids ordered by name, id (folders, document types, roles) or display name, id
 * (users) for a platform admin, who sees every organization: the indexes that
 * lead with organization_id serve that order only within one organization, so
 * `npm run explain` showed a Sort over the whole table for the platform
 * admin's first page. These indexes deliver it across organizations.
 */
export class GridNameOrderIndexes1765000000000 implements MigrationInterface {
  name = 'GridNameOrderIndexes1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX folders_name_idx ON folders (name, id);
      CREATE INDEX document_types_name_idx ON document_types (name, id);
      CREATE INDEX roles_name_idx ON roles (name, id);
      CREATE INDEX users_name_idx ON users (display_name, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      'DROP INDEX IF EXISTS folders_name_idx, document_types_name_idx, roles_name_idx, users_name_idx',
    );
  }
}
