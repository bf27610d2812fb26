import { Injectable } from '@nestjs/common';
import type { Queryable } from '../../core/database/db.service';
import { Db } from '../../core/database/db.service';
import type { RowGuard } from '../../core/database/versioned-row';
import { lockForChange } from '../../core/database/versioned-row';
import type { BatchStatus } from '../batch/batch.entity';

export interface BatchProgress {
  id: number;
  status: BatchStatus;
  itemCount: number;
  processedCount: number;
  failedCount: number;
  attempts: number;
  lastError: string | null;
  enqueuedOn: string | null;
  startedOn: string | null;
  heartbeatOn: string | null;
  finishedOn: string | null;
}

export const PROGRESS_COLUMNS = `b.id, b.status, b.item_count AS "itemCount", b.processed_count AS "processedCount",
  b.failed_count AS "failedCount", b.attempts, b.last_error AS "lastError", b.enqueued_on AS "enqueuedOn",
  b.started_on AS "startedOn", b.heartbeat_on AS "heartbeatOn", b.finished_on AS "finishedOn"`;

/**
 * The SQL of a batch's state around its processing: queued, stranded (for the
 * sweeper), a failed attempt, a retry, its progress as the API shows it.
 */
const RETRY_LOCK = {
  from: 'batches b',
  alias: 'b',
  columns: 'b.organization_id AS "organizationId", b.status, b.version',
  noun: 'Batch',
};

@Injectable()
export class BatchStateRepository {
  constructor(private readonly db: Db) {}

  /** A failed attempt; the last one fails the batch (items left pending can be retried). */
  async recordJobFailure(batchId: number, message: string, final: boolean): Promise<void> {
    await this.db.query(
      `UPDATE batches
       SET last_error = left($2, 2000),
           status = CASE WHEN $3 THEN 'failed' ELSE status END,
           finished_on = CASE WHEN $3 THEN now() ELSE finished_on END,
           updated_on = now()
       WHERE id = $1 AND status IN ('pending', 'queued', 'processing')`,
      [batchId, message, final],
    );
  }

  /** The job is in the queue: pending becomes queued. */
  async markQueued(batchId: number): Promise<void> {
    await this.db.query(
      `UPDATE batches
       SET enqueued_on = now(),
           updated_on = CASE WHEN status = 'pending' THEN now() ELSE updated_on END,
           status = CASE WHEN status = 'pending' THEN 'queued' ELSE status END
       WHERE id = $1 AND status IN ('pending', 'queued', 'processing')`,
      [batchId],
    );
  }

  /**
   * Batches nobody is working on: pending (the enqueue failed), queued for long
   * (the job may have been lost with Redis' data: re-enqueuing is a no-op when
   * it is still there), processing with a stale heartbeat (the worker died).
   */
  async findStranded(opts: {
    pendingAfterMs: number;
    queuedAfterMs: number;
    staleAfterMs: number;
    limit: number;
  }): Promise<number[]> {
    const rows = await this.db.query<{ id: number }>(
      `SELECT id FROM batches
       WHERE status IN ('pending', 'queued', 'processing') AND (
         (status = 'pending' AND updated_on < now() - $1 * interval '1 millisecond')
         OR (status = 'queued' AND coalesce(enqueued_on, updated_on) < now() - $2 * interval '1 millisecond')
         OR (status = 'processing' AND coalesce(heartbeat_on, updated_on) < now() - $3 * interval '1 millisecond'))
       ORDER BY updated_on LIMIT $4`,
      [opts.pendingAfterMs, opts.queuedAfterMs, opts.staleAfterMs, opts.limit],
    );
    return rows.map((r) => r.id);
  }

  /** The batch locked for a retry (lockForChange: 404 outside the caller's reach, 403). */
  lockForRetry(q: Queryable, batchId: number, guard: RowGuard) {
    return lockForChange<{ organizationId: number; status: BatchStatus; version: number }>(
      q,
      RETRY_LOCK,
      batchId,
      guard,
      'retry',
    );
  }

  /** Failed items back to pending, the batch back to pending; how many items were reset. */
  async resetForRetry(q: Queryable, batchId: number): Promise<number> {
    const [{ n }] = await q.query<{ n: number }>(
      `WITH r AS (
         UPDATE batch_items SET status = 'pending', error = NULL, processed_on = NULL
         WHERE batch_id = $1 AND status = 'failed' RETURNING 1)
       SELECT count(*)::int AS n FROM r`,
      [batchId],
    );
    await q.query(
      `UPDATE batches
       SET status = 'pending', failed_count = greatest(failed_count - $2, 0), last_error = NULL,
           finished_on = NULL, version = version + 1, updated_on = now()
       WHERE id = $1`,
      [batchId, n],
    );
    return n;
  }
}
