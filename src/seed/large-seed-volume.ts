import type { Queryable } from '../core/database/db.service';
import type { VolumeCounts } from './large-seed-plan';
import {
  AT,
  DOCUMENT_COLUMNS,
  MAIL_COLUMNS,
  stageDocuments,
  stageMails,
} from './large-seed-staging';
import type { SeedProgress } from './progress';
import { reserveIds } from './seed-sql';

/** What the bulk rows hang on: ids of rows the plan inserted. */
export interface VolumeContext {
  /** Organization ids by rank (biggest first). */
  orgIds: number[];
  /** width_bucket(random(), shareBounds) picks an organization rank by its share. */
  shareBounds: number[];
  /** Users who are assigned mail and create batches, with their organization ids. */
  workerOrgIds: number[];
  workerIds: number[];
  inboxUserId: number;
  inboxUserShare: number;
}

/** Rows per INSERT: bounds the memory of the deferred foreign-key checks and lets progress move. */
const CHUNK_ROWS = 100_000;

/**
 * Batches with their items, mails (from the items of batches, plus direct ones),
 * documents (from worked mails, plus direct uploads) and an audit trail, all
 * set-based. Every row is first staged in a temporary table with its final id
 * (in created_on order, as a live system would have made them) and all of its
 * random choices, then copied into the real table in chunks.
 */
export async function seedVolume(
  q: Queryable,
  counts: VolumeCounts,
  progress: SeedProgress,
  ctx: VolumeContext,
): Promise<void> {
  const step = async (name: string, total: number, fn: () => Promise<void>) => {
    progress.begin(name, total);
    await fn();
    progress.end();
  };
  await stageLookups(q, ctx);
  await step('batches', counts.batches, () => insertBatches(q, counts, ctx));
  await step('mails', counts.mails, async () => {
    const n = await stageMails(q, counts, ctx);
    await copyInChunks(q, 'seed_mail', 'mails', MAIL_COLUMNS, n, progress);
  });
  await step('documents', counts.documents, async () => {
    const n = await stageDocuments(q, counts, ctx);
    await copyInChunks(q, 'seed_doc', 'documents', DOCUMENT_COLUMNS, n, progress);
  });
  const [{ items }] = await q.query<{ items: number }>(
    'SELECT count(*)::int AS items FROM seed_item',
  );
  await step('batch items', items, () => insertBatchItems(q, items));
  const [{ events }] = await q.query<{ events: number }>(
    `SELECT (SELECT count(*) FROM seed_batch)::int
          + (SELECT count(*) FROM seed_mail WHERE assigned_to IS NOT NULL)::int AS events`,
  );
  await step('audit log', events, () => insertAuditTrail(q));
}

/**
 * Small numbered lists per organization: a row picks its folder, type, user or
 * worker by joining on (organization, k) with k drawn from a (skewed) random
 * number, which is one hash join however many rows there are.
 */
async function stageLookups(q: Queryable, ctx: VolumeContext): Promise<void> {
  await q.query(
    `CREATE TEMP TABLE seed_worker_pick ON COMMIT DROP AS
     SELECT org_id, (row_number() OVER (PARTITION BY org_id ORDER BY user_id) - 1)::int AS k, user_id
     FROM unnest($1::bigint[], $2::bigint[]) AS w(org_id, user_id)`,
    [ctx.workerOrgIds, ctx.workerIds],
  );
  await q.query(
    `CREATE TEMP TABLE seed_user_pick ON COMMIT DROP AS
     SELECT organization_id AS org_id,
            (row_number() OVER (PARTITION BY organization_id ORDER BY id) - 1)::int AS k, id AS user_id
     FROM users WHERE organization_id = ANY($1::bigint[]) AND is_active`,
    [ctx.orgIds],
  );
  // Shuffled by a hash so that popular folders are spread over the trees, not all in the first one.
  await q.query(
    `CREATE TEMP TABLE seed_folder_pick ON COMMIT DROP AS
     SELECT organization_id AS org_id,
            (row_number() OVER (PARTITION BY organization_id ORDER BY md5(id::text)) - 1)::int AS k,
            id AS folder_id
     FROM folders WHERE organization_id = ANY($1::bigint[]) AND system_key IS NULL`,
    [ctx.orgIds],
  );
  await q.query(
    `CREATE TEMP TABLE seed_type_pick ON COMMIT DROP AS
     SELECT organization_id AS org_id,
            (row_number() OVER (PARTITION BY organization_id ORDER BY id) - 1)::int AS k,
            id AS type_id, name
     FROM document_types WHERE organization_id = ANY($1::bigint[])`,
    [ctx.orgIds],
  );
  await q.query(
    `CREATE TEMP TABLE seed_org ON COMMIT DROP AS
     SELECT o.rank::int AS rank, o.org_id,
            (SELECT id FROM folders f WHERE f.organization_id = o.org_id AND f.system_key = 'inbox') AS inbox_id,
            (SELECT id FROM folders f WHERE f.organization_id = o.org_id AND f.system_key = 'archive') AS archive_id,
            (SELECT count(*) FROM seed_folder_pick p WHERE p.org_id = o.org_id)::int AS n_folders,
            (SELECT count(*) FROM seed_type_pick p WHERE p.org_id = o.org_id)::int AS n_types,
            (SELECT count(*) FROM seed_user_pick p WHERE p.org_id = o.org_id)::int AS n_users,
            (SELECT count(*) FROM seed_worker_pick p WHERE p.org_id = o.org_id)::int AS n_workers,
            (SELECT u.id FROM users u WHERE u.id = $2 AND u.organization_id = o.org_id) AS inbox_user_id
     FROM unnest($1::bigint[]) WITH ORDINALITY AS o(org_id, rank)`,
    [ctx.orgIds, ctx.inboxUserId],
  );
  // Temporary tables are never analyzed automatically: without statistics the
  // planner would guess badly for the million-row joins below.
  await q.query(
    'ANALYZE seed_worker_pick, seed_user_pick, seed_folder_pick, seed_type_pick, seed_org',
  );
}

