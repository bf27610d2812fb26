import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import { Db } from '../../core/database/db.service';
import type { BatchStatus } from '../batch/batch.entity';
import type { MailPriority } from './batch-item-payload';
import type { BatchProgress } from './batch-state.repository';
import { PROGRESS_COLUMNS } from './batch-state.repository';

/** The batch as a processing job sees it. */
export interface RunnableBatch {
  id: number;
  organizationId: number;
  createdBy: number | null;
  inboxFolderId: number | null;
}

export interface ClaimedItem {
  id: number;
  seq: number;
  payload: unknown;
}

export interface MailRow {
  sourceKey: string;
  folderId: number | null;
  subject: string;
  sender: string;
  receivedOn: string | null;
  priority: MailPriority;
}

export interface DocumentRow {
  sourceKey: string;
  folderId: number;
  documentTypeId: number | null;
  mailId: number;
  title: string;
}

/**
 * The SQL of processing a batch: claiming items by status (FOR UPDATE SKIP
 * LOCKED, so two runs of one batch never take the same item), bulk inserts that
 * a second run cannot duplicate (UNIQUE (batch_id, source_key) + ON CONFLICT DO
 * NOTHING), and progress on the batch row. Progress is never a user edit: it
 * leaves batches.version alone, so a user's optimistic lock is not broken by it.
 */
@Injectable()
export class BatchProcessingRepository {
  constructor(private readonly db: Db) {}

  /** Marks the batch processing (one more attempt); undefined when it is not runnable. */
  async start(batchId: number): Promise<RunnableBatch | undefined> {
    const rows = await this.db.query<RunnableBatch>(
      `UPDATE batches b
       SET status = 'processing', attempts = attempts + 1, started_on = coalesce(started_on, now()),
           heartbeat_on = now(), updated_on = CASE WHEN status = 'processing' THEN updated_on ELSE now() END
       WHERE id = $1 AND status IN ('pending', 'queued', 'processing')
       RETURNING id, organization_id AS "organizationId", created_by AS "createdBy",
         (SELECT f.id FROM folders f
          WHERE f.organization_id = b.organization_id AND f.system_key = 'inbox') AS "inboxFolderId"`,
      [batchId],
    );
    return rows[0];
  }

