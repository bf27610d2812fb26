import type { Queryable } from '../core/database/db.service';
import { MAIL_SENDERS, MAIL_SUBJECTS } from './large-seed-data';
import type { VolumeCounts } from './large-seed-plan';
import type { VolumeContext } from './large-seed-volume';
import { reserveIds } from './seed-sql';

/**
 * The staging of mails and documents: each row with its final id (ids follow
 * created_on, as a live system would have handed them out) and every random
 * choice made once, in a temporary table that is then copied in chunks.
 */

/** The data set covers three years; x in [0, 1] is a point in it (1 = now). */
export const AT = (x: string) => `(now() - interval '1095 days' * (1 - (${x})))`;
/** sqrt of a uniform number: the density grows linearly, so later rows are more frequent. */
const LATER_MORE_OFTEN = (r: string) => `sqrt(${r})`;
/** Mail this recent is still being worked; older mail is mostly done or archived. */
const RECENT = `now() - interval '33 days'`;

export const MAIL_COLUMNS = [
  'id',
  'organization_id',
  'batch_id',
  'folder_id',
  'subject',
  'sender',
  'received_on',
  'priority',
  'status',
  'assigned_to',
  'assigned_by',
  'assigned_on',
  'source_key',
  'created_on',
  'updated_on',
];

