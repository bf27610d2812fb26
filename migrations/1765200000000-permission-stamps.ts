import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Permission versions become stamps that never repeat. They key the shared
 * cache in Redis, which outlives the database: as counters, a re-created or
 * restored database reached the same numbers again and Redis answered entries
 * written for the old rows (another user under the same id). `next_stamp`
 * stays strictly increasing within one database and otherwise follows the
 * clock (milliseconds × 1000 + 0–999 at random, below 2^53 until the 2250s),
 * so after a re-creation or a restore the next bump passes every stamp issued
 * before, and two databases bumping in the same millisecond rarely meet. New
 * rows start at a stamp too, so two fresh databases do not share one.
 */
export class PermissionStamps1765200000000 implements MigrationInterface {
  name = 'PermissionStamps1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION next_stamp(previous bigint) RETURNS bigint LANGUAGE sql VOLATILE AS $$
        SELECT greatest(COALESCE(previous, 0) + 1,
                        (extract(epoch FROM clock_timestamp()) * 1000)::bigint * 1000
                          + floor(random() * 1000)::bigint)
      $$;
      ALTER TABLE organizations ALTER COLUMN permission_version SET DEFAULT next_stamp(0);
      UPDATE organizations SET permission_version = next_stamp(permission_version);
      INSERT INTO app_meta (key, value) VALUES ('permission_version:platform', next_stamp(0)::text)
        ON CONFLICT (key) DO UPDATE SET value = next_stamp(app_meta.value::bigint)::text, updated_on = now();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    // The stamps stay: counting on from them keeps every version moving forward.
    await q.query(`
      ALTER TABLE organizations ALTER COLUMN permission_version SET DEFAULT 1;
      DROP FUNCTION next_stamp(bigint);
    `);
  }
}
