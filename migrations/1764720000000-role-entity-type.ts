import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roles become an audited kind of record (audit_log.entity_type refers to
 * entity_types). No tab: roles are managed in the admin hub, not granted.
 */
export class RoleEntityType1764720000000 implements MigrationInterface {
  name = 'RoleEntityType1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `INSERT INTO entity_types (code, label, has_tab) VALUES ('role', 'Roles', false)
       ON CONFLICT (code) DO NOTHING`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM audit_log WHERE entity_type = 'role'`);
    await q.query(`DELETE FROM entity_types WHERE code = 'role'`);
  }
}
