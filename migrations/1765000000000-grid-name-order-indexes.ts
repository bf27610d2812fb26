import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roles ordered by name, id and users by display name, id for a platform admin,
 * who sees every organization: the indexes that lead with organization_id serve
 * that order only within one organization, so `npm run explain` showed a Sort
 * over the whole table for the platform admin's first page. (Folders and
 * document types got theirs in CrossTenantNameIndexes1764633600000.)
 */
export class GridNameOrderIndexes1765000000000 implements MigrationInterface {
  name = 'GridNameOrderIndexes1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX roles_name_idx ON roles (name, id);
      CREATE INDEX users_name_idx ON users (display_name, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS roles_name_idx, users_name_idx');
  }
}
