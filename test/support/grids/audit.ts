import { auditGrid } from '../../../src/modules/audit/audit.grid';
import { sql } from '../fixtures';
import type { GridUnderTest } from '../grid-under-test';
import { insertedId } from '../grid-under-test';

/**
 * Audit rows are written by the other modules' changes, in their transactions;
 * the seed writes none and the suite only reads. Its rows are inserted here as
 * those changes would write them: every kind of record the schema knows
 * (entity_types, roles included), platform-level rows (no organization), rows
 * by nobody (actor deleted or system), with and without a request id.
 */
export const audit: GridUnderTest = {
  url: '/api/audit',
  definition: auditGrid,
  table: 'audit_log',
  insertCopy: (url, id) =>
    insertedId(
      url,
      `INSERT INTO audit_log (organization_id, actor_id, entity_type, entity_id, action, changes, request_id,
                              created_on)
       SELECT organization_id, actor_id, entity_type, entity_id, action, changes, request_id, created_on
       FROM audit_log WHERE id = $1 RETURNING id`,
      [id],
    ),
  arrange: async (url) => {
    await sql(
      url,
      `INSERT INTO audit_log (organization_id, actor_id, entity_type, entity_id, action, changes, request_id,
                              created_on)
       SELECT CASE WHEN g % 6 = 0 THEN NULL ELSE o.id END,
              CASE WHEN g % 5 = 0 THEN NULL
                   WHEN g % 6 = 0 THEN (SELECT id FROM users WHERE is_platform_admin ORDER BY id LIMIT 1)
                   ELSE (SELECT u.id FROM users u WHERE u.organization_id = o.id ORDER BY u.id OFFSET g % 3 LIMIT 1)
              END,
              t.codes[1 + g % cardinality(t.codes)],
              CASE WHEN g % 7 = 0 THEN NULL ELSE 1000 + g END,
              (ARRAY['create', 'update', 'delete', 'assign', 'Scan 100% done_ok'])[1 + g % 5],
              jsonb_build_object('name', jsonb_build_object('from', 'Old ' || g, 'to', 'New ' || g)),
              CASE WHEN g % 4 <> 0 THEN 'req-' || g / 2 END,
              now() - (g / 2) * interval '3 hours'
       FROM generate_series(1, 36) AS g
       JOIN organizations o ON o.slug = (ARRAY['globex', 'acme'])[1 + g % 2]
       CROSS JOIN (SELECT array_agg(code ORDER BY code) AS codes FROM entity_types) t`,
    );
  },
};