  claimPending(q: Queryable, batchId: number, limit: number): Promise<ClaimedItem[]> {
    return q.query<ClaimedItem>(
      `SELECT id, seq, payload FROM batch_items
       WHERE batch_id = $1 AND status = 'pending'
       ORDER BY seq LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [batchId, limit],
    );
  }

  /** Which of the folder and document type ids exist in the organization. */
  async knownReferences(
    q: Queryable,
    organizationId: number,
    folderIds: number[],
    typeIds: number[],
  ): Promise<{ folders: Set<number>; types: Set<number> }> {
    if (folderIds.length === 0 && typeIds.length === 0) {
      return { folders: new Set(), types: new Set() };
    }
    const rows = await q.query<{ kind: 'f' | 't'; id: number }>(
      `SELECT 'f' AS kind, id FROM folders WHERE organization_id = $1 AND id = ANY($2::bigint[])
       UNION ALL
       SELECT 't', id FROM document_types WHERE organization_id = $1 AND id = ANY($3::bigint[])`,
      [organizationId, folderIds, typeIds],
    );
    return {
      folders: new Set(rows.filter((r) => r.kind === 'f').map((r) => r.id)),
      types: new Set(rows.filter((r) => r.kind === 't').map((r) => r.id)),
    };
  }

  /** Mail ids by source key, for these rows (inserted now, or by an earlier run). */
  async insertMails(
    q: Queryable,
    batch: RunnableBatch,
    rows: MailRow[],
  ): Promise<Map<string, number>> {
    if (rows.length === 0) return new Map();
    const inserted = await q.query<{ id: number; source_key: string }>(
      `INSERT INTO mails (organization_id, batch_id, folder_id, subject, sender, received_on, priority, source_key)
       SELECT $1, $2, t.folder_id, t.subject, t.sender, coalesce(t.received_on, now()), t.priority, t.source_key
       FROM unnest($3::bigint[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[])
         AS t(folder_id, subject, sender, received_on, priority, source_key)
       ON CONFLICT ON CONSTRAINT mails_source_key DO NOTHING
       RETURNING id, source_key`,
      [
        batch.organizationId,
        batch.id,
        rows.map((r) => r.folderId),
        rows.map((r) => r.subject),
        rows.map((r) => r.sender),
        rows.map((r) => r.receivedOn),
        rows.map((r) => r.priority),
        rows.map((r) => r.sourceKey),
      ],
    );
    return this.withExisting(q, 'mails', batch.id, rows, inserted);
  }

  async insertDocuments(
    q: Queryable,
    batch: RunnableBatch,
    rows: DocumentRow[],
  ): Promise<Map<string, number>> {
    if (rows.length === 0) return new Map();
    const inserted = await q.query<{ id: number; source_key: string }>(
      `INSERT INTO documents (organization_id, batch_id, created_by, folder_id, document_type_id, mail_id, title, source_key)
       SELECT $1, $2, $3, t.folder_id, t.document_type_id, t.mail_id, t.title, t.source_key
       FROM unnest($4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[])
         AS t(folder_id, document_type_id, mail_id, title, source_key)
       ON CONFLICT ON CONSTRAINT documents_source_key DO NOTHING
       RETURNING id, source_key`,
      [
        batch.organizationId,
        batch.id,
        batch.createdBy,
        rows.map((r) => r.folderId),
        rows.map((r) => r.documentTypeId),
        rows.map((r) => r.mailId),
        rows.map((r) => r.title),
        rows.map((r) => r.sourceKey),
      ],
    );
    return this.withExisting(q, 'documents', batch.id, rows, inserted);
  }

  async markDone(
    q: Queryable,
    items: { id: number; mailId: number; documentId: number | null }[],
  ): Promise<void> {
    if (items.length === 0) return;
    await q.query(
      `UPDATE batch_items b
       SET status = 'done', mail_id = u.mail_id, document_id = u.document_id, error = NULL, processed_on = now()
       FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS u(id, mail_id, document_id)
       WHERE b.id = u.id`,
      [items.map((i) => i.id), items.map((i) => i.mailId), items.map((i) => i.documentId)],
    );
  }

  async markFailed(q: Queryable, items: { id: number; reason: string }[]): Promise<void> {
    if (items.length === 0) return;
    await q.query(
      `UPDATE batch_items b SET status = 'failed', error = u.error, processed_on = now()
       FROM unnest($1::bigint[], $2::text[]) AS u(id, error)
       WHERE b.id = u.id`,
      [items.map((i) => i.id), items.map((i) => i.reason)],
    );
  }

  /**
   * Adds a chunk's counts and beats the batch's heartbeat; returns the batch's
   * status now (a cancel shows here). The counts are a running figure, kept
   * within item_count whatever happened to the items meanwhile: `finish`
   * recounts them exactly.
   */
  async addProgress(
    q: Queryable,
    batchId: number,
    done: number,
    failed: number,
  ): Promise<BatchStatus> {
    const rows = await q.query<{ status: BatchStatus }>(
      `UPDATE batches
       SET failed_count = least(failed_count + $3, item_count),
           processed_count = least(processed_count + $2, item_count - least(failed_count + $3, item_count)),
           heartbeat_on = now()
       WHERE id = $1 RETURNING status`,
      [batchId, done, failed],
    );
    return rows[0]?.status ?? 'cancelled';
  }

  /**
   * Ends the batch when no item is pending any more, with counts recounted from
   * its items. Nothing happens (undefined) while items are pending, e.g. held
   * by another run that has not committed yet: that run ends it. Fewer items
   * than item_count (never when the batch and its items were stored together)
   * fail the batch rather than complete it.
   */
  async finish(batchId: number): Promise<BatchProgress | undefined> {
    const rows = await this.db.query<BatchProgress>(
      `WITH c AS (
         SELECT count(*) FILTER (WHERE status = 'done')::int AS done,
                count(*) FILTER (WHERE status = 'failed')::int AS failed,
                count(*) FILTER (WHERE status = 'pending')::int AS pending
         FROM batch_items WHERE batch_id = $1)
       UPDATE batches b
       SET status = CASE WHEN c.done + c.failed < b.item_count THEN 'failed'
                         WHEN c.failed > 0 AND c.done = 0 THEN 'failed'
                         WHEN c.failed > 0 THEN 'completed_with_errors'
                         ELSE 'completed' END,
           processed_count = c.done, failed_count = c.failed,
           last_error = CASE
             WHEN c.done + c.failed < b.item_count
               THEN 'only ' || (c.done + c.failed) || ' of the ' || b.item_count || ' items of the batch exist'
             WHEN c.failed > 0
               THEN c.failed || ' of ' || (c.done + c.failed) || ' items failed: each item says why' END,
           finished_on = now(), heartbeat_on = now(), updated_on = now()
       FROM c
       WHERE b.id = $1 AND b.status = 'processing' AND c.pending = 0
       RETURNING ${PROGRESS_COLUMNS}`,
      [batchId],
    );
    return rows[0];
  }

  private async withExisting(
    q: Queryable,
    table: 'mails' | 'documents',
    batchId: number,
    rows: { sourceKey: string }[],
    inserted: { id: number; source_key: string }[],
  ): Promise<Map<string, number>> {
    const ids = new Map(inserted.map((r) => [r.source_key, r.id]));
    if (ids.size < rows.length) {
      // Rows an earlier run inserted: link them instead of inserting twice.
      const missing = rows.map((r) => r.sourceKey).filter((k) => !ids.has(k));
      const found = await q.query<{ id: number; source_key: string }>(
        `SELECT id, source_key FROM ${table} WHERE batch_id = $1 AND source_key = ANY($2::text[])`,
        [batchId, missing],
      );
      for (const r of found) ids.set(r.source_key, r.id);
    }
    return ids;
  }
}