async function insertBatches(
  q: Queryable,
  counts: VolumeCounts,
  ctx: VolumeContext,
): Promise<void> {
  const first = await reserveIds(q, 'batches', counts.batches);
  // Batches hold ~90% of the mails; the rest arrive one by one (e-mail, API).
  const meanItems = Math.max(1, Math.round((0.9 * counts.mails) / counts.batches));
  await q.query(
    `CREATE TEMP TABLE seed_batch ON COMMIT DROP AS
     WITH r AS MATERIALIZED (
       SELECT g, sqrt((g - random()) / $2) AS x, width_bucket(random(), $3::float8[]) AS rank,
              random() AS r_status, random() AS r_source, random() AS r_items, random() AS r_user
       FROM generate_series(1, $2::int) AS g
     ), b AS (
       SELECT $1::bigint + r.g - 1 AS id, o.org_id, ${AT('r.x')} AS created_on,
              CASE WHEN r.x > 0.995 THEN (ARRAY['pending', 'queued', 'processing'])[1 + floor(r.r_status * 3)::int]
                   WHEN r.r_status < 0.90 THEN 'completed'
                   WHEN r.r_status < 0.96 THEN 'completed_with_errors'
                   WHEN r.r_status < 0.99 THEN 'failed'
                   ELSE 'cancelled' END AS status,
              CASE WHEN r.r_source < 0.60 THEN 'scan' WHEN r.r_source < 0.85 THEN 'email'
                   WHEN r.r_source < 0.95 THEN 'upload' ELSE 'api' END AS source,
              1 + floor(r.r_items * (2 * $4::int - 1))::int AS item_count,
              w.user_id AS created_by
       FROM r
       JOIN seed_org o ON o.rank = r.rank
       JOIN seed_worker_pick w ON w.org_id = o.org_id AND w.k = floor(r.r_user * o.n_workers)::int
     )
     SELECT b.*,
            CASE b.status WHEN 'completed' THEN b.item_count
                          WHEN 'completed_with_errors' THEN b.item_count - greatest(1, b.item_count / 25)
                          WHEN 'failed' THEN b.item_count / 2
                          WHEN 'cancelled' THEN b.item_count / 3
                          WHEN 'processing' THEN b.item_count / 2
                          ELSE 0 END AS processed,
            CASE b.status WHEN 'completed_with_errors' THEN greatest(1, b.item_count / 25)
                          WHEN 'failed' THEN 1
                          ELSE 0 END AS failed,
            least(now(), b.created_on + interval '5 seconds' + b.item_count * interval '3 seconds') AS busy_until
     FROM b ORDER BY b.id`,
    [first, counts.batches, ctx.shareBounds, meanItems],
  );
  await q.query(
    `INSERT INTO batches (id, organization_id, name, source, status, item_count, processed_count,
                          failed_count, attempts, last_error, created_by, enqueued_on, started_on,
                          heartbeat_on, finished_on, created_on, updated_on)
     SELECT b.id, b.org_id,
            CASE b.source WHEN 'scan' THEN 'Scan run' WHEN 'email' THEN 'E-mail import'
                          WHEN 'upload' THEN 'Upload' ELSE 'API import' END
              || ' ' || to_char(b.created_on, 'YYYY-MM-DD HH24:MI'),
            b.source, b.status, b.item_count, b.processed, b.failed,
            CASE b.status WHEN 'pending' THEN 0 WHEN 'queued' THEN 0 WHEN 'failed' THEN 3 ELSE 1 END,
            CASE b.status WHEN 'failed' THEN 'OCR service did not answer within 30 s (3 attempts)'
                          WHEN 'completed_with_errors' THEN b.failed || ' item(s) could not be read' END,
            b.created_by,
            CASE WHEN b.status <> 'pending' THEN b.created_on + interval '2 seconds' END,
            CASE WHEN b.status NOT IN ('pending', 'queued') THEN b.created_on + interval '5 seconds' END,
            CASE WHEN b.status NOT IN ('pending', 'queued') THEN b.busy_until END,
            CASE WHEN b.status NOT IN ('pending', 'queued', 'processing') THEN b.busy_until END,
            b.created_on,
            CASE WHEN b.status IN ('pending', 'queued') THEN b.created_on ELSE b.busy_until END
     FROM seed_batch b ORDER BY b.id`,
  );
  // Items: the first processed ones are done (each became a mail), then the
  // failed ones, then whatever is still pending.
  await q.query(
    `CREATE TEMP TABLE seed_item ON COMMIT DROP AS
     SELECT b.id AS batch_id, b.org_id, s.seq,
            CASE WHEN s.seq < b.processed THEN 'done'
                 WHEN s.seq < b.processed + b.failed THEN 'failed'
                 ELSE 'pending' END AS status,
            least(now(), b.created_on + interval '5 seconds' + (s.seq + 1) * interval '3 seconds') AS at
     FROM seed_batch b CROSS JOIN LATERAL generate_series(0, b.item_count - 1) AS s(seq)`,
  );
  await q.query('ANALYZE seed_batch, seed_item');
}