/** Mails of the done batch items plus direct ones up to the target count; returns how many. */
export async function stageMails(
  q: Queryable,
  counts: VolumeCounts,
  ctx: VolumeContext,
): Promise<number> {
  const [{ n: fromBatches }] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM seed_item WHERE status = 'done'`,
  );
  const total = Math.max(counts.mails, fromBatches);
  const first = await reserveIds(q, 'mails', total);
  await q.query(
    `CREATE TEMP TABLE seed_mail ON COMMIT DROP AS
     WITH direct AS MATERIALIZED (
       SELECT width_bucket(random(), $2::float8[]) AS rank, random() AS r_t
       FROM generate_series(1, $3::int)
     ), planned AS (
       SELECT org_id, batch_id, seq, at AS created_on FROM seed_item WHERE status = 'done'
       UNION ALL
       SELECT o.org_id, NULL, NULL, ${AT(LATER_MORE_OFTEN('d.r_t'))}
       FROM direct d JOIN seed_org o ON o.rank = d.rank
     ), numbered AS MATERIALIZED (
       SELECT $1::bigint - 1 + row_number() OVER (ORDER BY p.created_on, p.batch_id, p.seq) AS id, p.*,
              random() AS r_status, random() AS r_heavy, random() AS r_to, random() AS r_by,
              random() AS r_folder, random() AS r_priority, random() AS r_subject,
              random() AS r_sender, random() AS r_received, random() AS r_assigned,
              random() AS r_unassigned
       FROM planned p
     ), classified AS (
       SELECT n.*,
              CASE WHEN n.created_on > ${RECENT} THEN
                     CASE WHEN n.r_status < 0.30 THEN 'new' WHEN n.r_status < 0.65 THEN 'assigned'
                          WHEN n.r_status < 0.85 THEN 'in_progress' ELSE 'done' END
                   ELSE
                     CASE WHEN n.r_status < 0.60 THEN 'done' WHEN n.r_status < 0.95 THEN 'archived'
                          WHEN n.r_status < 0.98 THEN 'in_progress' ELSE 'assigned' END
              END AS status,
              least(now(), n.created_on + interval '20 minutes' + n.r_assigned * interval '2 days') AS assigned_at
       FROM numbered n
     )
     SELECT c.id, c.org_id AS organization_id, c.batch_id, c.seq,
            CASE WHEN c.status IN ('new', 'assigned') THEN o.inbox_id
                 WHEN c.status = 'archived' THEN o.archive_id
                 ELSE f.folder_id END AS folder_id,
            ($4::text[])[1 + floor(c.r_subject * array_length($4::text[], 1))::int]
              || ' ' || to_char(c.created_on, 'YYYY-MM') || '-' || c.id AS subject,
            ($5::text[])[1 + floor(c.r_sender * array_length($5::text[], 1))::int] AS sender,
            c.created_on - c.r_received * interval '3 days' AS received_on,
            CASE WHEN c.r_priority < 0.15 THEN 'low' WHEN c.r_priority < 0.75 THEN 'normal'
                 WHEN c.r_priority < 0.95 THEN 'high' ELSE 'urgent' END AS priority,
            c.status,
            CASE WHEN NOT a.assigned THEN NULL
                 WHEN o.inbox_user_id IS NOT NULL AND c.r_heavy < $6 THEN o.inbox_user_id
                 ELSE wt.user_id END AS assigned_to,
            CASE WHEN a.assigned THEN wb.user_id END AS assigned_by,
            CASE WHEN a.assigned THEN c.assigned_at END AS assigned_on,
            CASE WHEN c.batch_id IS NOT NULL THEN 'item-' || c.seq END AS source_key,
            c.created_on,
            CASE WHEN c.status = 'new' THEN c.created_on ELSE c.assigned_at END AS updated_on
     FROM classified c
     -- New mail waits for assignment; most archived mail (advertising, copies) never had any.
     CROSS JOIN LATERAL (
       SELECT c.status <> 'new' AND NOT (c.status = 'archived' AND c.r_unassigned < 0.6) AS assigned
     ) AS a
     JOIN seed_org o ON o.org_id = c.org_id
     JOIN seed_folder_pick f ON f.org_id = c.org_id AND f.k = floor(o.n_folders * c.r_folder ^ 2)::int
     JOIN seed_worker_pick wt ON wt.org_id = c.org_id AND wt.k = floor(o.n_workers * c.r_to)::int
     JOIN seed_worker_pick wb ON wb.org_id = c.org_id AND wb.k = floor(o.n_workers * c.r_by)::int
     ORDER BY c.id`,
    [first, ctx.shareBounds, total - fromBatches, MAIL_SUBJECTS, MAIL_SENDERS, ctx.inboxUserShare],
  );
  await q.query('CREATE INDEX ON seed_mail (id)');
  await q.query('ANALYZE seed_mail');
  return total;
}

export const DOCUMENT_COLUMNS = [
  'id',
  'organization_id',
  'folder_id',
  'document_type_id',
  'mail_id',
  'batch_id',
  'title',
  'status',
  'file_name',
  'mime_type',
  'size_bytes',
  'page_count',
  'document_date',
  'created_by',
  'created_on',
  'updated_on',
];

/**
 * Every worked mail yields one document (three in ten yield two), filed where the
 * mail was; the rest up to the target are direct uploads. Returns how many.
 */
export async function stageDocuments(
  q: Queryable,
  counts: VolumeCounts,
  ctx: VolumeContext,
): Promise<number> {
  await q.query(
    `CREATE TEMP TABLE seed_doc_from_mail ON COMMIT DROP AS
     SELECT m.organization_id AS org_id, m.id AS mail_id, m.batch_id, m.folder_id,
            m.status AS mail_status, m.assigned_to AS created_by,
            least(now(), m.created_on + interval '10 minutes' + random() * interval '3 days') AS created_on
     FROM seed_mail m
     CROSS JOIN LATERAL generate_series(1, CASE WHEN random() < 0.3 THEN 2 ELSE 1 END) AS n
     WHERE m.status IN ('in_progress', 'done', 'archived')`,
  );
  const [{ n: fromMails }] = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM seed_doc_from_mail',
  );
  const total = Math.max(counts.documents, fromMails);
  const first = await reserveIds(q, 'documents', total);
  await q.query(
    `CREATE TEMP TABLE seed_doc ON COMMIT DROP AS
     WITH direct AS MATERIALIZED (
       SELECT width_bucket(random(), $2::float8[]) AS rank, random() AS r_t
       FROM generate_series(1, $3::int)
     ), planned AS (
       SELECT * FROM seed_doc_from_mail
       UNION ALL
       SELECT o.org_id, NULL, NULL, NULL, NULL, NULL, ${AT(LATER_MORE_OFTEN('d.r_t'))}
       FROM direct d JOIN seed_org o ON o.rank = d.rank
     ), numbered AS MATERIALIZED (
       SELECT $1::bigint - 1 + row_number() OVER (ORDER BY p.created_on, p.mail_id) AS id, p.*,
              random() AS r_status, random() AS r_place, random() AS r_folder, random() AS r_type,
              random() AS r_untyped, random() AS r_user, random() AS r_mime, random() AS r_size,
              random() AS r_pages, random() AS r_date
       FROM planned p
     ), classified AS (
       SELECT n.*,
              CASE WHEN n.mail_status = 'in_progress' THEN
                     CASE WHEN n.r_status < 0.5 THEN 'draft' ELSE 'in_review' END
                   WHEN n.mail_status = 'archived' THEN 'archived'
                   WHEN n.r_status < 0.05 THEN 'draft'
                   WHEN n.r_status < 0.12 THEN 'in_review'
                   WHEN n.r_status < 0.27 THEN 'archived'
                   ELSE 'active' END AS status,
              CASE WHEN n.r_mime < 0.80 THEN 1 WHEN n.r_mime < 0.90 THEN 2
                   WHEN n.r_mime < 0.96 THEN 3 ELSE 4 END AS format,
              n.r_untyped < 0.03 AS untyped
       FROM numbered n
     )
     SELECT c.id, c.org_id AS organization_id,
            CASE WHEN c.folder_id IS NOT NULL THEN c.folder_id
                 WHEN c.status = 'archived' AND c.r_place < 0.5 THEN o.archive_id
                 WHEN c.status = 'draft' AND c.r_place < 0.5 THEN o.inbox_id
                 ELSE f.folder_id END AS folder_id,
            CASE WHEN NOT c.untyped THEN t.type_id END AS document_type_id,
            c.mail_id, c.batch_id,
            CASE WHEN c.untyped THEN 'Scanned document' ELSE t.name END
              || ' ' || to_char(c.created_on, 'YYYY-MM-DD') || ' #' || c.id AS title,
            c.status,
            'doc-' || c.id || (ARRAY['.pdf', '.tif', '.jpg', '.docx'])[c.format] AS file_name,
            (ARRAY['application/pdf', 'image/tiff', 'image/jpeg',
                   'application/vnd.openxmlformats-officedocument.wordprocessingml.document'])[c.format] AS mime_type,
            (20000 + 6000 * exp(c.r_size * 5.5))::bigint AS size_bytes,
            1 + floor(24 * c.r_pages ^ 2)::int AS page_count,
            (c.created_on - c.r_date * interval '30 days')::date AS document_date,
            COALESCE(c.created_by, u.user_id) AS created_by,
            c.created_on,
            c.created_on AS updated_on
     FROM classified c
     JOIN seed_org o ON o.org_id = c.org_id
     JOIN seed_folder_pick f ON f.org_id = c.org_id AND f.k = floor(o.n_folders * c.r_folder ^ 2)::int
     JOIN seed_type_pick t ON t.org_id = c.org_id AND t.k = floor(o.n_types * c.r_type ^ 1.5)::int
     JOIN seed_user_pick u ON u.org_id = c.org_id AND u.k = floor(o.n_users * c.r_user)::int
     ORDER BY c.id`,
    [first, ctx.shareBounds, total - fromMails],
  );
  await q.query('CREATE INDEX ON seed_doc (id)');
  await q.query('ANALYZE seed_doc');
  return total;
}
