import { batchGrid } from '../../../src/modules/batch/batch.grid';
import { inboxGrid } from '../../../src/modules/mail/inbox.grid';
import { mailGrid } from '../../../src/modules/mail/mail.grid';
import { sql } from '../fixtures';
import type { GridUnderTest } from '../grid-under-test';
import { demoUser, insertedId } from '../grid-under-test';

/** A mail as it is, but for source_key (unique per batch): a copy is the same mail come in again. */
const copyMail = (url: string, id: number) =>
  insertedId(
    url,
    `INSERT INTO mails (organization_id, batch_id, folder_id, subject, sender, received_on, priority, status,
                        assigned_to, assigned_by, assigned_on, created_on, updated_on)
     SELECT organization_id, batch_id, folder_id, subject, sender, received_on, priority, status,
            assigned_to, assigned_by, assigned_on, created_on, updated_on
     FROM mails WHERE id = $1 RETURNING id`,
    [id],
  );

/**
 * The seed files every mail and assigns ten per organization to the clerk, all
 * by the admin. Added: unfiled mails, new mails with LIKE wildcards and a long
 * subject (two created at the same moment: ties for the id to break), and more
 * of acme's mail assigned to clerk@acme, by two different users.
 */
async function arrangeMails(url: string): Promise<void> {
  await sql(url, `UPDATE mails SET folder_id = NULL WHERE id % 5 = 0`);
  await sql(
    url,
    `INSERT INTO mails (organization_id, subject, sender, received_on, priority, status, created_on)
     SELECT o.id,
            CASE g WHEN 1 THEN 'Scan 100% done_ok' WHEN 2 THEN repeat('Long subject ', 38)
                   ELSE 'Parcel notice #' || g END,
            (ARRAY['post@courier.example', 'billing@supplier.example'])[1 + g % 2],
            now() - g * interval '5 hours', (ARRAY['low', 'urgent'])[1 + g % 2], 'new',
            now() - (g / 2) * interval '5 hours'
     FROM generate_series(1, 8) AS g
     JOIN organizations o ON o.slug = (ARRAY['globex', 'acme'])[1 + g % 2]`,
  );
  await sql(
    url,
    `UPDATE mails m
     SET assigned_to = c.id, assigned_by = a.id, assigned_on = m.created_on + interval '20 minutes',
         status = (ARRAY['assigned', 'in_progress', 'done'])[1 + m.id % 3]
     FROM users c, users a
     WHERE c.email = 'clerk@acme.example' AND m.organization_id = c.organization_id
       AND a.email = CASE WHEN m.id % 2 = 0 THEN 'admin@acme.example' ELSE 'finance@acme.example' END
       AND m.assigned_to IS NULL AND m.id % 3 <> 1`,
  );
}

export const mails: GridUnderTest = {
  url: '/api/mails',
  definition: mailGrid,
  table: 'mails',
  insertCopy: copyMail,
  arrange: arrangeMails,
};

/**
 * The mails grid fixed to the caller as assignee: the viewer and the tenants
 * are clerks (the admins have nothing assigned). Items are read under /api/mails.
 */
export const inbox: GridUnderTest = {
  url: '/api/inbox',
  definition: inboxGrid,
  table: 'mails',
  // A copy keeps the assignee: it lands in the same inbox.
  insertCopy: copyMail,
  arrange: arrangeMails,
  viewer: demoUser('clerk@acme.example'),
  tenants: [demoUser('clerk@acme.example'), demoUser('clerk@globex.example')],
  hasItem: false,
};

export const batches: GridUnderTest = {
  url: '/api/batches',
  definition: batchGrid,
  table: 'batches',
  insertCopy: (url, id) =>
    insertedId(
      url,
      `INSERT INTO batches (organization_id, name, source, status, item_count, processed_count, failed_count,
                            attempts, last_error, created_by, enqueued_on, started_on, heartbeat_on,
                            finished_on, created_on, updated_on)
       SELECT organization_id, name, source, status, item_count, processed_count, failed_count,
              attempts, last_error, created_by, enqueued_on, started_on, heartbeat_on,
              finished_on, created_on, updated_on
       FROM batches WHERE id = $1 RETURNING id`,
      [id],
    ),
  // The seed has one completed batch per organization: 22 more in every source
  // and status, with the moments their status implies (nulls before), errors
  // with LIKE wildcards, no creator for some, pairs created at the same moment.
  arrange: async (url) => {
    await sql(
      url,
      `INSERT INTO batches (organization_id, name, source, status, item_count, processed_count, failed_count,
                            attempts, last_error, created_by, enqueued_on, started_on, heartbeat_on,
                            finished_on, created_on, updated_on)
       SELECT o.id,
              CASE g WHEN 1 THEN 'Scan 100% done_ok' WHEN 2 THEN repeat('Long name ', 19) || 'end'
                     ELSE (ARRAY['Morning scan run', 'Email import', 'Upload'])[1 + g % 3] || ' ' || g % 4 END,
              (ARRAY['scan', 'email', 'upload', 'api'])[1 + g % 4],
              (ARRAY['pending', 'queued', 'processing', 'completed', 'completed_with_errors', 'failed',
                     'cancelled'])[1 + g % 7],
              10 + g, g % 5, g % 3, g % 4,
              CASE WHEN g % 3 = 0 THEN 'Timeout after_retry 100% (' || g || ')' END,
              CASE WHEN g % 4 <> 0 THEN
                (SELECT u.id FROM users u WHERE u.organization_id = o.id ORDER BY u.id OFFSET g % 3 LIMIT 1) END,
              CASE WHEN g % 7 > 0 THEN t.created + interval '1 minute' END,
              CASE WHEN g % 7 > 1 THEN t.created + interval '5 minutes' END,
              CASE WHEN g % 7 > 1 THEN t.created + interval '9 minutes' END,
              CASE WHEN g % 7 > 2 THEN t.created + interval '20 minutes' END,
              t.created, t.created + interval '20 minutes'
       FROM generate_series(1, 22) AS g
       JOIN organizations o ON o.slug = (ARRAY['globex', 'acme'])[1 + g % 2]
       CROSS JOIN LATERAL (SELECT now() - (g / 2) * interval '10 hours' AS created) t`,
    );
  },
};