async function copyInChunks(
  q: Queryable,
  staging: string,
  table: string,
  columns: readonly string[],
  rows: number,
  progress: SeedProgress,
): Promise<void> {
  const [{ lo }] = await q.query<{ lo: number }>(`SELECT min(id) AS lo FROM ${staging}`);
  const list = columns.join(', ');
  for (let done = 0; done < rows; done += CHUNK_ROWS) {
    await q.query(
      `INSERT INTO ${table} (${list})
       SELECT ${list} FROM ${staging} WHERE id BETWEEN $1 AND $2 ORDER BY id`,
      [lo + done, lo + done + CHUNK_ROWS - 1],
    );
    progress.update(Math.min(rows, done + CHUNK_ROWS));
  }
}

/** One item per planned batch item; done items point at their mail and its first document. */
async function insertBatchItems(q: Queryable, items: number): Promise<void> {
  if (items === 0) return;
  const first = await reserveIds(q, 'batch_items', items);
  await q.query(
    `INSERT INTO batch_items (id, organization_id, batch_id, seq, payload, status, error, mail_id,
                              document_id, processed_on)
     SELECT $1::bigint - 1 + row_number() OVER (ORDER BY i.batch_id, i.seq),
            i.org_id, i.batch_id, i.seq,
            jsonb_build_object('file', 'scan-' || i.batch_id || '-' || lpad(i.seq::text, 4, '0') || '.pdf',
                               'pages', 1 + (i.seq * 7 + i.batch_id) % 9),
            i.status,
            CASE WHEN i.status = 'failed' THEN 'page unreadable: OCR confidence below threshold' END,
            m.id, d.document_id,
            CASE WHEN i.status <> 'pending' THEN i.at END
     FROM seed_item i
     LEFT JOIN seed_mail m ON m.batch_id = i.batch_id AND m.seq = i.seq
     LEFT JOIN (SELECT mail_id, min(id) AS document_id FROM seed_doc
                WHERE mail_id IS NOT NULL GROUP BY mail_id) AS d ON d.mail_id = m.id
     ORDER BY i.batch_id, i.seq`,
    [first],
  );
}

/** Who created each batch and who assigned each mail, in time order. */
async function insertAuditTrail(q: Queryable): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (organization_id, actor_id, entity_type, entity_id, action, changes, created_on)
     SELECT * FROM (
       SELECT org_id, created_by, 'batch', id, 'create',
              jsonb_build_object('source', source, 'itemCount', item_count), created_on
       FROM seed_batch
       UNION ALL
       SELECT organization_id, assigned_by, 'mail', id, 'assign',
              jsonb_build_object('assignedTo', assigned_to, 'status', status), assigned_on
       FROM seed_mail WHERE assigned_to IS NOT NULL
     ) AS e(org_id, actor_id, entity_type, entity_id, action, changes, created_on)
     ORDER BY created_on`,
  );
}
